// Reading a trial's reported (intermediate) values: steps, last step, interval checks, best-so-far
// and "better" for either direction. Shared by every pruner; all functions are pure.
import type { Direction, TrialRecord } from '../tracking/entities.js';

/** The trial's reported steps, ascending. @internal */
export function reportedSteps(trial: TrialRecord): number[] {
  return Object.keys(trial.intermediate).map(Number).sort((a, b) => a - b);
}

/** The value reported at `step` (undefined when none was). @internal */
export function valueAt(trial: TrialRecord, step: number): number | undefined {
  return trial.intermediate[step];
}

/**
 * Whether `step` (the latest report) is the first report in its pruning interval: the interval
 * boundaries are `nWarmupSteps + k * intervalSteps`, and a check is due when no earlier report
 * falls in [boundary, step). A report that skips a boundary is checked late rather than never.
 * @internal
 */
export function isFirstInInterval(steps: readonly number[], step: number, nWarmupSteps: number, intervalSteps: number): boolean {
  const boundary = Math.floor((step - nWarmupSteps) / intervalSteps) * intervalSteps + nWarmupSteps;
  const previous = steps.filter((s) => s !== step).reduce((max, s) => (s < step && s > max ? s : max), -Infinity);
  return previous < boundary;
}

/** The best of `values` ignoring NaN; NaN when there is none. @internal */
export function bestOf(values: Iterable<number>, direction: Direction): number {
  let best = NaN;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || isBetter(v, best, direction)) best = v;
  }
  return best;
}

/** Strictly better: smaller when minimizing, larger when maximizing. @internal */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'maximize' ? a > b : a < b;
}

/** Every stored trial except `trial` itself (the view may hold an older copy of it). @internal */
export function otherTrials(trials: readonly TrialRecord[], trial: TrialRecord): TrialRecord[] {
  return trials.filter((t) => t !== undefined && t.number !== trial.number);
}
