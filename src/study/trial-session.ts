// TrialSession: the main-thread side of one running trial. It is the TrialIO executors write through
// (and the Trial that ask() hands out); it buffers reports, metrics and tags and writes them to the
// store in batches. A batch the store refuses is kept and written again with the trial's outcome.
import { SearchSpaceError } from '../errors.js';
import { METRIC_KEY, checkMetricKey, checkNumber, checkStep, checkTag } from './trial-checks.js';
import { TAG_ARTIFACT_ERROR, TrialArtifacts, type PendingModel } from './trial-artifacts.js';
import { compileTree, type CompiledSpace, type ParamSpec } from '../space/compile.js';
import { distributionKey, valueLabel, type Distribution } from '../space/distributions.js';
import type { InferParams } from '../space/nodes.js';
import type { Metric, TrialParamInput, TrialRecord } from '../tracking/entities.js';
import type { IntermediateValue, TrackingStore } from '../tracking/store.js';
import { sampleParams, type SampledParams } from './sample-params.js';
import { prunedResult, type PrunedResult } from './outcome.js';
import type { Trial } from './trial.js';
import type { TrialIO } from './executor.js';
import { TAG_LOG_MODEL_HISTORY, type DatasetInput } from '../tracking/registry/entities.js';
import { datasetInput, modelHistoryJson, type DatasetSpec, type LogModelOptions } from '../tracking/registry/model-files.js';
import { putEntry } from '../tracking/own-entries.js';

export interface SessionHooks {
  /** Samples one parameter of this trial (relative value if any, else independent). */
  pick(spec: ParamSpec): number;
  /** Asks the pruner, after the session's reports are stored. */
  shouldPrune(session: TrialSession): Promise<boolean>;
  /** Whether the study has a pruner that can say yes (executors skip the question otherwise). */
  readonly prunes: boolean;
}

export interface BufferedWrites {
  readonly params: readonly TrialParamInput[];
  readonly intermediate: readonly IntermediateValue[];
  readonly metrics: readonly Metric[];
  readonly tags: Readonly<Record<string, string>>;
  /** The first error of a background write, if one failed (its batch is part of what is handed back). */
  readonly fault?: unknown;
}

const FLUSH_POINTS = 1_000;

export class TrialSession implements Trial<Record<string, any>>, TrialIO {
  readonly number: number;
  readonly runId: string;
  readonly trialId: number;
  params: Record<string, any> = {};
  /** Flat values held so far (sampler form). */
  readonly flat: Record<string, number> = {};
  private readonly specs = new Map<string, ParamSpec>();
  private readonly suggested = new Map<string, { fingerprint: string; value: unknown }>();
  private pendingParams: TrialParamInput[] = [];
  private pendingPoints: IntermediateValue[] = [];
  private pendingMetrics: Metric[] = [];
  private pendingTags: Record<string, string> = {};
  private pendingInputs: DatasetInput[] = [];
  /** Models this trial logged: the run's `mlflow.log-model.history` (a trial's run has no other writer). */
  private readonly models: Readonly<Record<string, unknown>>[] = [];
  private readonly artifacts: TrialArtifacts;
  private writes: Promise<void> = Promise.resolve();
  private closed = false;
  private fault: unknown;
  private lastTimestamp = 0;

  constructor(
    readonly studyName: string,
    record: TrialRecord,
    private readonly store: TrackingStore,
    readonly artifactUri: string,
    private readonly hooks: SessionHooks,
  ) {
    this.number = record.number;
    this.runId = record.runId;
    this.trialId = record.trialId;
    this.artifacts = new TrialArtifacts(artifactUri, record.runId);
  }

  /** Takes the declared space's values, sampled by the study; `stored` says whether they are written already. */
  adopt(sampled: SampledParams, flat: Readonly<Record<string, number>>, stored: boolean): void {
    this.params = sampled.value as Record<string, any>;
    Object.assign(this.flat, flat);
    for (const spec of sampled.specs) this.specs.set(spec.name, spec);
    if (!stored) this.pendingParams.push(...sampled.inputs);
  }

