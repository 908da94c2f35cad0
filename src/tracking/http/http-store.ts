// HttpStore: the TrackingStore contract through a sweep tracking server. Experiments and runs use MLflow's
// REST API (so the server's validation applies); studies and trials use sweep's RPC under /api/2.0/sweep.
// Only fetch and the tracking types: nothing of fastify, so openStore can use it.
import type { Experiment, LifecycleStage, Metric, Run, RunBatch } from '../entities.js';
import type { SearchRunsPage, SearchRunsQuery } from '../search/query.js';
import type { NewRun, RunUpdate, TrackingStore } from '../store.js';
import { experimentFromJson, runFromJson, type Json } from './from-json.js';
import { HttpTransport, type TransportOptions } from './transport.js';
import { encodeWire, decodeWire, type StoreRpcMethod } from './wire.js';
import type { DatasetInput } from '../registry/entities.js';
import { datasetInputFromJson, datasetInputJson } from '../registry/mlflow-json.js';
import type { ModelRegistry } from '../registry/registry.js';
import { HttpRegistry } from './http-registry.js';
import { DATASET_LIMITS } from '../registry/run-models.js';

/** Per request, within MLflow's limits (100 params, 100 tags, 1000 items in all). */
const BATCH = { metrics: 800, params: 100, tags: 100 } as const;

export class HttpStore implements TrackingStore {
  readonly uri: string;
  readonly artifactRoot: string;
  private readonly http: HttpTransport;
  readonly registry: ModelRegistry;

  /** @param baseUrl `http://host:port` (a path prefix is kept) */
  constructor(baseUrl: string, options: TransportOptions = {}) {
    this.uri = baseUrl.replace(/\/+$/, '');
    this.artifactRoot = `${this.uri}/api/2.0/mlflow-artifacts/artifacts`;
    this.http = new HttpTransport(this.uri, options);
    this.registry = new HttpRegistry(this.http);
  }

  // --- experiments ---

  async createExperiment(name: string, tags: Readonly<Record<string, string>> = {}): Promise<Experiment> {
    const created = await this.http.mlflow('POST', '/experiments/create', { name, tags: pairs(tags) });
    return this.getExperiment(String(created['experiment_id']));
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return experimentFromJson((await this.http.mlflow('GET', '/experiments/get', { experiment_id: experimentId }))['experiment'] as Json);
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    const found = await this.http.mlflow('GET', '/experiments/get-by-name', { experiment_name: name }, { notFoundIsEmpty: true });
    return found['experiment'] === undefined ? undefined : experimentFromJson(found['experiment'] as Json);
  }

  /** The server creates experiment "0" when it starts. */
  async ensureDefaultExperiment(): Promise<Experiment> {
    return this.getExperiment('0');
  }

  async listExperiments(): Promise<Experiment[]> {
    const all: Experiment[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.http.mlflow('POST', '/experiments/search', { view_type: 'ALL', max_results: 50_000, order_by: ['experiment_id ASC'], page_token: pageToken });
      all.push(...((page['experiments'] as Json[] | undefined) ?? []).map(experimentFromJson));
      pageToken = page['next_page_token'] as string | undefined;
    } while (pageToken !== undefined);
    return all.sort((a, b) => Number(a.experimentId) - Number(b.experimentId));
  }

  async renameExperiment(experimentId: string, name: string): Promise<Experiment> {
    await this.http.mlflow('POST', '/experiments/update', { experiment_id: experimentId, new_name: name });
    return this.getExperiment(experimentId);
  }

  async setExperimentLifecycle(experimentId: string, stage: LifecycleStage): Promise<Experiment> {
    const current = await this.getExperiment(experimentId);
    if (current.lifecycleStage === stage) return current;
    await this.http.mlflow('POST', stage === 'deleted' ? '/experiments/delete' : '/experiments/restore', { experiment_id: experimentId });
    return this.getExperiment(experimentId);
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.http.mlflow('POST', '/experiments/set-experiment-tag', { experiment_id: experimentId, key, value });
  }

  // --- runs ---

  async createRun(run: NewRun): Promise<Run> {
    const tags: Record<string, string> = { ...run.tags };
    if (run.parentRunId !== undefined) tags['mlflow.parentRunId'] = run.parentRunId;
    const body = await this.http.mlflow('POST', '/runs/create', {
      experiment_id: run.experimentId, run_name: run.runName, start_time: run.startTime, user_id: run.userId, tags: pairs(tags),
    });
    return runFromJson(body['run'] as Json);
  }

  async getRun(runId: string): Promise<Run> {
    return runFromJson((await this.http.mlflow('GET', '/runs/get', { run_id: runId }))['run'] as Json);
  }

  async updateRun(runId: string, update: RunUpdate): Promise<Run> {
    await this.http.mlflow('POST', '/runs/update', {
      run_id: runId, status: update.status, end_time: update.endTime ?? undefined, run_name: update.runName,
    });
    return this.getRun(runId);
  }

