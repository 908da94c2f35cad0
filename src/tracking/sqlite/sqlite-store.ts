// SQLite TrackingStore: one file, WAL, every write that matters in one BEGIN IMMEDIATE transaction.
// Several processes may share the file; trial numbers and claim keys are taken under the write lock.
import { artifactRootOf, experimentArtifactLocation } from '../artifact-sink.js';
import { BudgetExhaustedError, DuplicateError, NotFoundError } from '../../errors.js';
import type { Experiment, LifecycleStage, Metric, Run, RunBatch, RunInfo, StudyRecord, StudySummary, TrialParamInput, TrialRecord } from '../entities.js';
import type { NewRun, NewStudy, NewTrial, RunUpdate, TrackingStore, TrialFinish, TrialProgress, TrialSync } from '../store.js';
import { TAG_BEST_TRIAL, bestPoint, TAG_ROLE, TAG_RUN_NAME, TAG_STATE, TAG_STUDY, TAG_TRIAL, checkFinish, finalStep, isBetter, mayBeBest, objectiveMetricPoints,
  checkLifecycleChange, checkRunExperiment, newRunRecord, trialRunName } from '../store-rules.js';
import { runStatusOf } from '../trial-state.js';
import { openDatabase, read, writeTransaction, type Db } from './connection.js';
import { RunStatements, readExperiment, readExperimentById, toMetric } from './run-statements.js';
import { TrialStatements, summarize } from './trial-statements.js';
import { searchRunIds } from '../search/compile-sqlite.js';
import { searchNestedRunIds } from '../search/nested-sqlite.js';
import type { SearchRunsPage, SearchRunsQuery } from '../search/query.js';
import { TAG_LOG_MODEL_HISTORY, type DatasetInput } from '../registry/entities.js';
import { RegistryCore, type ModelRegistry } from '../registry/registry.js';
import { appendModelHistory, checkDatasetInputs, checkLoggedModel, contextOf, freezeInput, newInputs } from '../registry/run-models.js';
import { SqliteRegistryTables } from './registry-tables.js';

export interface SqliteStoreOptions {
  /** Where run artifacts go; default: `<db name>-artifacts` beside the file. */
  readonly artifactRoot?: string;
  readonly busyTimeoutMs?: number;
  /** Open without writing anything (no WAL switch, no migration); writes fail with a StorageError. */
  readonly readonly?: boolean;
}

export class SqliteStore implements TrackingStore {
  readonly uri: string;
  readonly artifactRoot: string;
  private readonly db: Db;
  private readonly runs: RunStatements;
  private readonly trials: TrialStatements;
  readonly registry: ModelRegistry;
  /** Experiments by id, for run inserts (their artifact location never changes). */
  private readonly experimentCache = new Map<string, Experiment>();

