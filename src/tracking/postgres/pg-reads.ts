// Reads of the PostgreSQL store that return whole entities in ONE query each: runs with their params,
// tags and latest metrics (json aggregates), experiments with their tags, study summaries, and the
// run search compiled by the shared compiler in PostgreSQL's dialect.
// Also the existence checks that make unknown study and trial ids a NotFoundError.
import { NotFoundError } from '../../errors.js';
import type { Direction, Experiment, Metric, Run, RunBatch, StudyRecord, StudySummary } from '../entities.js';
import { experimentKey, isBetter } from '../store-rules.js';
import { putEntry } from '../own-entries.js';
import { TRIAL_STATES, type TrialState } from '../trial-state.js';
import { toExperiment, toMetric, toRunInfo, toStudy, type ExperimentRowDb, type RunRowDb, type StudyRowDb } from '../rows.js';
import { compilePrepared, POSTGRESQL, toNumberedParams } from '../search/compile-sql.js';
import { assembleNested, compileNested, type NestedRow } from '../search/nested-sql.js';
import { encodePageToken, prepareSearch, type SearchRunsPage, type SearchRunsQuery } from '../search/query.js';
import type { Queryable } from './connection.js';

const RUN_COLUMNS = `r.*,
  (SELECT coalesce(json_object_agg(p.key, p.value), '{}') FROM params p WHERE p.run_id = r.run_id) AS params_json,
  (SELECT coalesce(json_object_agg(t.key, t.value), '{}') FROM tags t WHERE t.run_id = r.run_id) AS tags_json,
  (SELECT coalesce(json_agg(json_build_array(m.key, m.step, m.timestamp, m.value, m.is_nan)), '[]')
     FROM latest_metrics m WHERE m.run_id = r.run_id) AS metrics_json`;

type RunRowFull = RunRowDb & {
  params_json: Record<string, string>;
  tags_json: Record<string, string>;
  metrics_json: [string, number, number, number | string | null, number][];
};

/** The runs with these ids (missing ones left out), by id. */
export async function readRuns(q: Queryable, ids: readonly string[]): Promise<Map<string, Run>> {
  const found = new Map<string, Run>();
  const runIds = ids.filter((id) => !holdsNul(id));
  if (runIds.length === 0) return found;
  const { rows } = await q.query<RunRowFull>({ name: 'sweep_read_runs', text: `SELECT ${RUN_COLUMNS} FROM runs r WHERE r.run_id = ANY($1)`, values: [runIds] });
  for (const row of rows) {
    const metrics: Record<string, Metric> = {};
    for (const [key, step, timestamp, value, isNan] of row.metrics_json) {
      // json renders a non-finite double as a string ("Infinity").
      putEntry(metrics, key, toMetric({ key, step, timestamp, value: typeof value === 'string' ? Number(value) : value, is_nan: isNan }));
    }
    found.set(row.run_id, Object.freeze({ info: toRunInfo(row), data: Object.freeze({ params: row.params_json, metrics, tags: row.tags_json }) }));
  }
  return found;
}

/**
 * Whether a key holds U+0000, which PostgreSQL text cannot: no stored name or id has it, so a
 * look-up by it finds nothing (as in the other stores), instead of failing on the query.
 */
export function holdsNul(key: string | number): boolean {
  return typeof key === 'string' && key.includes('\0');
}

/** @throws NotFoundError */
export async function readRun(q: Queryable, runId: string): Promise<Run> {
  const run = (await readRuns(q, [runId])).get(runId);
  if (!run) throw new NotFoundError(`run ${runId} does not exist`);
  return run;
}

type ExperimentRow = ExperimentRowDb & { tags_json: Record<string, string> };

const EXPERIMENT_SELECT = `SELECT e.*, (SELECT coalesce(json_object_agg(t.key, t.value), '{}') FROM experiment_tags t
  WHERE t.experiment_id = e.experiment_id) AS tags_json FROM experiments e`;

export async function readExperiment(q: Queryable, where: 'experiment_id' | 'name', key: string | number): Promise<Experiment | undefined> {
  if (where === 'experiment_id' && experimentKey(String(key)) === undefined) return undefined;
  if (holdsNul(key)) return undefined;
  const { rows } = await q.query<ExperimentRow>(`${EXPERIMENT_SELECT} WHERE e.${where} = $1`, [key]);
  return rows[0] && toExperiment(rows[0], rows[0].tags_json);
}

export async function readExperiments(q: Queryable): Promise<Experiment[]> {
  return (await q.query<ExperimentRow>(`${EXPERIMENT_SELECT} ORDER BY e.experiment_id`)).rows.map((row) => toExperiment(row, row.tags_json));
}

