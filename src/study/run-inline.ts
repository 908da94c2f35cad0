// Running a function objective on this thread: its return or throw becomes an outcome, and an abort
// ends the trial at once as interrupted (the objective's later writes are ignored).
import type { TrialOutcome } from './outcome.js';
import { outcomeOfReturn, outcomeOfThrow } from './outcome.js';
import type { ObjectiveFn } from './executor.js';
import type { Trial } from './trial.js';

export async function runInline(fn: ObjectiveFn, trial: Trial, signal?: AbortSignal): Promise<TrialOutcome> {
  if (signal?.aborted) return interrupted();
  const result = (async () => {
    try {
      return outcomeOfReturn(await fn(trial));
    } catch (error) {
      return outcomeOfThrow(error);
    }
  })();
  if (!signal) return result;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<TrialOutcome>((resolve) => {
    onAbort = () => resolve(interrupted());
    // The objective may have aborted synchronously before its first await.
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([result, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function interrupted(): TrialOutcome {
  return { kind: 'failed', reason: 'interrupted', error: { name: 'Interrupted', message: 'interrupted before the objective returned' } };
}
