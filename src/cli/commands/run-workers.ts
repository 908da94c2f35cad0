// The worker threads of `sweep run`, started before the rest of the command loads: each worker's
// start (a thread, sweep's modules, the study file) then overlaps this thread's own start-up rather
// than following it. Best effort: flags it cannot use it leaves to run.ts to refuse.
import { resolve } from 'node:path';
import { createExecutor, resolveExecutorName, type ExecutorName } from '../../app/executors.js';
import type { Executor } from '../../study/executor.js';
import { intFlag, jobsFlag, stringFlag, timerSecondsFlag } from '../flags.js';
import { isPgUri, resolveStorageUri } from '../../tracking/storage-uri.js';
import type { RunFlags } from './run.js';

/** Trials a run makes when neither the flags nor the study file say. */
export const DEFAULT_TRIALS = 100;

/**
 * Whether the threads of a run with these flags and storage run their own optimize loops
 * (study/optimize-loops.ts): not for --reproducible (its batches need one claimer), nor PostgreSQL (a
 * process keeps to its two connections, and each worker would open its own).
 */
export function workerLoops(flags: Pick<RunFlags, 'reproducible'>, storage: string): boolean {
  return flags.reproducible !== true && !isPgUri(storage);
}

/** Trials at once for --jobs `jobs`: never more than the trials to run (each worker thread is a V8 heap). */
export function poolWidth(jobs: number, trials: number | undefined): number {
  return trials === undefined ? jobs : Math.max(1, Math.min(jobs, trials));
}

/**
 * The threads executor a run of `file` with these flags uses, started now (its workers preload the
 * file), or undefined: another executor, no file, or flags that `sweep run` refuses with a message.
 * The pool is dropped later if the file turns out to run a command.
 */
export async function startRunWorkers(file: string | undefined, flags: RunFlags): Promise<Executor | undefined> {
  try {
    const jobs = jobsFlag(flags.jobs);
    // The study file's `trials` is not known yet: the default stands in (run.ts resizes the pool if it differs).
    const bounded = flags.timeout === undefined && flags.maxTrials === undefined;
    const trials = intFlag('trials', flags.trials, 0) ?? (bounded ? DEFAULT_TRIALS : undefined);
    const executor = stringFlag('executor', flags.executor) as ExecutorName | undefined;
    if (file === undefined || flags.command !== undefined || resolveExecutorName({ executor, jobs }) !== 'threads') return undefined;
    const trialTimeoutSec = timerSecondsFlag('trial-timeout', flags.trialTimeout, 0);
    const maxOldSpaceMb = intFlag('max-old-space', flags.maxOldSpace, 16);
    return await createExecutor({
      executor: 'threads',
      jobs: poolWidth(jobs, trials),
      ...(trialTimeoutSec !== undefined && { trialTimeoutMs: trialTimeoutSec * 1000 }),
      ...(maxOldSpaceMb !== undefined && { maxOldSpaceMb }),
      metric: 'objective',
      trackingUri: '', // (the threads executor writes nothing itself)
      preload: resolve(file),
      loops: workerLoops(flags, resolveStorageUri(stringFlag('storage', flags.storage), process.env)),
    });
  } catch {
    return undefined;
  }
}
