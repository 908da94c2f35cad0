// PostgreSQL TrackingStore: many processes on many hosts share one study. Every trial operation is
// ONE round trip (a plpgsql function in schema-functions.ts, atomic on its own); trial numbers, claim
// keys and the trial budget are taken under a per-study lock only creation takes, waiting trials are
// claimed with SKIP LOCKED, finishing is a compare-and-set, and history syncs by transaction id
// (pg-trial-sync.ts). Calls are retried through restarts and dropped connections
// (connection.ts); creating and finishing a trial carry a token, so a retry after a commit whose
// answer was lost returns the first result instead of writing twice.
import { resolve } from 'node:path';
import { artifactRootOf, experimentArtifactLocation } from '../artifact-sink.js';
import { DuplicateError, NotFoundError } from '../../errors.js';
import type {
  Experiment, LifecycleStage, Metric, Run, RunBatch, StudyRecord, StudySummary, TrialParamInput, TrialRecord,
} from '../entities.js';
import type { NewRun, NewStudy, NewTrial, RunUpdate, TrackingStore, TrialFinish, TrialProgress, TrialSync } from '../store.js';
import { TAG_ROLE, TAG_RUN_NAME, TAG_STUDY, checkLifecycleChange, checkRunExperiment, newRunRecord } from '../store-rules.js';
import { toMetric, toStudy, type MetricRowDb, type StudyRowDb } from '../rows.js';
import type { SearchRunsPage, SearchRunsQuery } from '../search/query.js';
import type { DatasetInput } from '../registry/entities.js';
import { RegistryCore, type ModelRegistry } from '../registry/registry.js';
import { checkSharedArtifactRoot } from './pg-artifacts.js';
import { PgRegistryTables } from './pg-registry-tables.js';
import { logRunInputs, readRunInputs, recordRunModel } from './pg-run-models.js';
import { PgConnection, parsePgUri, type PgOptions, type Queryable } from './connection.js';
import { holdsNul, readExperiment, readExperiments, readRun, readRuns, readStudySummaries, searchRuns } from './pg-reads.js';
import { syncTrials } from './pg-trial-sync.js';
import { PgTrials } from './pg-trials.js';
import { batchArgs } from './pg-args.js';

export interface PgStoreOptions {
  /** Where run artifacts go; default `?artifacts=` of the URI, else ./sweep-artifacts. */
  readonly artifactRoot?: string;
}

export class PgStore implements TrackingStore {
  readonly uri: string;
  readonly artifactRoot: string;
  /** Whether the artifact root was chosen (a URI's `?artifacts=` or an option), not defaulted to a local directory. */
  readonly artifactRootIsExplicit: boolean;
  /** The server's start time at the last sync, the newest cursor handed out, and that before the last restart (see syncTrials). */
  private serverStart: string | undefined;
  private cursorMax = -1;
  private restartFloor = -1;
  /** Registered models and their versions, stages and aliases, in this database. */
  readonly registry: ModelRegistry;
  private readonly conn: PgConnection;
  private readonly experimentCache = new Map<string, Experiment>();
  /** Trial writes, naming studies and trials as users know them. */
  private readonly trials: PgTrials;

  /** @throws ConfigError for a malformed URI (no connection is made until the first call) */
  constructor(uri: string | PgOptions, options: PgStoreOptions = {}) {
    const parsed = typeof uri === 'string' ? parsePgUri(uri) : uri;
    this.uri = parsed.displayUri;
    const explicit = options.artifactRoot ?? parsed.artifactRoot;
    this.artifactRootIsExplicit = explicit !== undefined;
    this.artifactRoot = explicit !== undefined ? artifactRootOf(explicit, `storage ${this.uri}: artifacts`) : resolve('sweep-artifacts');
    this.conn = new PgConnection(parsed);
    this.registry = new RegistryCore(new PgRegistryTables(this.conn));
    this.trials = new PgTrials(this.conn, () => this.clockOffset);
  }

  /**
   * Whether this host can put artifacts where every host and the UI find them (see pg-artifacts.ts):
   * a note when they stay on this host only. @throws ConfigError for a shared directory not writable here
   */
  checkArtifactLocation(): string | undefined {
    return checkSharedArtifactRoot(this.uri, this.artifactRoot, this.artifactRootIsExplicit);
  }

  /** The database's clock (ms): one time for every host, whatever their own clocks say. */
  async clock(): Promise<number> {
    const sent = Date.now();
    const now = await this.conn.run('read the clock', async (q) => Number((await q.query<{ now: number }>('SELECT sweep_now() AS now')).rows[0]?.now));
    this.clockOffset = Math.round(now - (sent + Date.now()) / 2);
    return now;
  }

