// Study: ask/tell over a store, a sampler and a pruner; the in-memory history; views of its trials.
import { hostname } from 'node:os';
import { DuplicateError, NotFoundError, SearchSpaceError, SweepError, isSweepError, serializeError } from '../errors.js';
import { createRng } from '../rng.js';
import type { CompiledSpace, ParamSpec } from '../space/compile.js';
import { contains, valueLabel, type Distribution } from '../space/distributions.js';
import type { Direction, StudyRecord, TrialParamInput, TrialRecord } from '../tracking/entities.js';
import type { TrackingStore, TrialFinish } from '../tracking/store.js';
import { isPrunedResult, type PrunedResult, type TrialOutcome } from './outcome.js';
import type { Pruner } from './pruner.js';
import type { Sampler, SamplerContext, TrialClaim } from './sampler.js';
import { sampleParams } from './sample-params.js';
import { failStaleTrials } from './liveness.js';
import { StudyHistory } from './history.js';
import { TrialSession } from './trial-session.js';
import { toTrialView } from './trial-view.js';
import type { Trial, TrialView } from './trial.js';
import { optimizeStudy, type OptimizeOptions, type OptimizeResult } from './optimize.js';
import type { ObjectiveFn, ObjectiveSource } from './executor.js';

const MAX_CLAIM_RETRIES = 20;

export interface StudyParts {
  readonly store: TrackingStore;
  readonly record: StudyRecord;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly space: CompiledSpace | undefined;
  /** The seed in force (the stored one unless the caller overrode it). */
  readonly seed: number;
  readonly workerId?: string;
  /** Closes the store with the study (true when the study opened it). */
  readonly ownsStore?: boolean;
}

/** A study; `P` is the type of `trial.params`, inferred from the declared space by createStudy. */
export class Study<P = Record<string, any>> {
  readonly store: TrackingStore;
  readonly record: StudyRecord;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly history: StudyHistory;
  private readonly sessions = new Map<number, TrialSession>();
  private readonly workerId: string;
  private readonly ownsStore: boolean;

  constructor(parts: StudyParts) {
    this.store = parts.store;
    this.record = parts.record;
    this.sampler = parts.sampler;
    this.pruner = parts.pruner;
    this.history = new StudyHistory(parts.store, parts.record, parts.space, parts.seed);
    this.workerId = parts.workerId ?? `${hostname()}:${process.pid}`;
    this.ownsStore = parts.ownsStore ?? false;
  }

  get name(): string {
    return this.record.name;
  }
  get direction(): Direction {
    return this.history.direction;
  }
  get metric(): string {
    return this.record.metric;
  }
  get seed(): number {
    return this.history.seed;
  }
  get space(): CompiledSpace | undefined {
    return this.history.space;
  }

  /** Every trial known to this process (call sync() first to see other processes' latest). */
  get trials(): TrialView[] {
    return this.history.trials.filter((t) => t !== undefined).map((t) => toTrialView(t, this.space));
  }

  /** The best COMPLETE trial so far. */
  get bestTrial(): TrialView | undefined {
    const best = this.history.best();
    return best && toTrialView(best, this.space);
  }

  /** Reads trials other processes changed. */
  sync(): Promise<void> {
    return this.history.sync();
  }

  /** Whether the sampler has nothing left to propose. */
  isExhausted(): boolean {
    if (this.history.waiting > 0) return false;
    return this.sampler.isExhausted?.(this.history) ?? false;
  }

  /**
   * Starts a trial: claims its number, creates its child run and samples the declared space.
   * @throws SweepError when the sampler is exhausted or a claim cannot be made.
   */
  async ask(options: { maxTrials?: number } = {}): Promise<Trial<P>> {
    await this.history.sync();
    // Enqueued trials come first; the synced history says whether any wait (no write otherwise).
    const waiting = this.history.waiting > 0 ? await this.store.claimWaitingTrial(this.record.studyId, this.workerId) : undefined;
    if (waiting) return this.startClaimed(waiting);
    for (let attempt = 0; ; attempt++) {
      if (this.isExhausted()) throw new SweepError('E_ABORTED', `study "${this.name}": the sampler has no points left`);
      const claim = this.sampler.beforeTrial?.({ study: this.history, rng: createRng(this.seed, 'before', this.history.version, attempt) }) ?? {};
      // Sample for the number this process expects to get, so that the trial, its run and its params
      // are written in one transaction; if another process takes that number, sample again below.
      const expected = this.history.trials.length;
      const held: Record<string, number> = {};
      const sampled = this.space && sampleParams(this.space, this.picker(provisional(expected, claim)), held);
      let record: TrialRecord;
      try {
        record = await this.store.createTrial(this.record.studyId, {
          workerId: this.workerId,
          expectedNumber: expected,
          ...(options.maxTrials !== undefined && { maxTrials: options.maxTrials }),
          ...(sampled && { params: sampled.inputs }),
          ...(claim.claimKey !== undefined && { claimKey: claim.claimKey }),
          ...(claim.systemAttrs !== undefined && { systemAttrs: claim.systemAttrs }),
        });
      } catch (error) {
        if (!(error instanceof DuplicateError) || claim.claimKey === undefined || attempt >= MAX_CLAIM_RETRIES) throw error;
        await this.history.sync();
        continue;
      }
      this.history.apply([record]);
      const session = this.openSession(record);
      if (sampled && record.number === expected) {
        session.adopt(sampled, held, true);
      } else {
        await this.sampleOrFail(session, record);
      }
      return session as unknown as Trial<P>;
    }
  }

