// Study: the public face of a study: ask/tell, enqueue and retry, optimize, views of its trials.
// A trial's life (claim, sampling, executor, finish) is the trial runner's (trial-runner.ts).
import { hostname } from 'node:os';
import { isSweepError } from '../errors.js';
import type { CompiledSpace } from '../space/compile.js';
import { valueLabel, type Distribution } from '../space/distributions.js';
import { enqueuedParams } from './enqueue-values.js';
import type { Direction, StudyRecord, TrialParamInput } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';
import { isPrunedResult, outcomeOfReturn, type PrunedResult, type TrialOutcome } from './outcome.js';
import type { Pruner } from './pruner.js';
import type { Sampler, StudyView } from './sampler.js';
import { StudyHistory } from './history.js';
import { TrialRunner } from './trial-runner.js';
import { toTrialView } from './trial-view.js';
import { studyObjectives } from './objectives.js';
import type { ConstraintsFn, Trial, TrialView } from './trial.js';
import { optimizeStudy, type OptimizeOptions, type OptimizeResult } from './optimize.js';
import type { ObjectiveFn, ObjectiveResult, ObjectiveSource } from './executor.js';
import type { RestorableStudy } from './loop-executor.js';

export interface StudyParts {
  readonly store: TrackingStore;
  readonly record: StudyRecord;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly space: CompiledSpace | undefined;
  /** The seed in force (the stored one unless the caller overrode it). */
  readonly seed: number;
  readonly workerId?: string;
  /** Constraints evaluated on each completed trial (each value satisfied when ≤ 0). */
  readonly constraints?: ConstraintsFn;
  /** Closes the store with the study (true when the study opened it). */
  readonly ownsStore?: boolean;
  /** What another thread needs to open this study (only when it can: a storage URI, specs not objects). */
  readonly restorable?: RestorableStudy;
}

/**
 * A study; `P` is the type of `trial.params`, inferred from the declared space by createStudy, and `R`
 * what its objective returns, from its directions and metric names (ResultOf).
 */
export class Study<P = Record<string, any>, R = ObjectiveResult> {
  readonly store: TrackingStore;
  readonly record: StudyRecord;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  private readonly memory: StudyHistory;
  private readonly runner: TrialRunner;
  private readonly ownsStore: boolean;
  /** @internal How a worker thread opens this same study (createStudy sets it when that is possible). */
  readonly restorable: RestorableStudy | undefined;

  constructor(parts: StudyParts) {
    this.restorable = parts.restorable;
    this.store = parts.store;
    this.record = parts.record;
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
    this.memory = new StudyHistory(parts.store, parts.record, parts.space, parts.seed);
    this.runner = new TrialRunner({
      store: parts.store,
      record: parts.record,
      sampler: parts.sampler,
      pruner: parts.pruner,
      history: this.memory,
      workerId: parts.workerId ?? `${hostname()}:${process.pid}`,
      ...(parts.constraints !== undefined && { constraints: parts.constraints }),
    });
    this.ownsStore = parts.ownsStore ?? false;
  }

  /** The trials as samplers see them: read-only, frozen. */
  get history(): StudyView {
    return this.memory.view;
  }

  get name(): string {
    return this.record.name;
  }
  get direction(): Direction {
    return this.memory.direction;
  }
  /** Every objective's direction, in order (one for a single-objective study). */
  get directions(): readonly Direction[] {
    return this.memory.directions;
  }
  get metric(): string {
    return this.record.metric;
  }
  /** Every objective's metric name, in the order of `directions`. */
  get metrics(): readonly string[] {
    return studyObjectives(this.record).metrics;
  }
  get seed(): number {
    return this.memory.seed;
  }
  get space(): CompiledSpace | undefined {
    return this.memory.space;
  }

  /** Every trial known to this process (call sync() first to see other processes' latest). */
  get trials(): TrialView[] {
    return this.memory.trials.filter((t) => t !== undefined).map((t) => toTrialView(t, this.space));
  }

  /** The best COMPLETE trial so far; undefined for a study with several objectives (see bestTrials). */
  get bestTrial(): TrialView | undefined {
    const best = this.memory.best();
    return best && toTrialView(best, this.space);
  }

  /**
   * The Pareto front: the COMPLETE trials that satisfy the constraints and that no other such trial
   * dominates in every objective, by number. With one objective, the trials tied for best.
   */
  get bestTrials(): TrialView[] {
    return this.memory.front().map((t) => toTrialView(t, this.space));
  }

  /** Reads trials other processes changed. */
  sync(): Promise<void> {
    return this.memory.sync();
  }

  /** Whether the sampler has nothing left to propose. */
  isExhausted(): boolean {
    return this.runner.isExhausted();
  }

