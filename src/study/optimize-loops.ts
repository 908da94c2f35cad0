// The supervisor of worker loops (loop-executor.ts): each of `jobs` workers runs its own optimize
// loop on the study's store; this thread keeps what only it can do. It opens and closes the parent
// run, deals out this call's trials as tickets, beats for the trials the workers run (a synchronous
// objective blocks its worker's timers), reports each trial as it is stored, stops the loops on the
// timeout, a stop signal or too many failures, and ends the trial of a worker that was stopped or
// died (trial timeout, crash, out of memory, abort) before starting another loop in its place.
import { rebuildError, serializeError } from '../errors.js';
import { LoopFault, STOP, TICKETS, type LoopEvent, type LoopExecutor, type LoopTask, type RestorableStudy } from './loop-executor.js';
import type { OptimizeOptions, OptimizeResult, StopReason } from './optimize.js';
import type { TrialOutcome } from './outcome.js';
import type { Study } from './study.js';
import type { TrialRecord } from '../tracking/entities.js';
import type { TrialRunner } from './trial-runner.js';
import { toTrialView } from './trial-view.js';
import { backgroundChecks } from './background-checks.js';

export interface LoopPlan {
  readonly objective: { readonly kind: 'module'; readonly path: string };
  readonly restorable: RestorableStudy;
  readonly executor: LoopExecutor;
  readonly jobs: number;
}

/** No trial budget: more tickets than any run takes. */
const UNBOUNDED = 2 ** 31 - 1;

export async function optimizeInLoops(study: Study, runner: TrialRunner, plan: LoopPlan, options: OptimizeOptions): Promise<OptimizeResult> {
  const begin = performance.now();
  const elapsed = (): number => performance.now() - begin;
  const warn = options.onWarning ?? ((message: string) => process.emitWarning(message, 'SweepWarning'));
  const control = new Int32Array(new SharedArrayBuffer(8));
  control[TICKETS] = options.trials ?? UNBOUNDED;
  const progress = { started: 0, completed: 0, pruned: 0, failed: 0 };
  let stoppedBy: StopReason | undefined;
  let failure: unknown;
  const stop = (reason: StopReason): void => {
    stoppedBy ??= reason;
    Atomics.store(control, STOP, 1);
  };

  /** The trial each loop is running (by slot), as its worker claimed it. */
  const running = new Map<number, { readonly number: number; readonly trialId: number }>();
  const checks = backgroundChecks(study, runner, options, warn, () => [...running.values()].map((r) => r.trialId));
  await checks.reap();
  await runner.openParentRun();
  checks.start();
  const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
  const unlisten = [
    listen(options.stopSignal, () => stop('stopped')),
    listen(options.signal, () => stop('signal')),
  ];

  // Trials are reported one after the other, in the order they were stored.
  let reported = Promise.resolve();
  const report = (read: () => Promise<TrialRecord>, endedHere: boolean): void => {
    reported = reported.then(async () => {
      try {
        const view = toTrialView(await read(), study.space);
        if (view.state === 'COMPLETE') progress.completed++;
        else if (view.state === 'PRUNED') progress.pruned++;
        else progress.failed++;
        if (options.maxFailures !== undefined && progress.failed >= options.maxFailures) stop('max-failures');
        // A loop retries its own failures; the ones ended here are retried here.
        if (endedHere && view.state === 'FAIL' && options.retryFailed) await study.retry(view.number, options.retryFailed, options.maxTrials);
        options.onTrialEnd?.(view, { ...progress, elapsedMs: elapsed() });
      } catch (error) {
        failure ??= error;
        stop('stopped');
      }
    });
  };

  const task: LoopTask = {
    studyName: study.name,
    study: plan.restorable,
    studyPath: plan.objective.path,
    control,
    ...(options.maxTrials !== undefined && { maxTrials: options.maxTrials }),
    ...(options.retryFailed !== undefined && { retryFailed: options.retryFailed }),
    ...(options.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: options.heartbeatIntervalMs }),
    staleAfterMs: options.staleAfterMs ?? 60_000,
  };
  const mayStartLoop = (): boolean => failure === undefined && Atomics.load(control, STOP) === 0 && Atomics.load(control, TICKETS) > 0;
  const slot = async (index: number): Promise<void> => {
    while (mayStartLoop()) {
      const onEvent = (event: LoopEvent): void => {
        if (event.type === 'claimed') {
          progress.started++;
          running.set(index, { number: event.number, trialId: event.trialId });
        } else {
          running.delete(index);
          report(() => runner.storedTrial(event.number), false);
        }
      };
      const abort = new AbortController();
      const unlink = listen(options.signal, () => abort.abort());
      try {
        const end = await plan.executor.runLoop(task, onEvent, abort.signal);
        if (end.kind === 'error') {
          failure ??= rebuildError(end.error, end.hint);
          stop('stopped');
        } else if (stoppedBy === undefined && end.stoppedBy !== 'stopped') {
          // Why this loop stopped (the tickets, the study's budget, an exhausted sampler) stops them all.
          stop(end.stoppedBy);
        }
        return;
      } catch (error) {
        const fault = error instanceof LoopFault ? error : new LoopFault('crashed', serializeError(error));
        const current = running.get(index);
        running.delete(index);
        if (current !== undefined) {
          const outcome: TrialOutcome = { kind: 'failed', reason: fault.reason, error: fault.error };
          report(() => runner.endLoopTrial(current.trialId, current.number, outcome), true);
        }
        // A worker stopped or lost: another loop takes its place while trials remain.
      } finally {
        unlink();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: plan.jobs }, (_, index) => slot(index)));
    // A worker stopped between its claim and telling of it left that trial RUNNING: end it too.
    const orphanOutcome: TrialOutcome = options.signal?.aborted
      ? { kind: 'failed', reason: 'interrupted', error: { name: 'Interrupted', message: 'interrupted: the worker running the trial was stopped' } }
      : { kind: 'failed', reason: 'crashed', error: { name: 'WorkerLost', message: 'the worker that claimed the trial stopped before it ran' } };
    try {
      for (const orphan of await runner.endUnreportedTrials(orphanOutcome)) {
        progress.started++;
        report(() => Promise.resolve(orphan), true);
      }
    } catch (error) {
      failure ??= error; // (a store that failed a loop usually fails this too: the first fault is reported)
    }
    await reported;
  } finally {
    checks.stop();
    clearTimeout(timeout);
    for (const off of unlisten) off();
  }
  if (stoppedBy === undefined && options.trials !== undefined && Atomics.load(control, TICKETS) <= 0) stoppedBy = 'trials';
  const status = failure !== undefined ? 'FAILED' : stoppedBy === 'signal' ? 'KILLED' : 'FINISHED';
  try {
    await runner.closeParentRun(status);
  } catch (error) {
    if (failure === undefined) throw error;
  }
  if (failure !== undefined) throw failure;
  await study.sync();
  return { ...progress, elapsedMs: elapsed(), stoppedBy: stoppedBy ?? 'unbounded-done', staleFailed: checks.staleFailed, best: study.bestTrial };
}

/** Calls `then` once `signal` aborts (at once if it has); returns how to stop listening. */
function listen(signal: AbortSignal | undefined, then: () => void): () => void {
  if (signal === undefined) return () => undefined;
  if (signal.aborted) {
    then();
    return () => undefined;
  }
  signal.addEventListener('abort', then, { once: true });
  return () => signal.removeEventListener('abort', then);
}