  /** The database's clock minus this host's, as the latest clock() saw it (0 before any). */
  private clockOffset = 0;

  // --- experiments ---

  async createExperiment(name: string, tags: Readonly<Record<string, string>> = {}): Promise<Experiment> {
    return this.conn.run(`create experiment "${name}"`, (q) => this.insertExperiment(q, name, tags), true);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return this.conn.run('get experiment', (q) => experimentOrThrow(q, experimentId));
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.conn.run('get experiment', (q) => readExperiment(q, 'name', name));
  }

  async ensureDefaultExperiment(): Promise<Experiment> {
    return this.conn.run('create the Default experiment', async (q) => {
      const now = Date.now();
      await q.query(
        `INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (0, 'Default', $1, $2, $2)
         ON CONFLICT DO NOTHING`,
        [experimentArtifactLocation(this.artifactRoot, '0'), now],
      );
      return experimentOrThrow(q, '0');
    });
  }

  async listExperiments(): Promise<Experiment[]> {
    return this.conn.run('list experiments', (q) => readExperiments(q));
  }

  async renameExperiment(experimentId: string, name: string): Promise<Experiment> {
    return this.conn.run(`rename experiment ${experimentId}`, async (q) => {
      await experimentOrThrow(q, experimentId);
      const taken = await readExperiment(q, 'name', name);
      if (taken && taken.experimentId !== experimentId) throw new DuplicateError(`experiment "${name}" already exists`);
      await q.query('UPDATE experiments SET name = $1, last_update_time = $2 WHERE experiment_id = $3', [name, Date.now(), experimentId]);
      return experimentOrThrow(q, experimentId);
    }, true);
  }

  async setExperimentLifecycle(experimentId: string, stage: LifecycleStage): Promise<Experiment> {
    return this.conn.run(`set lifecycle of experiment ${experimentId}`, async (q) => {
      checkLifecycleChange(await experimentOrThrow(q, experimentId), stage);
      await q.query('UPDATE experiments SET lifecycle_stage = $1, last_update_time = $2 WHERE experiment_id = $3', [stage, Date.now(), experimentId]);
      await q.query('UPDATE runs SET lifecycle_stage = $1 WHERE experiment_id = $2', [stage, experimentId]);
      return experimentOrThrow(q, experimentId);
    }, true);
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.conn.run(`tag experiment ${experimentId}`, async (q) => {
      await experimentOrThrow(q, experimentId);
      await q.query(
        'INSERT INTO experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value',
        [experimentId, key, value],
      );
    }, true);
  }

  // --- runs ---

  async createRun(run: NewRun): Promise<Run> {
    const experiment = await this.experimentFor(run.experimentId);
    const { info, tags } = newRunRecord(run, experiment);
    await this.conn.run('create run', async (q) => {
      // A share lock on the experiment's row: a delete of it waits for this run, or this sees it deleted.
      const { rows } = await q.query<{ stage: LifecycleStage }>('SELECT lifecycle_stage AS stage FROM experiments WHERE experiment_id = $1 FOR SHARE', [info.experimentId]);
      checkRunExperiment(info.experimentId, rows[0]?.stage);
      await insertRun(q, info, tags);
    }, true);
    return Object.freeze({ info: Object.freeze(info), data: Object.freeze({ params: {}, metrics: {}, tags: Object.freeze(tags) }) });
  }

  async getRun(runId: string): Promise<Run> {
    return this.conn.run('get run', (q) => readRun(q, runId));
  }

  async updateRun(runId: string, update: RunUpdate): Promise<Run> {
    return this.conn.run(`update run ${runId}`, async (q) => {
      const { rows } = await q.query<{ status: string; end_time: number | null }>('SELECT status, end_time FROM runs WHERE run_id = $1 FOR UPDATE', [runId]);
      const info = rows[0];
      if (!info) throw new NotFoundError(`run ${runId} does not exist`);
      await q.query('UPDATE runs SET status = $1, end_time = $2 WHERE run_id = $3', [
        update.status ?? info.status, update.endTime === undefined ? info.end_time : update.endTime, runId,
      ]);
      if (update.runName !== undefined) {
        await q.query('UPDATE runs SET name = $1 WHERE run_id = $2', [update.runName, runId]);
        await q.query('SELECT sweep_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)', [runId, ...batchArgs({ tags: { [TAG_RUN_NAME]: update.runName } })]);
      }
      return readRun(q, runId);
    }, true);
  }

