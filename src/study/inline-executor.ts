// The inline executor: a function objective run on this thread. Its return or throw becomes the
// outcome; an abort ends the trial at once as interrupted (the objective's later writes are ignored).
// Faults that escape the objective's promise are caught while inline trials run:
// - an error thrown from a timer, or a promise rejected and never awaited, fails the trial that caused
//   it (found through AsyncLocalStorage) with the error, and the study goes on;
// - an objective whose promise can never settle (nothing is left for it to wait on: the event loop
//   empties) fails as such, instead of Node exiting silently with the trial RUNNING.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ExecutorError, serializeError } from '../errors.js';
import type { InferParams } from '../space/nodes.js';
import type { Executor, TrialIO, TrialTask } from './executor.js';
import { failedOutcome, outcomeOfReturn, outcomeOfThrow, prunedResult, type TrialOutcome } from './outcome.js';
import type { Trial } from './trial.js';

interface InlineRun {
  readonly number: number;
  readonly end: (outcome: TrialOutcome) => void;
}

const running = new Set<InlineRun>();
const owner = new AsyncLocalStorage<InlineRun>();

export class InlineExecutor implements Executor {
  readonly name = 'inline';

  /** `concurrency`: trials interleaved on this thread (they share it: only waiting overlaps). */
  constructor(readonly concurrency = 1) {}

  async run(task: TrialTask, io: TrialIO, signal: AbortSignal): Promise<TrialOutcome> {
    const objective = task.objective;
    if (objective.kind !== 'function') {
      throw new ExecutorError('the inline executor runs a function objective, not a module', { hint: 'load the study file and pass its objective' });
    }
    if (signal.aborted) return interrupted();
    let run: InlineRun | undefined;
    const ended = new Promise<TrialOutcome>((resolve) => {
      run = { number: task.number, end: resolve };
    });
    const current = run as InlineRun;
    const onAbort = (): void => current.end(interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    track(current);
    try {
      const trial = inlineTrial(task, io);
      void owner.run(current, async () => {
        try {
          current.end(outcomeOfReturn(await objective.fn(trial)));
        } catch (error) {
          current.end(outcomeOfThrow(error));
        }
      });
      return await ended;
    } finally {
      signal.removeEventListener('abort', onAbort);
      untrack(current);
    }
  }

  async close(): Promise<void> {}
}

/** The Trial an inline objective sees: the task's data, the study's io. */
function inlineTrial(task: TrialTask, io: TrialIO): Trial {
  return {
    number: task.number,
    runId: task.runId,
    studyName: task.studyName,
    params: task.params as Record<string, any>,
    suggest: <N>(name: string, node: N) => io.suggest(name, node) as InferParams<N>,
    report: (value, step) => io.report(value, step),
    log: (key, value, step) => io.log(key, value, step),
    setTag: (key, value) => io.setTag(key, value),
    logArtifact: (path, artifactPath) => io.logArtifact(path, artifactPath),
    logModel: (pathOrDir, options) => io.logModel(pathOrDir, options),
    logInput: (dataset) => io.logInput(dataset),
    shouldPrune: () => io.shouldPrune(),
    pruned: () => prunedResult,
  };
}

function interrupted(): TrialOutcome {
  return failedOutcome('interrupted', 'Interrupted', 'interrupted before the objective returned');
}

// --- process-wide guards, installed while inline trials run ---

function track(run: InlineRun): void {
  if (running.size === 0) {
    process.on('uncaughtException', onEscaped);
    process.on('unhandledRejection', onEscaped);
    process.on('beforeExit', onLoopEmpty);
  }
  running.add(run);
}

function untrack(run: InlineRun): void {
  running.delete(run);
  if (running.size === 0) {
    process.off('uncaughtException', onEscaped);
    process.off('unhandledRejection', onEscaped);
    process.off('beforeExit', onLoopEmpty);
  }
}

/** An error no code awaited: it fails the trial whose objective caused it. */
function onEscaped(error: unknown): void {
  const outcome: TrialOutcome = { kind: 'failed', reason: 'crashed', error: asyncError(error) };
  const from = owner.getStore();
  if (from !== undefined && running.has(from)) return from.end(outcome);
  if (from === undefined && running.size === 1) {
    for (const run of running) run.end(outcome);
    return;
  }
  // From a trial that has ended (a timer it left behind), or from no trial while several run: no trial
  // to blame; say so rather than crash the study.
  process.emitWarning(`${from ? `an objective of trial #${from.number} failed after its trial ended` : 'an error escaped while objectives ran'}: ${String((error as Error)?.stack ?? error)}`);
}

function asyncError(error: unknown): ReturnType<typeof serializeError> {
  const serialized = serializeError(error);
  return { ...serialized, message: `thrown asynchronously (outside the objective's promise): ${serialized.message}` };
}

/** Node found nothing left to run: every pending objective waits on something that will never come. */
function onLoopEmpty(): void {
  for (const run of [...running]) {
    run.end(
      failedOutcome(
        'error',
        'ObjectiveNeverSettles',
        "the objective's promise can never settle: nothing is left for it to wait on (the event loop is empty). " +
          'To stop trials that hang, run them with --executor threads and --trial-timeout',
      ),
    );
  }
}
