// The loop seam: an executor whose workers each run a whole optimize loop (claim, sample, run the
// objective on their own thread, finish) against the study's store, instead of one trial at a time
// handed over by this thread. optimize-loops.ts supervises them: the budget, heartbeats, progress,
// and the faults a worker cannot report itself (a trial timeout, a crash, running out of memory).
import type { SerializedError } from '../errors.js';
import type { SamplerConfig } from '../tracking/entities.js';
import type { StopReason } from './optimize.js';
import type { FailReason } from './outcome.js';
import type { Executor } from './executor.js';

/** What another thread needs to open this same study (createStudy fills it; see Study.restorable). */
export interface RestorableStudy {
  readonly storageUri: string;
  /** Where the store keeps new experiments' artifacts, as it was opened with (undefined: its default). */
  readonly artifacts: string | undefined;
  readonly sampler: SamplerConfig;
  readonly pruner: SamplerConfig | null;
  readonly seed: number;
}

/**
 * Shared between the supervisor and every loop: [0] tickets left for this call's trials (a loop takes
 * one before each claim), [1] 1 once no more trials may start.
 */
export const TICKETS = 0;
export const STOP = 1;

/** One worker's loop: plain data. */
export interface LoopTask {
  readonly studyName: string;
  readonly study: RestorableStudy;
  /** The study file whose objective (and space and constraints) the loop runs. */
  readonly studyPath: string;
  readonly control: Int32Array;
  readonly maxTrials?: number;
  readonly retryFailed?: number;
  readonly heartbeatIntervalMs?: number;
  readonly staleAfterMs?: number;
}

/** What a loop tells the supervisor, in order, for each trial it runs. */
export type LoopEvent =
  | { readonly type: 'claimed'; readonly number: number; readonly trialId: number }
  | { readonly type: 'ended'; readonly number: number };

/** How a loop ended by itself: why it stopped starting trials, or the fault that stopped it. */
export type LoopEnd =
  | { readonly kind: 'stopped'; readonly stoppedBy: StopReason }
  | { readonly kind: 'error'; readonly error: SerializedError; readonly hint?: string };

/** A loop's worker stopped in the middle of a trial: the trial ends FAIL with this reason. */
export class LoopFault extends Error {
  constructor(
    readonly reason: Extract<FailReason, 'timeout' | 'crashed' | 'interrupted'>,
    readonly error: SerializedError,
  ) {
    super(error.message);
    this.name = 'LoopFault';
  }
}

export interface LoopExecutor extends Executor {
  /**
   * Runs one optimize loop in a worker until it stops. Rejects with a LoopFault when its worker is
   * stopped (the trial timeout, `signal`) or dies; the trial it was running (the last `claimed` event
   * without its `ended`) is then the supervisor's to end.
   */
  runLoop(task: LoopTask, onEvent: (event: LoopEvent) => void, signal: AbortSignal): Promise<LoopEnd>;
}

export function isLoopExecutor(executor: Executor): executor is LoopExecutor {
  return typeof (executor as Partial<LoopExecutor>).runLoop === 'function' && (executor as { loops?: boolean }).loops === true;
}