  /** One request for a batch within MLflow's limits; larger batches go in several (not atomic then). */
  async logBatch(runId: string, batch: RunBatch): Promise<void> {
    const metrics = (batch.metrics ?? []).map((m) => ({ ...m, value: wireDouble(m.value) }));
    const params = pairs(batch.params ?? {});
    const tags = pairs(batch.tags ?? {});
    const requests = Math.max(1, Math.ceil(params.length / BATCH.params), Math.ceil(tags.length / BATCH.tags), Math.ceil(metrics.length / BATCH.metrics));
    for (let i = 0; i < requests; i++) {
      await this.http.mlflow('POST', '/runs/log-batch', {
        run_id: runId,
        params: params.slice(i * BATCH.params, (i + 1) * BATCH.params),
        tags: tags.slice(i * BATCH.tags, (i + 1) * BATCH.tags),
        metrics: metrics.slice(i * BATCH.metrics, (i + 1) * BATCH.metrics),
      });
    }
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const body = await this.http.mlflow('GET', '/metrics/get-history', { run_id: runId, metric_key: key });
    return ((body['metrics'] as Json[] | undefined) ?? []).map((m) => ({
      key: String(m['key']), value: Number(m['value']), timestamp: Number(m['timestamp']), step: Number(m['step'] ?? 0),
    }));
  }

  async searchRuns(query: SearchRunsQuery): Promise<SearchRunsPage<Run>> {
    // Nested searches use sweep's request fields (a filter on the parent tag would apply to every level).
    const nested = query.nested === true;
    const parent = query.parentRunId === undefined || nested ? undefined : `tags."mlflow.parentRunId" = '${query.parentRunId.replace(/'/g, '')}'`;
    const filter = [query.filter?.trim() ? `(${query.filter})` : undefined, parent].filter((f) => f !== undefined).join(' AND ');
    const body = await this.http.mlflow('POST', '/runs/search', {
      experiment_ids: query.experimentIds, filter: filter === '' ? undefined : filter, order_by: query.orderBy,
      max_results: query.maxResults, page_token: query.pageToken, run_view_type: query.runViewType,
      ...(nested && { nested: true, parent_run_id: query.parentRunId }),
    });
    const items = ((body['runs'] as Json[] | undefined) ?? []).map(runFromJson);
    const next = body['next_page_token'] as string | undefined;
    const children = nested
      ? Object.fromEntries(Object.entries((body['children'] ?? {}) as Record<string, Json[]>).map(([id, runs]) => [id, runs.map(runFromJson)]))
      : undefined;
    return { items, ...(next !== undefined && { nextPageToken: next }), ...(children && { children }) };
  }

  async setRunLifecycle(runId: string, stage: LifecycleStage): Promise<Run> {
    await this.http.mlflow('POST', stage === 'deleted' ? '/runs/delete' : '/runs/restore', { run_id: runId });
    return this.getRun(runId);
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.http.mlflow('POST', '/runs/delete-tag', { run_id: runId, key });
  }

  // --- datasets and models of runs ---

  /** One request per 1000 inputs (MLflow's limit per request; more are not one transaction then). */
  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    for (let i = 0; i === 0 || i < inputs.length; i += DATASET_LIMITS.perRequest) {
      await this.http.mlflow('POST', '/runs/log-inputs', { run_id: runId, datasets: inputs.slice(i, i + DATASET_LIMITS.perRequest).map(datasetInputJson) });
    }
  }

  async getRunInputs(runId: string): Promise<DatasetInput[]> {
    const run = (await this.http.mlflow('GET', '/runs/get', { run_id: runId }))['run'] as Json;
    const inputs = (run['inputs'] ?? {}) as Json;
    return ((inputs['dataset_inputs'] as Json[] | undefined) ?? []).map(datasetInputFromJson);
  }

  async recordLoggedModel(runId: string, model: Readonly<Record<string, unknown>>): Promise<void> {
    await this.http.mlflow('POST', '/runs/log-model', { run_id: runId, model_json: JSON.stringify(model) });
  }

  // --- studies and trials (sweep RPC) ---

  createStudy = this.rpc('createStudy');
  getStudy = this.rpc('getStudy');
  listStudies = this.rpc('listStudies');
  createTrial = this.rpc('createTrial');
  claimWaitingTrial = this.rpc('claimWaitingTrial');
  setTrialParams = this.rpc('setTrialParams');
  recordTrialProgress = this.rpc('recordTrialProgress');
  finishTrial = this.rpc('finishTrial');
  heartbeat = this.rpc('heartbeat');
  getTrials = this.rpc('getTrials');
  syncTrials = this.rpc('syncTrials');

  /**
   * The server's clock (its store's), which it also stamps heartbeats with: stale checks compare on it
   * whatever this host's clock says. An older server without the endpoint leaves this host's clock.
   */
  async clock(): Promise<number> {
    if (!this.serverHasClock) return Date.now();
    const body = await this.http.sweepIfServed('/store/clock', { args: [] });
    if (body === undefined) this.serverHasClock = false;
    return body === undefined ? Date.now() : Number(decodeWire(body['result']));
  }

  private serverHasClock = true;

  async close(): Promise<void> {
    this.http.close();
  }

  // --- internal ---

  private rpc<M extends StoreRpcMethod>(method: M): TrackingStore[M] {
    const call = async (...args: unknown[]): Promise<unknown> => {
      // An omitted optional argument is left out, not sent as null (JSON has no undefined).
      let end = args.length;
      while (end > 0 && args[end - 1] === undefined) end--;
      const body = await this.http.sweep(`/store/${method}`, { args: encodeWire(args.slice(0, end)) });
      return decodeWire(body['result']);
    };
    return call as unknown as TrackingStore[M];
  }
}

// --- internal ---

function pairs(record: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

function wireDouble(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}