  /** Takes values already stored on the trial (an enqueued trial's), so sampling keeps them. */
  hold(values: Readonly<Record<string, number>>, distributions: Readonly<Record<string, Distribution>>): void {
    for (const [name, value] of Object.entries(values)) {
      this.flat[name] = value;
      const distribution = distributions[name];
      if (distribution) this.specs.set(name, { name, sourcePath: name, distribution });
    }
  }

  /** Flat name -> tracked label (a choice's option, or the number) of every param held so far. */
  labels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.flat)) {
      const spec = this.specs.get(name);
      out[name] = spec ? valueLabel(spec.distribution, value) : String(value);
    }
    return out;
  }

  /** Samples the declared space for this trial's number (used when the expected number was taken). */
  sampleSpace(space: CompiledSpace): void {
    this.params = this.sample(space).value as Record<string, any>;
  }

  suggest<N>(name: string, node: N): InferParams<N> {
    if (typeof name !== 'string' || !METRIC_KEY.test(name)) {
      throw new SearchSpaceError(`suggest(${JSON.stringify(name)}): a name may contain letters, digits, '_', '-', '.', '/' and spaces`);
    }
    const compiled = compileTree(node, name, `suggest("${name}")`);
    const earlier = this.suggested.get(name);
    if (earlier) {
      if (earlier.fingerprint !== compiled.fingerprint) {
        throw new SearchSpaceError(`suggest("${name}"): already suggested in this trial with another distribution`);
      }
      return earlier.value as InferParams<N>;
    }
    for (const spec of compiled.params.values()) {
      const held = this.specs.get(spec.name);
      if (held && distributionKey(held.distribution) !== distributionKey(spec.distribution)) {
        throw new SearchSpaceError(`suggest("${name}"): parameter ${spec.name} already exists with another distribution`);
      }
    }
    const value = this.sample(compiled).value;
    this.suggested.set(name, { fingerprint: compiled.fingerprint, value });
    return value as InferParams<N>;
  }

  report(value: number, step: number): void {
    if (this.closed) return;
    checkStep('report', step);
    checkNumber('report', value);
    this.pendingPoints.push({ step, value, timestamp: this.now() });
    this.flushIfLarge();
  }

  log(key: string, value: number, step = 0): void {
    if (this.closed) return;
    checkMetricKey(key);
    checkStep('log', step);
    checkNumber('log', value);
    this.pendingMetrics.push({ key, value, step, timestamp: this.now() });
    this.flushIfLarge();
  }

  setTag(key: string, value: string): void {
    if (this.closed) return;
    checkTag(key, String(value));
    putEntry(this.pendingTags, key, String(value));
  }

  logArtifact(path: string, artifactPath?: string): Promise<void> {
    return this.artifacts.logArtifact(path, artifactPath);
  }

  logModel(pathOrDir: string, options?: LogModelOptions): PendingModel {
    const model = this.artifacts.logModel(pathOrDir, options);
    this.models.push(model.info);
    if (!this.closed) this.pendingTags[TAG_LOG_MODEL_HISTORY] = modelHistoryJson(this.models);
    return model;
  }

  logInput(dataset: DatasetSpec): void {
    const input = datasetInput(dataset);
    if (!this.closed) this.pendingInputs.push(input);
  }

  /** Whether asking shouldPrune() can ever return true. */
  get prunes(): boolean {
    return this.hooks.prunes;
  }

  async shouldPrune(): Promise<boolean> {
    if (this.closed) return false;
    await this.flush();
    return this.hooks.shouldPrune(this);
  }

  pruned(): PrunedResult {
    return prunedResult;
  }

  /**
   * Writes everything buffered; writes are serialized in call order. Never rejects: a batch the store
   * refuses goes back to the buffer (to be written with the outcome) and the error is remembered.
   */
  flush(): Promise<void> {
    const params = this.pendingParams;
    const points = this.pendingPoints;
    const metrics = this.pendingMetrics;
    const tags = this.pendingTags;
    const inputs = this.pendingInputs;
    this.pendingParams = [];
    this.pendingPoints = [];
    this.pendingMetrics = [];
    this.pendingTags = {};
    this.pendingInputs = [];
    const hasProgress = points.length > 0 || metrics.length > 0 || Object.keys(tags).length > 0;
    if (params.length === 0 && !hasProgress && inputs.length === 0) return this.writes;
    this.writes = this.writes.then(async () => {
      let paramsStored = false;
      try {
        if (params.length > 0) await this.store.setTrialParams(this.trialId, params);
        paramsStored = true;
        if (hasProgress) await this.store.recordTrialProgress(this.trialId, { intermediate: points, metrics, tags, heartbeat: Date.now() });
      } catch (error) {
        this.pendingInputs = [...inputs, ...this.pendingInputs];
        this.fault ??= error;
        if (!paramsStored) this.pendingParams = [...params, ...this.pendingParams];
        this.pendingPoints = [...points, ...this.pendingPoints];
        this.pendingMetrics = [...metrics, ...this.pendingMetrics];
        this.pendingTags = { ...tags, ...this.pendingTags };
        return;
      }
      try {
        if (inputs.length > 0) await this.store.logInputs(this.runId, inputs);
      } catch (error) {
        this.fault ??= error;
        this.pendingInputs = [...inputs, ...this.pendingInputs];
      }
    });
    return this.writes;
  }

  /**
   * Stops accepting writes (an objective still running after its trial ended is ignored), waits for
   * writes under way and hands back what is still buffered, for the store to write with the outcome.
   */
  async close(): Promise<BufferedWrites> {
    this.closed = true;
    // Uploads the objective did not wait for finish first; one that failed is noted on the run.
    const artifactError = await this.artifacts.settle();
    if (artifactError !== undefined) this.pendingTags[TAG_ARTIFACT_ERROR] ??= artifactError;
    await this.writes;
    // Dataset inputs are not part of the outcome's transaction: written here, before it.
    if (this.pendingInputs.length > 0) {
      const inputs = this.pendingInputs;
      this.pendingInputs = [];
      try {
        await this.store.logInputs(this.runId, inputs);
      } catch (error) {
        this.fault ??= error;
      }
    }
    const drained: BufferedWrites = {
      params: this.pendingParams,
      intermediate: this.pendingPoints,
      metrics: this.pendingMetrics,
      tags: this.pendingTags,
      ...(this.fault !== undefined && { fault: this.fault }),
    };
    this.pendingParams = [];
    this.pendingPoints = [];
    this.pendingMetrics = [];
    this.pendingTags = {};
    return drained;
  }

  /** The first error of a background write, if one failed. */
  get writeFault(): unknown {
    return this.fault;
  }

  /** close() without waiting, for a process on its way out: what is buffered now. */
  closeNow(): BufferedWrites {
    this.closed = true;
    return { params: this.pendingParams, intermediate: this.pendingPoints, metrics: this.pendingMetrics, tags: this.pendingTags };
  }

  // --- internal ---

  private sample(space: CompiledSpace): SampledParams {
    const sampled = sampleParams(space, (spec) => this.hooks.pick(spec), this.flat);
    for (const spec of sampled.specs) this.specs.set(spec.name, spec);
    this.pendingParams.push(...sampled.inputs);
    return sampled;
  }

  private now(): number {
    this.lastTimestamp = Math.max(Date.now(), this.lastTimestamp);
    return this.lastTimestamp;
  }

  private flushIfLarge(): void {
    // After a refused write, keep buffering: the outcome's write takes everything at once.
    if (this.fault !== undefined) return;
    if (this.pendingPoints.length + this.pendingMetrics.length >= FLUSH_POINTS) void this.flush();
  }
}