/** Every study with its trial counts by state, best value and last activity. */
/** SQL: the trial row satisfies every constraint it stores (none stored: feasible); an infeasible trial is never the best. */
const FEASIBLE = ` AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(system_attrs::JSONB -> 'constraints') = 'array'
  THEN system_attrs::JSONB -> 'constraints' ELSE '[]'::JSONB END) AS c(v) WHERE jsonb_typeof(c.v) <> 'number' OR (c.v)::TEXT::FLOAT8 > 0)`;

export async function readStudySummaries(q: Queryable): Promise<StudySummary[]> {
  const { rows } = await q.query<StudyRowDb & { counts_json: [TrialState, number, number][] | null; lo: number | null; hi: number | null }>(
    `SELECT s.*,
       (SELECT json_agg(json_build_array(c.state, c.n, c.last)) FROM (SELECT state, count(*) AS n, max(coalesce(end_time, start_time)) AS last
          FROM trials WHERE study_id = s.study_id GROUP BY state) c) AS counts_json,
       (SELECT min(value) FROM trials WHERE study_id = s.study_id AND state = 'COMPLETE'${FEASIBLE}) AS lo,
       (SELECT max(value) FROM trials WHERE study_id = s.study_id AND state = 'COMPLETE'${FEASIBLE}) AS hi
     FROM studies s ORDER BY s.study_id`,
  );
  return rows.map((row) => {
    const study: StudyRecord = toStudy(row);
    const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
    let last: number | null = null;
    for (const [state, n, at] of row.counts_json ?? []) {
      counts[state] = Number(n);
      last = Math.max(last ?? 0, Number(at));
    }
    // Several objectives have a front, not one best value.
    if (study.directions.length > 1) return { study, counts, bestValue: null, lastActivity: last };
    const direction: Direction = study.directions[0] ?? 'minimize';
    const best = direction === 'minimize' ? row.lo : row.hi;
    return { study, counts, bestValue: best !== null && isBetter(best, null, direction) ? best : null, lastActivity: last };
  });
}

/** One page of a search (flat or nested), with whole runs. @throws ConfigError for a bad query */
export async function searchRuns(q: Queryable, query: SearchRunsQuery): Promise<SearchRunsPage<Run>> {
  const search = prepareSearch(query);
  if (!search.nested) {
    const { sql, args } = compilePrepared(search, 'auto', POSTGRESQL);
    const ids = (await q.query<{ run_id: string }>(toNumberedParams(sql), [...args])).rows.map((r) => r.run_id);
    const page = ids.length <= search.maxResults ? { items: ids } : { items: ids.slice(0, search.maxResults), more: true };
    const runs = await readRuns(q, page.items);
    const items = page.items.map((id) => runOf(runs, id));
    if (!('more' in page)) return { items };
    return { items, nextPageToken: encodePageToken(search.offset + search.maxResults) };
  }
  const { sql, args } = compileNested(search, 'auto', POSTGRESQL);
  const rows = (await q.query<NestedRow>(toNumberedParams(sql), [...args])).rows;
  const nested = assembleNested(rows, search);
  const runs = await readRuns(q, [...nested.runIds, ...Object.values(nested.children).flat()]);
  const children = Object.fromEntries(Object.entries(nested.children).map(([id, ids]) => [id, ids.map((c) => runOf(runs, c))]));
  return {
    items: nested.runIds.map((id) => runOf(runs, id)),
    ...(nested.nextPageToken !== undefined && { nextPageToken: nested.nextPageToken }),
    children,
  };
}

function runOf(runs: Map<string, Run>, id: string): Run {
  const run = runs.get(id);
  if (!run) throw new NotFoundError(`run ${id} vanished during the search`);
  return run;
}

/** @throws NotFoundError for an unknown study */
export async function studyOrThrow(q: Queryable, studyId: number): Promise<void> {
  if ((await q.query('SELECT 1 FROM studies WHERE study_id = $1', [studyId])).rowCount === 0) throw new NotFoundError(`study ${studyId} does not exist`);
}

/** @throws NotFoundError naming the first of `trialIds` that does not exist */
export async function trialsOrThrow(q: Queryable, trialIds: readonly number[]): Promise<void> {
  const known = new Set((await q.query<{ id: string }>('SELECT trial_id::TEXT AS id FROM trials WHERE trial_id = ANY($1)', [trialIds])).rows.map((r) => Number(r.id)));
  const unknown = trialIds.find((id) => !known.has(id));
  if (unknown !== undefined) throw new NotFoundError(`trial ${unknown} does not exist`);
}