  /**
   * Starts a trial: claims its number, creates its child run and samples the declared space.
   * @throws SweepError when the sampler is exhausted (E_ABORTED) or a claim cannot be made.
   */
  async ask(options: { maxTrials?: number } = {}): Promise<Trial<P>> {
    return (await this.runner.start(options)) as unknown as Trial<P>;
  }

  /**
   * Queues a trial with fixed parameter values (flat names, as `booster.1.drop`; a choice takes its
   * option, or its index when no option is a number). Any process running the study claims it before
   * sampling new trials; parameters not given are sampled then. A parameter inside a choice's option
   * needs that choice given as that option. Nothing is stored when a value is refused.
   * @throws SearchSpaceError naming the parameter: not in the space, a value its distribution cannot
   * take, or a branch the given choices leave out.
   */
  async enqueue(values: Readonly<Record<string, unknown>>, options: { maxTrials?: number } = {}): Promise<TrialView> {
    const inputs = enqueuedParams(this.space, values, this.name);
    return this.enqueueInputs(inputs, { enqueued: true }, options.maxTrials);
  }

  /**
   * Queues the params of a failed trial again, up to `maxRetries` times per original trial. Returns
   * false when the trial is not FAIL, was interrupted, has used its retries, or the budget is full.
   */
  async retry(number: number, maxRetries: number, maxTrials?: number): Promise<boolean> {
    const failed = this.memory.trials[number];
    if (!failed || failed.state !== 'FAIL' || failed.systemAttrs['failReason'] === 'interrupted') return false;
    const retry = typeof failed.systemAttrs['retry'] === 'number' ? failed.systemAttrs['retry'] : 0;
    if (retry >= maxRetries) return false;
    const original = typeof failed.systemAttrs['retryOf'] === 'number' ? failed.systemAttrs['retryOf'] : failed.number;
    const inputs = Object.entries(failed.params).map(([name, value]) => {
      const distribution = failed.distributions[name] as Distribution;
      return { name, value, distribution, label: valueLabel(distribution, value) };
    });
    try {
      await this.enqueueInputs(inputs, { retryOf: original, retry: retry + 1 }, maxTrials);
      return true;
    } catch (error) {
      if (isSweepError(error) && error.code === 'E_BUDGET') return false;
      throw error;
    }
  }

  /** Ends a trial with a value, `trial.pruned()`, or an outcome. @throws NotFoundError for a trial not running here */
  async tell(trial: Trial<P> | number, result: R | PrunedResult | TrialOutcome): Promise<TrialView> {
    const session = this.runner.session(typeof trial === 'number' ? trial : trial.number, this.name);
    const outcome: TrialOutcome = isPrunedResult(result) ? { kind: 'pruned' } : isOutcome(result) ? result : outcomeOfReturn(result);
    return toTrialView(await this.runner.finish(session, outcome), this.space);
  }

  /**
   * Runs trials until the budget, the timeout, a signal or the sampler stops it. The objective is a
   * function, or `{ kind: 'module', path }` (a study file) for executors that run it elsewhere.
   */
  optimize(objective: ObjectiveFn<P, R> | ObjectiveSource, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    const source: ObjectiveSource = typeof objective === 'function' ? { kind: 'function', fn: objective as ObjectiveFn } : objective;
    return optimizeStudy(this as unknown as Study, this.runner, source, options);
  }

  async close(): Promise<void> {
    await this.runner.close();
    if (this.ownsStore) await this.store.close();
  }

  /** Numbers of the trials this process is running. */
  runningHere(): number[] {
    return this.runner.runningHere();
  }

  /** Marks this process's running trials alive. */
  heartbeat(): Promise<void> {
    return this.runner.heartbeat();
  }

  /**
   * Fails RUNNING trials nobody is running any more: their process on this machine is gone, or no
   * heartbeat came for `staleAfterMs`. Returns their numbers.
   */
  failStaleTrials(staleAfterMs: number): Promise<number[]> {
    return this.runner.failStaleTrials(staleAfterMs);
  }

  // --- internal ---

  private async enqueueInputs(inputs: TrialParamInput[], systemAttrs: Record<string, unknown>, maxTrials: number | undefined): Promise<TrialView> {
    const record = await this.store.createTrial(this.record.studyId, {
      state: 'WAITING',
      params: inputs,
      systemAttrs,
      ...(maxTrials !== undefined && { maxTrials }),
    });
    this.memory.apply([record]);
    return toTrialView(record, this.space);
  }

}

function isOutcome(value: unknown): value is TrialOutcome {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'complete' || kind === 'pruned' || kind === 'failed';
}