  /** @param path a file path or ':memory:' */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    this.uri = options.readonly === true ? `sqlite:${path}?mode=ro` : `sqlite:${path}`;
    this.db = openDatabase(path, {
      ...(options.busyTimeoutMs !== undefined && { busyTimeoutMs: options.busyTimeoutMs }),
      ...(options.readonly === true && { readonly: true }),
    });
    this.artifactRoot = artifactRootOf(options.artifactRoot ?? defaultArtifactRoot(path));
    this.runs = new RunStatements(this.db);
    this.trials = new TrialStatements(this.db);
    this.registry = new RegistryCore(new SqliteRegistryTables(this.db));
  }

  // --- experiments ---

  async createExperiment(name: string, tags: Readonly<Record<string, string>> = {}): Promise<Experiment> {
    return writeTransaction(this.db, `create experiment "${name}"`, () => this.insertExperiment(name, tags));
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return read('get experiment', () => this.experimentOrThrow(experimentId));
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return read('get experiment', () => readExperiment(this.db, 'name', name));
  }

  async ensureDefaultExperiment(): Promise<Experiment> {
    return writeTransaction(this.db, 'create the Default experiment', () => {
      const existing = readExperiment(this.db, 'experiment_id', 0);
      if (existing) return existing;
      const now = Date.now();
      this.db
        .prepare('INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (0, ?, ?, ?, ?)')
        .run('Default', experimentArtifactLocation(this.artifactRoot, '0'), now, now);
      return this.experimentOrThrow('0');
    });
  }

  async renameExperiment(experimentId: string, name: string): Promise<Experiment> {
    return writeTransaction(this.db, `rename experiment ${experimentId}`, () => {
      this.experimentOrThrow(experimentId);
      const taken = readExperiment(this.db, 'name', name);
      if (taken && taken.experimentId !== experimentId) throw new DuplicateError(`experiment "${name}" already exists`);
      this.db.prepare('UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?').run(name, Date.now(), Number(experimentId));
      return this.experimentOrThrow(experimentId);
    });
  }

  async setExperimentLifecycle(experimentId: string, stage: LifecycleStage): Promise<Experiment> {
    return writeTransaction(this.db, `set lifecycle of experiment ${experimentId}`, () => {
      checkLifecycleChange(this.experimentOrThrow(experimentId), stage);
      this.db.prepare('UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?').run(stage, Date.now(), Number(experimentId));
      this.db.prepare('UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?').run(stage, Number(experimentId));
      return this.experimentOrThrow(experimentId);
    });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    writeTransaction(this.db, `tag experiment ${experimentId}`, () => {
      this.experimentOrThrow(experimentId);
      this.db
        .prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value')
        .run(Number(experimentId), key, value);
    });
  }

  async listExperiments(): Promise<Experiment[]> {
    return read('list experiments', () => {
      const ids = this.db.prepare('SELECT experiment_id FROM experiments ORDER BY experiment_id').pluck().all() as number[];
      return ids.map((id) => readExperiment(this.db, 'experiment_id', id)).filter((e): e is Experiment => e !== undefined);
    });
  }

  // --- runs ---

  async createRun(run: NewRun): Promise<Run> {
    return writeTransaction(this.db, 'create run', () => this.runs.run(this.insertRun(run, true).runId));
  }

  async getRun(runId: string): Promise<Run> {
    return read('get run', () => this.runs.run(runId));
  }

  async updateRun(runId: string, update: RunUpdate): Promise<Run> {
    return writeTransaction(this.db, `update run ${runId}`, () => {
      const info = this.runs.runInfo(runId);
      this.runs.setStatus(runId, update.status ?? info.status, update.endTime === undefined ? info.endTime : update.endTime);
      if (update.runName !== undefined) {
        this.db.prepare('UPDATE runs SET name = ? WHERE run_id = ?').run(update.runName, runId);
        this.runs.writeBatch(runId, { tags: { [TAG_RUN_NAME]: update.runName } });
      }
      return this.runs.run(runId);
    });
  }

  async logBatch(runId: string, batch: RunBatch): Promise<void> {
    writeTransaction(this.db, `log batch to run ${runId}`, () => {
      this.runs.runInfo(runId);
      this.runs.writeBatch(runId, batch);
    });
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return read('get metric history', () => {
      this.runs.runInfo(runId);
      const rows = this.db
        .prepare('SELECT key, step, timestamp, value, is_nan FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, timestamp')
        .all(runId, key) as Parameters<typeof toMetric>[0][];
      return rows.map(toMetric);
    });
  }

  async searchRuns(query: SearchRunsQuery): Promise<SearchRunsPage<Run>> {
    return read('search runs', () => {
      const page = query.nested === true ? searchNestedRunIds(this.db, query) : searchRunIds(this.db, query);
      const items = page.runIds.map((id) => this.runs.run(id));
      const children = 'children' in page
        ? Object.fromEntries(Object.entries(page.children).map(([id, ids]) => [id, ids.map((c) => this.runs.run(c))]))
        : undefined;
      return { items, ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }), ...(children && { children }) };
    });
  }

  async setRunLifecycle(runId: string, stage: LifecycleStage): Promise<Run> {
    return writeTransaction(this.db, `set lifecycle of run ${runId}`, () => {
      this.runs.runInfo(runId);
      this.db.prepare('UPDATE runs SET lifecycle_stage = ? WHERE run_id = ?').run(stage, runId);
      return this.runs.run(runId);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    writeTransaction(this.db, `delete tag of run ${runId}`, () => {
      this.runs.runInfo(runId);
      const changed = this.db.prepare('DELETE FROM tags WHERE run_id = ? AND key = ?').run(runId, key).changes;
      if (changed === 0) throw new NotFoundError(`run ${runId} has no tag "${key}"`);
    });
  }

  // --- datasets and models of runs ---

  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    checkDatasetInputs(inputs);
    writeTransaction(this.db, `log inputs to run ${runId}`, () => {
      this.runs.runInfo(runId);
      const insert = this.db.prepare(
        `INSERT INTO run_inputs (run_id, name, digest, source_type, source, schema, profile, context, tags)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, name, digest) DO NOTHING`,
      );
      for (const input of newInputs([], inputs)) {
        const d = input.dataset;
        insert.run(runId, d.name, d.digest, d.sourceType, d.source, d.schema ?? null, d.profile ?? null, contextOf(input), JSON.stringify(input.tags));
      }
    });
  }

  async getRunInputs(runId: string): Promise<DatasetInput[]> {
    return read('get run inputs', () => {
      this.runs.runInfo(runId);
      const rows = this.db.prepare('SELECT * FROM run_inputs WHERE run_id = ? ORDER BY input_id').all(runId) as {
        name: string; digest: string; source_type: string; source: string; schema: string | null; profile: string | null; tags: string;
      }[];
      return rows.map((r) => freezeInput({
        dataset: {
          name: r.name, digest: r.digest, sourceType: r.source_type, source: r.source,
          ...(r.schema !== null && { schema: r.schema }), ...(r.profile !== null && { profile: r.profile }),
        },
        tags: JSON.parse(r.tags) as Record<string, string>,
      }));
    });
  }

  async recordLoggedModel(runId: string, model: Readonly<Record<string, unknown>>): Promise<void> {
    checkLoggedModel(model);
    writeTransaction(this.db, `log a model to run ${runId}`, () => {
      this.runs.runInfo(runId);
      const current = this.db.prepare('SELECT value FROM tags WHERE run_id = ? AND key = ?').pluck().get(runId, TAG_LOG_MODEL_HISTORY) as string | undefined;
      this.runs.writeBatch(runId, { tags: { [TAG_LOG_MODEL_HISTORY]: appendModelHistory(current, model) } });
    });
  }

  // --- studies and trials ---

  async createStudy(study: NewStudy): Promise<StudyRecord> {
    return writeTransaction(this.db, `create study "${study.name}"`, () => {
      if (this.trials.studyByName(study.name)) throw new DuplicateError(`study "${study.name}" already exists`);
      const experimentName = study.experimentName ?? study.name;
      const experiment = readExperiment(this.db, 'name', experimentName) ?? this.insertExperiment(experimentName, {});
      const parent = this.insertRun({
        experimentId: experiment.experimentId,
        runName: study.name,
        tags: { ...study.tags, [TAG_STUDY]: study.name, [TAG_ROLE]: 'study' },
      });
      return this.trials.insertStudy(study, experiment.experimentId, parent.runId);
    });
  }

  async getStudy(name: string): Promise<StudyRecord | undefined> {
    return read('get study', () => this.trials.studyByName(name));
  }

  async listStudies(): Promise<StudySummary[]> {
    return read('list studies', () => this.trials.allStudies().map((s) => summarize(this.db, s)));
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    return writeTransaction(this.db, () => `create a trial of ${this.trials.studyLabel(studyId)}`, () => {
      const study = this.trials.studyById(studyId);
      if (trial.claimKey !== undefined && this.trials.isClaimed(studyId, trial.claimKey)) {
        throw new DuplicateError(`study "${study.name}": claim ${trial.claimKey} is already held`);
      }
      const number = this.trials.nextNumber(studyId);
      if (trial.maxTrials !== undefined && number >= trial.maxTrials) {
        throw new BudgetExhaustedError(`study "${study.name}" already has ${number} trials (max ${trial.maxTrials})`);
      }
      const startTime = trial.startTime ?? Date.now();
      const run = this.insertRun({
        experimentId: study.experimentId,
        runName: trialRunName(study.name, number),
        startTime,
        parentRunId: study.parentRunId,
        tags: { [TAG_STUDY]: study.name, [TAG_TRIAL]: String(number), [TAG_ROLE]: 'trial' },
      });
      const state = trial.state ?? 'RUNNING';
      if (state === 'WAITING') this.runs.setStatus(run.runId, 'SCHEDULED', null);
      const created = this.trials.insertTrial(study, number, run.runId, state, startTime, trial);
      if (trial.params === undefined || trial.params.length === 0) return created;
      if (trial.expectedNumber !== undefined && trial.expectedNumber !== number) return created;
      this.writeParams(created, trial.params);
      return this.trials.trialById(created.trialId);
    });
  }

  async claimWaitingTrial(studyId: number, workerId: string): Promise<TrialRecord | undefined> {
    return writeTransaction(this.db, () => `claim a waiting trial of ${this.trials.studyLabel(studyId)}`, () => {
      const waiting = this.trials.firstWaiting(studyId);
      if (!waiting) return undefined;
      const now = Date.now();
      this.runs.setStatus(waiting.runId, 'RUNNING', null);
      return this.trials.start(waiting, workerId, now);
    });
  }

  async setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    writeTransaction(this.db, () => `set params of ${this.trials.trialLabel(trialId)}`, () => this.writeParams(this.trials.trialById(trialId), params));
  }

  async recordTrialProgress(trialId: number, progress: TrialProgress): Promise<void> {
    writeTransaction(this.db, () => `record progress of ${this.trials.trialLabel(trialId)}`, () => {
      const trial = this.trials.trialById(trialId);
      this.writeProgress(trial, this.trials.studyById(trial.studyId), progress);
    });
  }

  async finishTrial(trialId: number, finish: TrialFinish): Promise<boolean> {
    return writeTransaction(this.db, () => `finish ${this.trials.trialLabel(trialId)}`, () => {
      let trial = this.trials.trialById(trialId);
      const study = this.trials.studyById(trial.studyId);
      checkFinish(finish, trial.number, study);
      if (trial.state !== 'RUNNING' && trial.state !== 'WAITING') return false;
      if (finish.onlyIfHeartbeatBefore !== undefined && (trial.heartbeat ?? 0) >= finish.onlyIfHeartbeatBefore) return false;
      if (finish.params !== undefined && finish.params.length > 0) trial = this.writeParams(trial, finish.params);
      if (finish.intermediate !== undefined && finish.intermediate.length > 0) trial = this.writeProgress(trial, study, { intermediate: finish.intermediate });
      const endTime = Math.max(finish.endTime ?? Date.now(), trial.startTime);
      const runId = trial.runId;
      const metrics: Metric[] = [
        ...(finish.metrics ?? []),
        ...objectiveMetricPoints(study, finish, finalStep(trial.intermediate), endTime, (key) => this.runs.lastTimestamp(runId, key)),
      ];
      this.runs.writeBatch(trial.runId, { metrics, tags: { ...finish.tags, [TAG_STATE]: finish.state } });
      this.runs.setStatus(trial.runId, runStatusOf(finish.state), endTime);
      // The parent run tracks the best value of a single objective; with several, the trial runner logs the front.
      if (mayBeBest(finish) && study.directions.length === 1) {
        const best = this.runs.latest(study.parentRunId, study.metric);
        if (isBetter(finish.value, best?.value, study.directions[0] ?? 'minimize')) {
          this.runs.writeBatch(study.parentRunId, {
            metrics: [{ key: study.metric, value: finish.value, ...bestPoint(trial.number, endTime, best) }],
            tags: { [TAG_BEST_TRIAL]: String(trial.number) },
          });
        }
      }
      this.trials.finish(trial, finish, endTime);
      return true;
    });
  }

  async heartbeat(trialIds: readonly number[], at: number): Promise<void> {
    if (trialIds.length === 0) return;
    writeTransaction(this.db, 'heartbeat', () => {
      for (const id of trialIds) this.trials.touch(id, at);
    });
  }

  async getTrials(studyId: number): Promise<TrialRecord[]> {
    return read('get trials', () => this.trials.sync(studyId, 0).trials);
  }

  async syncTrials(studyId: number, cursor = 0): Promise<TrialSync> {
    return read('sync trials', () => this.trials.sync(studyId, cursor));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // --- internal ---

  private experimentOrThrow(experimentId: string): Experiment {
    const found = readExperimentById(this.db, experimentId);
    if (!found) throw new NotFoundError(`experiment ${experimentId} does not exist`);
    return found;
  }

  private writeParams(trial: TrialRecord, params: readonly TrialParamInput[]): TrialRecord {
    const labels: Record<string, string> = {};
    for (const p of params) labels[p.name] = p.label;
    this.runs.writeBatch(trial.runId, { params: labels });
    return this.trials.mergeParams(trial, params);
  }

  private writeProgress(trial: TrialRecord, study: StudyRecord, progress: TrialProgress): TrialRecord {
    const metrics: Metric[] = [...(progress.metrics ?? [])];
    for (const point of progress.intermediate ?? []) metrics.push({ key: study.metric, ...point });
    this.runs.writeBatch(trial.runId, { metrics, tags: progress.tags ?? {} });
    return this.trials.mergeProgress(trial, progress.intermediate ?? [], progress.heartbeat);
  }

  private insertExperiment(name: string, tags: Readonly<Record<string, string>>): Experiment {
    if (readExperiment(this.db, 'name', name)) throw new DuplicateError(`experiment "${name}" already exists`);
    const now = Date.now();
    const id = Number(
      this.db
        .prepare('INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (?, ?, ?, ?)')
        .run(name, '', now, now).lastInsertRowid,
    );
    this.db.prepare('UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?').run(experimentArtifactLocation(this.artifactRoot, String(id)), id);
    const insertTag = this.db.prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)');
    for (const [key, value] of Object.entries(tags)) insertTag.run(id, key, value);
    const created = readExperiment(this.db, 'experiment_id', id);
    if (!created) throw new NotFoundError(`experiment ${id} vanished after insert`);
    return created;
  }

  private insertRun(run: NewRun, checkActiveNow = false): RunInfo {
    let experiment = this.experimentCache.get(run.experimentId);
    if (!experiment) {
      experiment = readExperimentById(this.db, run.experimentId);
      if (!experiment) throw new NotFoundError(`experiment ${run.experimentId} does not exist`);
      this.experimentCache.set(run.experimentId, experiment);
    }
    if (checkActiveNow) checkRunExperiment(run.experimentId, readExperimentById(this.db, run.experimentId)?.lifecycleStage);
    const { info, tags } = newRunRecord(run, experiment);
    return this.runs.insertRun(info, tags);
  }
}

function defaultArtifactRoot(path: string): string {
  if (path === ':memory:') return 'sweep-artifacts'; // in the working directory
  return path.replace(/\.(db|sqlite3?)$/i, '') + '-artifacts';
}