  /**
   * Queues a trial with fixed parameter values (flat names; a choice takes its option value or its
   * index). Any process running the study claims it before sampling new trials; parameters not
   * given are sampled then. @throws SearchSpaceError for a name or value outside the space.
   */
  async enqueue(values: Readonly<Record<string, unknown>>, options: { maxTrials?: number } = {}): Promise<TrialView> {
    const inputs = Object.entries(values).map(([name, value]) => {
      const spec = this.space?.params.get(name);
      if (!spec) throw new SearchSpaceError(`enqueue: "${name}" is not a parameter of the declared space`);
      const internal = internalValue(spec.distribution, value);
      if (internal === undefined || !contains(spec.distribution, internal)) {
        throw new SearchSpaceError(`enqueue: ${JSON.stringify(value)} is not a value of ${spec.sourcePath} (${spec.distribution.kind})`);
      }
      return { name, value: internal, distribution: spec.distribution, label: valueLabel(spec.distribution, internal) };
    });
    return this.enqueueInputs(inputs, { enqueued: true }, options.maxTrials);
  }

  /**
   * Queues the params of a failed trial again, up to `maxRetries` times per original trial. Returns
   * false when the trial is not FAIL, was interrupted, has used its retries, or the budget is full.
   */
  async retry(number: number, maxRetries: number, maxTrials?: number): Promise<boolean> {
    const failed = this.history.trials[number];
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

  /** Ends a trial with a value, `trial.pruned()`, or an outcome. Returns false if it had already ended. */
  async tell(trial: Trial<P> | number, result: number | PrunedResult | TrialOutcome): Promise<TrialView> {
    const number = typeof trial === 'number' ? trial : trial.number;
    const session = this.sessions.get(number);
    if (!session) throw new NotFoundError(`study "${this.name}": trial #${number} is not running in this process`);
    const outcome: TrialOutcome =
      typeof result === 'number'
        ? Number.isFinite(result)
          ? { kind: 'complete', value: result }
          : { kind: 'failed', reason: 'invalid-value', error: { name: 'InvalidObjectiveValue', message: `objective must return a finite number, got ${result}` } }
        : isPrunedResult(result)
          ? { kind: 'pruned' }
          : result;
    this.sessions.delete(number);
    const buffered = await session.close();
    const finish = toFinish(outcome);
    try {
      await this.store.finishTrial(session.trialId, {
        ...finish,
        params: buffered.params,
        intermediate: buffered.intermediate,
        metrics: buffered.metrics,
        tags: { ...buffered.tags, ...finish.tags },
      });
    } catch (error) {
      // What the objective buffered could not be stored (say, a param changing value): keep the
      // trial from staying RUNNING, then report the fault.
      await this.store.finishTrial(session.trialId, toFinish({ kind: 'failed', reason: 'error', error: serializeError(error) }));
      throw error;
    }
    await this.history.sync();
    const stored = this.history.trials[number];
    if (!stored) throw new NotFoundError(`study "${this.name}": trial #${number} vanished`);
    const ctx = this.samplerContext(stored);
    this.sampler.afterTrial?.(ctx, stored.state, stored.value);
    return toTrialView(stored, this.space);
  }

  /**
   * Runs trials until the budget, the timeout, a signal or the sampler stops it. The objective is a
   * function, or `{ kind: 'module', path }` (a study file) for executors that run it elsewhere.
   */
  optimize(objective: ObjectiveFn<P> | ObjectiveSource, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    const source: ObjectiveSource = typeof objective === 'function' ? { kind: 'function', fn: objective as ObjectiveFn } : objective;
    return optimizeStudy(this as Study, source, options);
  }

  async close(): Promise<void> {
    for (const session of this.sessions.values()) await session.close();
    if (this.ownsStore) await this.store.close();
  }

  /** Numbers of the trials this process is running. */
  runningHere(): number[] {
    return [...this.sessions.keys()];
  }

  /** Marks this process's running trials alive. */
  async heartbeat(): Promise<void> {
    await this.store.heartbeat([...this.sessions.values()].map((s) => s.trialId), Date.now());
  }

  /**
   * Fails RUNNING trials nobody is running any more: their process on this machine is gone, or no
   * heartbeat came for `staleAfterMs`. Returns their numbers.
   */
  failStaleTrials(staleAfterMs: number): Promise<number[]> {
    return failStaleTrials(this.store, this.history, new Set(this.sessions.keys()), staleAfterMs);
  }

  /** @internal the running session of a trial, for executors. */
  session(number: number): TrialSession | undefined {
    return this.sessions.get(number);
  }

  // --- internal ---

  private async enqueueInputs(inputs: TrialParamInput[], systemAttrs: Record<string, unknown>, maxTrials: number | undefined): Promise<TrialView> {
    const record = await this.store.createTrial(this.record.studyId, {
      state: 'WAITING',
      params: inputs,
      systemAttrs,
      ...(maxTrials !== undefined && { maxTrials }),
    });
    this.history.apply([record]);
    return toTrialView(record, this.space);
  }

  /** Starts a claimed WAITING trial: its stored params stand, the rest of the space is sampled. */
  private async startClaimed(record: TrialRecord): Promise<Trial<P>> {
    this.history.apply([record]);
    const session = this.openSession(record);
    session.hold(record.params, record.distributions);
    await this.sampleOrFail(session, record);
    return session as unknown as Trial<P>;
  }

  /** Samples what the trial still lacks of the space and stores it; a fault ends the trial FAIL. */
  private async sampleOrFail(session: TrialSession, record: TrialRecord): Promise<void> {
    try {
      if (this.space) session.sampleSpace(this.space);
      await session.flush();
    } catch (error) {
      // A sampler or store fault while sampling: the claimed trial must not stay RUNNING.
      this.sessions.delete(record.number);
      await this.store.finishTrial(record.trialId, toFinish({ kind: 'failed', reason: 'error', error: serializeError(error) }));
      throw error;
    }
  }

  /** A pick function for one trial: joint values once, then independent ones. */
  private picker(record: TrialRecord): (spec: ParamSpec) => number {
    const ctx = this.samplerContext(record);
    let relative: Record<string, number> | undefined;
    return (spec) => {
      relative ??= this.sampleRelative(ctx);
      return this.pick(ctx, relative, spec);
    };
  }

  private openSession(record: TrialRecord): TrialSession {
    const session = new TrialSession(this.name, record, this.store, artifactDir(this.store, this.record, record), {
      pick: this.picker(record),
      prunes: this.pruner.name !== 'none',
      shouldPrune: async (s) => {
        await this.history.sync();
        const current = this.history.trials[s.number];
        return current !== undefined && this.pruner.shouldPrune(this.history, current);
      },
    });
    this.sessions.set(record.number, session);
    return session;
  }

  private samplerContext(trial: TrialRecord): SamplerContext {
    return { study: this.history, trial, rng: createRng(this.seed, trial.number, this.sampler.name) };
  }

  private sampleRelative(ctx: SamplerContext): Record<string, number> {
    if (!this.sampler.inferRelativeSpace || !this.sampler.sampleRelative) return {};
    const space = this.sampler.inferRelativeSpace(ctx);
    if (Object.keys(space).length === 0) return {};
    return this.sampler.sampleRelative(ctx, space);
  }

  private pick(ctx: SamplerContext, relative: Record<string, number>, spec: ParamSpec): number {
    const joint = relative[spec.name];
    if (joint !== undefined && contains(spec.distribution, joint)) return joint;
    const rng = createRng(this.seed, ctx.trial.number, this.sampler.name, spec.name);
    const value = this.sampler.sampleIndependent({ ...ctx, rng }, spec.name, spec.distribution);
    if (!contains(spec.distribution, value)) {
      throw new SweepError('E_CONFIG', `sampler "${this.sampler.name}" returned ${value} for ${spec.name}, outside its distribution`);
    }
    return value;
  }
}

/** A value as a user gives it (a choice's option, or any index) in the sampler's form. */
function internalValue(d: Distribution, value: unknown): number | undefined {
  if (d.kind === 'choice') {
    const byOption = d.constants?.findIndex((option) => option === value) ?? -1;
    if (byOption >= 0) return byOption;
    return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
  }
  return typeof value === 'number' ? value : undefined;
}

/** The trial a sampler sees before the number is claimed. */
function provisional(number: number, claim: TrialClaim): TrialRecord {
  const now = Date.now();
  return {
    trialId: -1, studyId: -1, number, runId: '', state: 'RUNNING', value: null, params: {}, distributions: {}, intermediate: {},
    systemAttrs: { ...claim.systemAttrs, ...(claim.claimKey !== undefined && { claimKey: claim.claimKey }) },
    startTime: now, endTime: null, heartbeat: now, workerId: null, seq: 0,
  };
}

function toFinish(outcome: TrialOutcome): TrialFinish {
  switch (outcome.kind) {
    case 'complete':
      return { state: 'COMPLETE', value: outcome.value };
    case 'pruned':
      return { state: 'PRUNED' };
    case 'failed':
      return {
        state: 'FAIL',
        tags: { 'sweep.error': truncate(`${outcome.error.name}: ${outcome.error.message}`, 5000), 'sweep.fail_reason': outcome.reason },
        systemAttrs: { error: { ...outcome.error, stack: truncate(outcome.error.stack ?? '', 20_000) }, failReason: outcome.reason },
      };
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function artifactDir(store: TrackingStore, study: StudyRecord, trial: TrialRecord): string {
  return `${store.artifactRoot}/${study.experimentId}/${trial.runId}/artifacts`;
}
