// What an optimize call does in the background (optimize.ts, and the supervisor of worker loops in
// optimize-loops.ts): every heartbeat interval, a heartbeat for the trials it runs, then a check for
// stale trials of others, which it fails (and queues again with retryFailed). A fault in either is a
// warning; the study goes on.
import type { OptimizeOptions } from './optimize.js';
import type { Study } from './study.js';
import type { TrialRunner } from './trial-runner.js';

export interface BackgroundChecks {
  /** Trials this call failed as stale so far, by number. */
  readonly staleFailed: number[];
  /** Fails stale trials now (the first check, before the call starts trials). */
  reap(): Promise<void>;
  /** Starts the heartbeat and the stale checks, every heartbeat interval. */
  start(): void;
  stop(): void;
}

/** `others`: trial ids this process beats for beyond its own trials (the ones its worker loops run). */
export function backgroundChecks(
  study: Study,
  runner: TrialRunner,
  options: OptimizeOptions,
  warn: (message: string) => void,
  others: () => readonly number[] = () => [],
): BackgroundChecks {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const staleFailed: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let beating = false;
  const reap = async (): Promise<void> => {
    const failed = await runner.failStaleTrials(staleAfterMs);
    if (failed.length === 0) return;
    staleFailed.push(...failed);
    options.onStaleFailed?.(failed);
    if (options.retryFailed) for (const n of failed) await study.retry(n, options.retryFailed, options.maxTrials);
  };
  return {
    staleFailed,
    reap,
    start: () => {
      timer = setInterval(() => {
        if (beating) return;
        beating = true;
        void runner
          .heartbeat(others())
          .catch((error: unknown) => warn(`study "${study.name}": heartbeat failed: ${describeError(error)}`))
          .then(reap)
          .catch((error: unknown) => warn(`study "${study.name}": checking for stale trials failed: ${describeError(error)}`))
          .finally(() => {
            beating = false;
          });
      }, options.heartbeatIntervalMs ?? 5000);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