  async logBatch(runId: string, batch: RunBatch): Promise<void> {
    await this.conn.run(`log batch to run ${runId}`, (q) =>
      q.query({ name: 'sweep_log_batch', text: 'SELECT sweep_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)', values: [runId, ...batchArgs(batch)] }));
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.conn.run('get metric history', async (q) => {
      const { rows } = await q.query<MetricRowDb & { known: boolean }>(
        `SELECT m.key, m.step, m.timestamp, m.value, m.is_nan, TRUE AS known FROM metrics m WHERE m.run_id = $1 AND m.key = $2
         UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, EXISTS (SELECT 1 FROM runs WHERE run_id = $1)
         ORDER BY step NULLS FIRST, timestamp`,
        [holdsNul(runId) ? null : runId, holdsNul(key) ? null : key],
      );
      if (rows[0]?.known !== true) throw new NotFoundError(`run ${runId} does not exist`);
      return rows.slice(1).map(toMetric);
    });
  }

  async searchRuns(query: SearchRunsQuery): Promise<SearchRunsPage<Run>> {
    return this.conn.run('search runs', (q) => searchRuns(q, query));
  }

  async setRunLifecycle(runId: string, stage: LifecycleStage): Promise<Run> {
    return this.conn.run(`set lifecycle of run ${runId}`, async (q) => {
      const { rowCount } = await q.query('UPDATE runs SET lifecycle_stage = $1 WHERE run_id = $2', [stage, runId]);
      if (rowCount === 0) throw new NotFoundError(`run ${runId} does not exist`);
      return readRun(q, runId);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.conn.run(`delete tag of run ${runId}`, async (q) => {
      const { rowCount } = await q.query('DELETE FROM tags WHERE run_id = $1 AND key = $2', [runId, key]);
      if (rowCount !== 0) return;
      await readRun(q, runId); // NotFoundError for an unknown run
      throw new NotFoundError(`run ${runId} has no tag "${key}"`);
    });
  }

  // --- datasets and models of runs (pg-run-models.ts) ---

  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    await logRunInputs(this.conn, runId, inputs);
  }

  async getRunInputs(runId: string): Promise<DatasetInput[]> {
    return readRunInputs(this.conn, runId);
  }

  async recordLoggedModel(runId: string, model: Readonly<Record<string, unknown>>): Promise<void> {
    await recordRunModel(this.conn, runId, model);
  }

  // --- studies and trials ---

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    const experimentName = study.experimentName ?? study.name;
    return this.conn.run(`create study "${study.name}"`, async (q) => {
      if ((await q.query('SELECT 1 FROM studies WHERE name = $1', [study.name])).rowCount !== 0) {
        throw new DuplicateError(`study "${study.name}" already exists`);
      }
      const experiment = (await readExperiment(q, 'name', experimentName)) ?? (await this.insertExperiment(q, experimentName, {}));
      const { info, tags } = newRunRecord({
        experimentId: experiment.experimentId, runName: study.name, tags: { ...study.tags, [TAG_STUDY]: study.name, [TAG_ROLE]: 'study' },
      }, experiment);
      await insertRun(q, info, tags);
      const { rows } = await q.query<StudyRowDb>(
        `INSERT INTO studies (name, experiment_id, parent_run_id, directions, metric, metrics, space, sampler, pruner, seed, created_time)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
        [study.name, experiment.experimentId, info.runId, JSON.stringify(study.directions), study.metric,
          study.metrics !== undefined && study.metrics.length > 1 ? JSON.stringify(study.metrics) : null, study.space,
          JSON.stringify(study.sampler), study.pruner ? JSON.stringify(study.pruner) : null, study.seed, Date.now()],
      );
      return this.rememberStudy(toStudy(rows[0] as StudyRowDb));
    }, true);
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    return this.conn.run('get study', async (q) => {
      const row = (await q.query<StudyRowDb>('SELECT * FROM studies WHERE name = $1', [name])).rows[0];
      return row && this.rememberStudy(toStudy(row));
    });
  }

  async listStudies(): Promise<StudySummary[]> {
    const summaries = await this.conn.run('list studies', (q) => readStudySummaries(q));
    for (const s of summaries) this.rememberStudy(s.study);
    return summaries;
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    return this.trials.create(studyId, trial);
  }

  async claimWaitingTrial(studyId: number, workerId: string): Promise<TrialRecord | undefined> {
    return this.trials.claimWaiting(studyId, workerId);
  }

  async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    await this.trials.setParams(trialId, params);
  }

  async recordTrialProgress(trialId: number, progress: TrialProgress): Promise<void> {
    await this.trials.recordProgress(trialId, progress);
  }

  async finishTrial(trialId: number, finish: TrialFinish): Promise<boolean> {
    return this.trials.finish(trialId, finish);
  }

  async heartbeat(trialIds: readonly number[], at: number): Promise<void> {
    await this.trials.heartbeat(trialIds, at);
  }

  async getTrials(studyId: number): Promise<TrialRecord[]> {
    return (await this.syncTrials(studyId)).trials;
  }

  /**
   * A crash of the server (or `pg_ctl stop -m immediate`) loses the transactions it had not flushed,
   * and hands their ids out again: a cursor taken before it may be newer than the writes after it,
   * which an incremental read would then miss for good. So once the server's start time changes, a
   * cursor no newer than every cursor handed out before is answered with a full read (merged by seq,
   * so nothing is lost or doubled), until the ids move past it.
   */
  async syncTrials(studyId: number, cursor?: number): Promise<TrialSync> {
    return this.conn.run(`get the trials of ${this.trials.labels.study(studyId)}`, async (q) => {
      let sync = await syncTrials(q, studyId, cursor).catch((error: unknown) => {
        throw this.trials.labels.relabel(error, { studyId });
      });
      if (this.serverStart !== undefined && sync.serverStart !== this.serverStart) this.restartFloor = this.cursorMax;
      this.serverStart = sync.serverStart;
      if (cursor !== undefined && cursor <= this.restartFloor) sync = await syncTrials(q, studyId, undefined);
      this.cursorMax = Math.max(this.cursorMax, sync.cursor);
      return { trials: sync.trials, cursor: sync.cursor };
    });
  }

  async close(): Promise<void> {
    await this.conn.close();
  }

  // --- internal ---

  private rememberStudy(study: StudyRecord): StudyRecord {
    this.trials.labels.rememberStudy(study);
    return study;
  }

  private async experimentFor(experimentId: string): Promise<Experiment> {
    let experiment = this.experimentCache.get(experimentId);
    if (!experiment) {
      experiment = await this.conn.run('create run', (q) => experimentOrThrow(q, experimentId));
      this.experimentCache.set(experimentId, experiment);
    }
    return experiment;
  }

  private async insertExperiment(q: Queryable, name: string, tags: Readonly<Record<string, string>>): Promise<Experiment> {
    if (await readExperiment(q, 'name', name)) throw new DuplicateError(`experiment "${name}" already exists`);
    const now = Date.now();
    const { rows } = await q.query<{ experiment_id: number }>(
      `INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES ($1, '', $2, $2) RETURNING experiment_id`, [name, now]);
    const id = String(rows[0]?.experiment_id);
    await q.query('UPDATE experiments SET artifact_location = $1 WHERE experiment_id = $2', [experimentArtifactLocation(this.artifactRoot, id), id]);
    const entries = Object.entries(tags);
    if (entries.length > 0) {
      await q.query('INSERT INTO experiment_tags (experiment_id, key, value) SELECT $1, k, v FROM unnest($2::TEXT[], $3::TEXT[]) AS u(k, v)',
        [id, entries.map(([k]) => k), entries.map(([, v]) => v)]);
    }
    return experimentOrThrow(q, id);
  }
}

async function experimentOrThrow(q: Queryable, experimentId: string): Promise<Experiment> {
  const found = await readExperiment(q, 'experiment_id', experimentId);
  if (!found) throw new NotFoundError(`experiment ${experimentId} does not exist`);
  return found;
}

/** Inserts a run and its tags; again after a retry, nothing (the run id is the run's). */
async function insertRun(q: Queryable, info: Run['info'], tags: Readonly<Record<string, string>>): Promise<void> {
  const entries = Object.entries(tags);
  await q.query(
    `WITH run AS (
       INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage, artifact_uri, user_id, parent_run_id)
       VALUES ($1, $2, $3, $4, $5, NULL, 'active', $6, $7, $8) ON CONFLICT (run_id) DO NOTHING RETURNING run_id)
     INSERT INTO tags (run_id, key, value) SELECT run.run_id, k, v FROM run, unnest($9::TEXT[], $10::TEXT[]) AS u(k, v)`,
    [info.runId, info.experimentId, info.runName, info.status, info.startTime, info.artifactUri, info.userId, info.parentRunId,
      entries.map(([k]) => k), entries.map(([, v]) => v)],
  );
}
