// The study page's trials table: filtered with the run search grammar (on the study's child runs,
// through store.searchRuns), sorted on trial fields, paginated on the server.
import { ConfigError } from '../errors.js';
import { externalValue } from '../study/trial-view.js';
import { isFeasible, trialConstraints } from '../study/objectives.js';
import type { TrialRecord } from '../tracking/entities.js';
import { decodePageToken, encodePageToken } from '../tracking/search/index.js';
import type { TrackingStore } from '../tracking/store.js';
import { filterError, finite, pageSize, type Json, type JsonObject } from './json.js';
import { paramDistributions } from './param-distributions.js';
import { requireStudy } from './study-page.js';
import { perVersion, readTrials } from './trial-cache.js';

export interface StudyTrialsOptions {
  /** Run search grammar over the trials' child runs: `params.lr < 0.01 AND metrics.loss < 1`, `attributes.status = 'FAILED'`, `tags."sweep.state" = 'PRUNED'`. */
  filter?: string;
  /** `number`, `value`, `state`, `duration`, `objective.<index>` (several objectives) or `params.<name>`, then ASC (default) or DESC. */
  orderBy?: string;
  /** Rows per page: default 50, at most 500. */
  pageSize?: number;
  /** `nextPageToken` of the previous page. */
  pageToken?: string;
}

/**
 * Route: `GET /api/ui/study/trials?name=NAME[&filter=F][&order_by=KEY DIR][&page_size=N][&page_token=T]`.
 *
 * Filtering runs the grammar where it is implemented, in the store (SQL for SQLite): one
 * `searchRuns` over the study's child runs (`parentRunId` = the study's parent run) gives the set of
 * matching trials, cached per filter and study version so paging costs no second search. Sorting
 * and paging then work on the trial records themselves, so numeric params sort as numbers (the
 * grammar orders params as text) and duration and trial number are exact. Missing values sort last
 * in both directions; ties go by trial number. A bad filter, order or page token answers
 * `{error, column}` (the ConfigError's message names the column) instead of throwing.
 * @throws NotFoundError for an unknown study
 */
export async function studyTrials(store: TrackingStore, name: string, opts: StudyTrialsOptions = {}): Promise<JsonObject> {
  const study = await requireStudy(store, name);
  const snap = await readTrials(store, study.studyId);
  const size = pageSize(opts.pageSize, 50, 500);
  const clause = (opts.orderBy ?? '').trim() || 'number ASC';
  let rows: readonly TrialRecord[];
  let offset = 0;
  try {
    offset = opts.pageToken ? decodePageToken(opts.pageToken) : 0;
    const compare = comparator(clause);
    // Sorted once per trial version and order; a filter keeps the order of what it keeps.
    rows = perVersion(store, study.studyId, snap.version, `order:${clause}`, () => [...snap.trials].sort(compare));
    const filter = opts.filter?.trim();
    if (filter) {
      const ids = await matchingRunIds(store, study.experimentId, study.parentRunId, filter, snap.version);
      rows = rows.filter((t) => ids.has(t.runId));
    }
  } catch (error) {
    return filterError(error);
  }
  const page = rows.slice(offset, offset + size);
  const paramNames = perVersion(store, study.studyId, snap.version, 'paramNames', () => [...paramDistributions(snap.trials).keys()]);
  return {
    version: snap.version,
    total: rows.length,
    offset,
    paramNames,
    items: page.map(trialRow),
    ...(offset + size < rows.length && { nextPageToken: encodePageToken(offset + size) }),
  };
}

/** A trial as a table row: params in their external form (a choice's option, not its index). */
function trialRow(t: TrialRecord): JsonObject {
  const params: Record<string, Json> = {};
  for (const [name, v] of Object.entries(t.params)) {
    const d = t.distributions[name];
    params[name] = d ? (externalValue(d, v) as Json) : v;
  }
  const error = t.state === 'FAIL' ? t.systemAttrs['error'] : undefined;
  return {
    number: t.number,
    state: t.state,
    value: finite(t.value),
    ...(t.values !== undefined && t.values !== null && { values: t.values.map((v) => finite(v)) }),
    ...(trialConstraints(t) !== undefined && { feasible: isFeasible(t) }),
    durationMs: t.endTime === null ? null : t.endTime - t.startTime,
    startTime: t.startTime,
    endTime: t.endTime,
    runId: t.runId,
    params,
    error: typeof error === 'object' && error !== null ? String((error as { message?: unknown }).message ?? '') : null,
  };
}

// --- internal ---

const filterCache = new WeakMap<TrackingStore, Map<string, Set<string>>>();

async function matchingRunIds(store: TrackingStore, experimentId: string, parentRunId: string, filter: string, version: number): Promise<Set<string>> {
  let perStore = filterCache.get(store);
  if (!perStore) filterCache.set(store, (perStore = new Map()));
  const key = `${parentRunId}\u0000${version}\u0000${filter}`;
  const hit = perStore.get(key);
  if (hit) return hit;
  const ids = new Set<string>();
  let pageToken: string | undefined;
  do {
    const page = await store.searchRuns({ experimentIds: [experimentId], parentRunId, filter, maxResults: 10_000, ...(pageToken && { pageToken }) });
    for (const run of page.items) ids.add(run.info.runId);
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (perStore.size >= 32) perStore.delete(perStore.keys().next().value as string);
  perStore.set(key, ids);
  return ids;
}

type Key = (t: TrialRecord) => number | string | null;

function comparator(clause: string): (a: TrialRecord, b: TrialRecord) => number {
  const m = /^(number|value|state|duration|objective\.(\d+)|params\.(.+?))(?:\s+(ASC|DESC))?$/i.exec(clause);
  if (!m) {
    throw new ConfigError(`order_by: expected number, value, state, duration, objective.<index> or params.<name>, then ASC or DESC, got ${JSON.stringify(clause)}`);
  }
  const field = (m[1] as string).toLowerCase();
  const objective = m[2] === undefined ? undefined : Number(m[2]);
  const param = m[3];
  const sign = (m[4] ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1;
  const key: Key =
    param !== undefined ? (t) => t.params[param] ?? null
    : objective !== undefined ? (t) => (t.state === 'COMPLETE' ? finite(t.values?.[objective]) : null)
    : field === 'value' ? (t) => (t.state === 'COMPLETE' ? finite(t.value) : null)
    : field === 'state' ? (t) => t.state
    : field === 'duration' ? (t) => (t.endTime === null ? null : t.endTime - t.startTime)
    : (t) => t.number;
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === kb) return a.number - b.number;
    if (ka === null) return 1;
    if (kb === null) return -1;
    return sign * (ka < kb ? -1 : 1);
  };
}
