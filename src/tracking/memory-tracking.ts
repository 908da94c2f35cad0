// In-memory experiments and runs (MLflow's model): the tracking half of MemoryStore, which adds
// studies and trials on top. Nothing survives the process.
import { join } from 'node:path';
import { artifactRootOf, experimentArtifactLocation } from './artifact-sink.js';
import { tmpdir } from 'node:os';
import { DuplicateError, NotFoundError } from '../errors.js';
import type { Experiment, LifecycleStage, Metric, Run, RunBatch } from './entities.js';
import { logBatchToRow, snapshotRow, type RunRow } from './memory-runs.js';
import { searchRunRows } from './search/evaluate-memory.js';
import type { SearchRunsPage, SearchRunsQuery } from './search/query.js';
import type { NewRun, RunUpdate } from './store.js';
import { TAG_LOG_MODEL_HISTORY, type DatasetInput } from './registry/entities.js';
import { MemoryRegistryTables } from './registry/memory-tables.js';
import { RegistryCore, type ModelRegistry } from './registry/registry.js';
import { appendModelHistory, checkDatasetInputs, checkLoggedModel, newInputs } from './registry/run-models.js';
import { TAG_RUN_NAME, checkLifecycleChange, checkRunExperiment, newRunRecord } from './store-rules.js';

export class MemoryTracking {
  readonly artifactRoot: string;
  protected readonly experiments = new Map<string, Experiment>();
  protected readonly runs = new Map<string, RunRow>();
  readonly registry: ModelRegistry = new RegistryCore(new MemoryRegistryTables());
  private nextExperimentId = 1;

  constructor(options: { artifactRoot?: string } = {}) {
    this.artifactRoot = options.artifactRoot === undefined ? join(tmpdir(), `sweep-artifacts-${process.pid}`) : artifactRootOf(options.artifactRoot);
  }

  // --- experiments ---

  async createExperiment(name: string, tags: Readonly<Record<string, string>> = {}): Promise<Experiment> {
    return this.createExperimentSync(name, tags);
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const found = this.experiments.get(experimentId);
    if (!found) throw new NotFoundError(`experiment ${experimentId} does not exist`);
    return found;
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.findExperiment(name);
  }

  async ensureDefaultExperiment(): Promise<Experiment> {
    const existing = this.experiments.get('0');
    if (existing) return existing;
    const now = Date.now();
    const experiment: Experiment = Object.freeze({
      experimentId: '0', name: 'Default', artifactLocation: experimentArtifactLocation(this.artifactRoot, '0'), lifecycleStage: 'active',
      creationTime: now, lastUpdateTime: now, tags: Object.freeze({}),
    });
    this.experiments.set('0', experiment);
    return experiment;
  }

  async renameExperiment(experimentId: string, name: string): Promise<Experiment> {
    const experiment = await this.getExperiment(experimentId);
    const taken = this.findExperiment(name);
    if (taken && taken.experimentId !== experimentId) throw new DuplicateError(`experiment "${name}" already exists`);
    return this.replaceExperiment({ ...experiment, name });
  }

  async setExperimentLifecycle(experimentId: string, stage: LifecycleStage): Promise<Experiment> {
    const experiment = await this.getExperiment(experimentId);
    checkLifecycleChange(experiment, stage);
    for (const row of this.runs.values()) if (row.info.experimentId === experimentId) row.info = { ...row.info, lifecycleStage: stage };
    return this.replaceExperiment({ ...experiment, lifecycleStage: stage });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    const experiment = await this.getExperiment(experimentId);
    this.experiments.set(experimentId, Object.freeze({ ...experiment, tags: Object.freeze({ ...experiment.tags, [key]: value }) }));
  }

  async listExperiments(): Promise<Experiment[]> {
    return [...this.experiments.values()];
  }

  // --- runs ---

  async createRun(run: NewRun): Promise<Run> {
    checkRunExperiment(run.experimentId, this.experiments.get(run.experimentId)?.lifecycleStage);
    return snapshotRow(this.createRunSync(run));
  }

