// The optimize loop: `jobs` trials in flight, each run whole by the trial runner, until the trial
// budget, the timeout, an abort, too many failures, or an exhausted sampler stops it.
import { ConfigError, TrialLostError, isSweepError } from '../errors.js';
import type { Executor, ObjectiveSource } from './executor.js';
import { InlineExecutor } from './inline-executor.js';
import { isLoopExecutor, STOP, TICKETS, type LoopEvent } from './loop-executor.js';
import { optimizeInLoops } from './optimize-loops.js';
import { backgroundChecks } from './background-checks.js';
import type { Study } from './study.js';
import type { RunOptions, TrialRunner } from './trial-runner.js';
import { toTrialView } from './trial-view.js';
import type { TrialView } from './trial.js';

export interface OptimizeOptions {
  /** How many trials this call runs (default: until another limit stops it). */
  readonly trials?: number;
  /** Stop starting trials after this long; running trials finish. */
  readonly timeoutMs?: number;
  /** Hard stop: stop starting trials and end running ones as FAIL (interrupted). */
  readonly signal?: AbortSignal;
  /** Graceful stop: start no more trials; running ones finish. */
  readonly stopSignal?: AbortSignal;
  /** Cap on the study's total trials, across every process and invocation sharing the store. */
  readonly maxTrials?: number;
  /** How often running trials send a heartbeat (default 5 s). */
  readonly heartbeatIntervalMs?: number;
  /** A RUNNING trial without a heartbeat for this long is failed as stale (default 60 s). */
  readonly staleAfterMs?: number;
  /** Trials in flight at once (default: the executor's concurrency, else 1). */
  readonly jobs?: number;
  /** Where objectives run (default: this thread). */
  readonly executor?: Executor;
  /**
   * Make a seeded run with several jobs give the same params (and prunes) whatever order its trials end
   * in: trials start in batches of `jobs`, each batch after the one before has ended, and each is
   * sampled from the trials before its batch, its batch-mates counted as running. Costs the time
   * workers wait at each batch's end. (One process only: another one joining the study breaks it.)
   */
  readonly reproducible?: boolean;
  /** Stop after this many failed trials in this call. */
  readonly maxFailures?: number;
  /** Queue the params of a failed trial again, up to this many times per original trial. */
  readonly retryFailed?: number;
  /** Called after each trial is stored. */
  readonly onTrialEnd?: (trial: TrialView, progress: OptimizeProgress) => void;
  /** Trials of other processes (on any host) this call failed as stale, at its start or while it ran. */
  readonly onStaleFailed?: (numbers: readonly number[]) => void;
  /** A background fault that does not stop the study (a failed heartbeat or stale check). Default: process.emitWarning. */
  readonly onWarning?: (message: string) => void;
  /**
   * @internal This call is one worker's loop under optimize-loops.ts: it takes a ticket from
   * `control` before each trial, stops when `control` says so, leaves the parent run to the
   * supervisor and tells it of each trial it claims and ends.
   */
  readonly inLoop?: { readonly control: Int32Array; readonly onEvent: (event: LoopEvent) => void };
}

/** What a reproducible batch adds to a trial's run (see TrialRunner's RunOptions). */
type BatchOptions = Pick<RunOptions, 'sealedFrom' | 'onClaimed'>;

export type StopReason = 'trials' | 'max-trials' | 'timeout' | 'signal' | 'stopped' | 'exhausted' | 'max-failures' | 'unbounded-done';