  async getRun(runId: string): Promise<Run> {
    return snapshotRow(this.runRow(runId));
  }

  async updateRun(runId: string, update: RunUpdate): Promise<Run> {
    const row = this.runRow(runId);
    row.info = {
      ...row.info,
      ...(update.status !== undefined && { status: update.status }),
      ...(update.endTime !== undefined && { endTime: update.endTime }),
      ...(update.runName !== undefined && { runName: update.runName }),
    };
    if (update.runName !== undefined) row.tags.set(TAG_RUN_NAME, update.runName);
    return snapshotRow(row);
  }

  async logBatch(runId: string, batch: RunBatch): Promise<void> {
    logBatchToRow(this.runRow(runId), batch);
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const history = this.runRow(runId).history.get(key) ?? [];
    return [...history].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  }

  async searchRuns(query: SearchRunsQuery): Promise<SearchRunsPage<Run>> {
    const page = searchRunRows(this.runs.values(), query);
    const items = page.items.map(snapshotRow);
    const children = page.children && Object.fromEntries(Object.entries(page.children).map(([id, rows]) => [id, rows.map(snapshotRow)]));
    return { items, ...(page.nextPageToken !== undefined && { nextPageToken: page.nextPageToken }), ...(children && { children }) };
  }

  async setRunLifecycle(runId: string, stage: LifecycleStage): Promise<Run> {
    const row = this.runRow(runId);
    row.info = { ...row.info, lifecycleStage: stage };
    return snapshotRow(row);
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    if (!this.runRow(runId).tags.delete(key)) throw new NotFoundError(`run ${runId} has no tag "${key}"`);
  }

  // --- datasets and models of runs ---

  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    checkDatasetInputs(inputs);
    const row = this.runRow(runId);
    row.inputs = [...(row.inputs ?? []), ...newInputs(row.inputs ?? [], inputs)];
  }

  async getRunInputs(runId: string): Promise<DatasetInput[]> {
    return [...(this.runRow(runId).inputs ?? [])];
  }

  async recordLoggedModel(runId: string, model: Readonly<Record<string, unknown>>): Promise<void> {
    checkLoggedModel(model);
    const row = this.runRow(runId);
    row.tags.set(TAG_LOG_MODEL_HISTORY, appendModelHistory(row.tags.get(TAG_LOG_MODEL_HISTORY), model));
  }

  // --- internal ---

  protected createExperimentSync(name: string, tags: Readonly<Record<string, string>>): Experiment {
    if (this.findExperiment(name)) throw new DuplicateError(`experiment "${name}" already exists`);
    const experimentId = String(this.nextExperimentId++);
    const now = Date.now();
    const experiment: Experiment = Object.freeze({
      experimentId,
      name,
      artifactLocation: experimentArtifactLocation(this.artifactRoot, experimentId),
      lifecycleStage: 'active',
      creationTime: now,
      lastUpdateTime: now,
      tags: Object.freeze({ ...tags }),
    });
    this.experiments.set(experimentId, experiment);
    return experiment;
  }

  protected createRunSync(run: NewRun): RunRow {
    const experiment = this.experiments.get(run.experimentId);
    if (!experiment) throw new NotFoundError(`experiment ${run.experimentId} does not exist`);
    const { info, tags } = newRunRecord(run, experiment);
    const row: RunRow = {
      info,
      params: new Map(),
      tags: new Map(Object.entries(tags)),
      latest: new Map(),
      history: new Map(),
    };
    this.runs.set(info.runId, row);
    return row;
  }

  protected runRow(runId: string): RunRow {
    const row = this.runs.get(runId);
    if (!row) throw new NotFoundError(`run ${runId} does not exist`);
    return row;
  }

  protected findExperiment(name: string): Experiment | undefined {
    for (const e of this.experiments.values()) if (e.name === name) return e;
    return undefined;
  }

  private replaceExperiment(experiment: Experiment): Experiment {
    const updated = Object.freeze({ ...experiment, lastUpdateTime: Date.now() });
    this.experiments.set(experiment.experimentId, updated);
    return updated;
  }
}