export interface OptimizeProgress {
  readonly started: number;
  readonly completed: number;
  readonly pruned: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface OptimizeResult extends OptimizeProgress {
  readonly stoppedBy: StopReason;
  /** Trials of crashed processes found RUNNING and failed as stale at the start. */
  readonly staleFailed: readonly number[];
  readonly best: TrialView | undefined;
}

export async function optimizeStudy(study: Study, runner: TrialRunner, objective: ObjectiveSource, options: OptimizeOptions): Promise<OptimizeResult> {
  validate(options);
  const begin = performance.now();
  const jobs = options.jobs ?? options.executor?.concurrency ?? 1;
  const executor = options.executor ?? new InlineExecutor(jobs);
  // Workers that run their own loops (the threads executor of `sweep run`), unless the batches of a
  // reproducible run need this thread to claim every trial, or the study cannot be opened elsewhere.
  const restorable = study.restorable;
  if (isLoopExecutor(executor) && objective.kind === 'module' && restorable !== undefined && options.reproducible !== true) {
    return optimizeInLoops(study, runner, { objective, restorable, executor, jobs }, options);
  }
  const inLoop = options.inLoop;
  const signal = options.signal ?? new AbortController().signal;
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'SweepWarning'));
  const progress = { started: 0, completed: 0, pruned: 0, failed: 0 };
  let stoppedBy: StopReason | undefined;

  const elapsed = (): number => performance.now() - begin;
  const mayStart = (): boolean => {
    if (stoppedBy !== undefined) return false;
    if (signal.aborted) stoppedBy = 'signal';
    else if (options.stopSignal?.aborted) stoppedBy = 'stopped';
    else if (options.trials !== undefined && progress.started >= options.trials) stoppedBy = 'trials';
    else if (options.timeoutMs !== undefined && elapsed() >= options.timeoutMs) stoppedBy = 'timeout';
    else if (runner.isExhausted()) stoppedBy = 'exhausted';
    else if (inLoop && Atomics.load(inLoop.control, STOP) === 1) stoppedBy = 'stopped';
    else if (inLoop && Atomics.sub(inLoop.control, TICKETS, 1) <= 0) stoppedBy = 'trials';
    return stoppedBy === undefined;
  };
  // A trial that was counted but never claimed gives its ticket back.
  const uncount = (): void => {
    progress.started--;
    if (inLoop) Atomics.add(inLoop.control, TICKETS, 1);
  };

  const runOne = async (batch: BatchOptions = {}): Promise<void> => {
    progress.started++;
    let record;
    try {
      record = await runner.run(objective, executor, signal, {
        ...batch,
        ...(options.maxTrials !== undefined && { maxTrials: options.maxTrials }),
        ...(inLoop && { onClaimed: (trial) => inLoop.onEvent({ type: 'claimed', ...trial }) }),
      });
    } catch (error) {
      if (isSweepError(error) && error.code === 'E_ABORTED' && runner.isExhausted()) {
        uncount();
        stoppedBy ??= 'exhausted';
        return;
      }
      if (isSweepError(error) && error.code === 'E_BUDGET') {
        uncount();
        stoppedBy ??= 'max-trials';
        return;
      }
      if (error instanceof TrialLostError) {
        // Its number is free again (the creation was rolled back): the budget counts the trial that takes it.
        uncount();
        warn(error.message);
        return;
      }
      throw error;
    }
    const view = toTrialView(record, study.space);
    if (view.state === 'COMPLETE') progress.completed++;
    else if (view.state === 'PRUNED') progress.pruned++;
    else progress.failed++;
    if (options.maxFailures !== undefined && progress.failed >= options.maxFailures) stoppedBy ??= 'max-failures';
    if (view.state === 'FAIL' && options.retryFailed) await study.retry(view.number, options.retryFailed, options.maxTrials);
    inLoop?.onEvent({ type: 'ended', number: view.number });
    options.onTrialEnd?.(view, { ...progress, elapsedMs: elapsed() });
  };

  const checks = backgroundChecks(study, runner, options, warn);
  await checks.reap();
  if (!inLoop) await runner.openParentRun();
  let failure: unknown;
  checks.start();
  const attempt = async (batch?: BatchOptions): Promise<void> => {
    try {
      await runOne(batch);
    } catch (error) {
      failure ??= error;
    }
  };
  const worker = async (): Promise<void> => {
    while (failure === undefined && mayStart()) await attempt();
  };
  // Reproducible: batches of `jobs` trials, claimed one after the other (each sampled with the ones
  // before it in the batch as claimed), run together, the next batch once all have ended.
  const batches = async (): Promise<void> => {
    while (failure === undefined && mayStart()) {
      const sealedFrom = runner.nextNumber();
      const running: Promise<void>[] = [];
      do {
        let claimed!: () => void;
        const ready = new Promise<void>((resolve) => (claimed = resolve));
        running.push(attempt({ sealedFrom, onClaimed: claimed }));
        await Promise.race([ready, running.at(-1)]);
      } while (running.length < jobs && failure === undefined && mayStart());
      await Promise.all(running);
    }
  };
  try {
    if (options.reproducible === true && jobs > 1) await batches();
    else await Promise.all(Array.from({ length: jobs }, worker));
  } finally {
    checks.stop();
  }
  const status = failure !== undefined ? 'FAILED' : stoppedBy === 'signal' ? 'KILLED' : 'FINISHED';
  try {
    if (!inLoop) await runner.closeParentRun(status);
  } catch (error) {
    // The store that failed the study usually fails this too: the first fault is the one to report.
    if (failure === undefined) throw error;
  }
  if (failure !== undefined) throw failure;
  return { ...progress, elapsedMs: elapsed(), stoppedBy: stoppedBy ?? 'unbounded-done', staleFailed: checks.staleFailed, best: study.bestTrial };
}


function validate(options: OptimizeOptions): void {
  const positiveInt = (name: string, v: number | undefined, min: number): void => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) {
      throw new ConfigError(`optimize: ${name} must be an integer >= ${min}, got ${v}`);
    }
  };
  positiveInt('trials', options.trials, 0);
  positiveInt('jobs', options.jobs, 1);
  positiveInt('maxFailures', options.maxFailures, 1);
  positiveInt('maxTrials', options.maxTrials, 0);
  positiveInt('retryFailed', options.retryFailed, 0);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new ConfigError(`optimize: timeoutMs must be > 0, got ${options.timeoutMs}`);
  }
}
