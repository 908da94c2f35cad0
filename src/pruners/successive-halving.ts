// SuccessiveHalvingPruner: asynchronous successive halving (ASHA). Rung membership and rung values
// are derived from the stored reports alone, so every process sharing a study takes the same decision.
import { z } from 'zod';
import type { StudyView } from '../study/sampler.js';
import type { Pruner } from '../study/pruner.js';
import type { Direction, TrialRecord } from '../tracking/entities.js';
import { otherTrials, reportedSteps, valueAt } from './intermediate.js';
import { autoOrPositiveInt, nonNegativeInt, parsePrunerOptions, reductionFactor } from './options.js';

export const successiveHalvingOptionsSchema = z
  .object({
    minResource: autoOrPositiveInt.optional(),
    reductionFactor: reductionFactor.optional(),
    minEarlyStoppingRate: nonNegativeInt.optional(),
    bootstrapCount: nonNegativeInt.optional(),
  })
  .strict();

export type SuccessiveHalvingOptions = z.infer<typeof successiveHalvingOptionsSchema>;

/** Rung geometry: rung k sits at step `minResource * reductionFactor ** (minEarlyStoppingRate + k)`. @internal */
export interface RungConfig {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;
}

/**
 * ASHA with Optuna's defaults (minResource 'auto', reductionFactor 4, minEarlyStoppingRate 0,
 * bootstrapCount 0). A trial is checked only when its latest report is the first to reach a rung
 * step (`minResource * reductionFactor ** (minEarlyStoppingRate + k)`); earlier rungs were decided at
 * earlier reports and are never revisited. At each rung newly reached, the trial's latest value
 * competes with the values every other trial recorded there (a trial's value at a rung is the one
 * it reported at its first step >= the rung step; NaN ignored); it is promoted when it ranks within
 * the best max(1, floor(n / reductionFactor)) of the n values, itself included, and pruned
 * otherwise, or when n <= bootstrapCount, or when its value is NaN. A report that crosses several
 * rungs at once is checked at each in turn and records the same value at each (for another trial,
 * even one pruned at the first of them: history does not say where it stopped competing).
 * 'auto' minResource is max(1, floor(L / 100)) with L the largest last step of a COMPLETE trial;
 * until a trial completes nothing is pruned (and rungs passed meanwhile are not checked later).
 * @throws ConfigError from the constructor for invalid options.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = 'successive-halving';
  readonly minResource: number | 'auto';
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;

  constructor(options: SuccessiveHalvingOptions = {}) {
    const o = parsePrunerOptions('successive-halving', successiveHalvingOptionsSchema, options);
    this.minResource = o.minResource ?? 'auto';
    this.reductionFactor = o.reductionFactor ?? 4;
    this.minEarlyStoppingRate = o.minEarlyStoppingRate ?? 0;
    this.bootstrapCount = o.bootstrapCount ?? 0;
  }

  shouldPrune(study: StudyView, trial: TrialRecord): boolean {
    const minResource = this.minResource === 'auto' ? estimateMinResource(study.trials) : this.minResource;
    if (minResource === undefined) return false;
    const config = { minResource, reductionFactor: this.reductionFactor, minEarlyStoppingRate: this.minEarlyStoppingRate, bootstrapCount: this.bootstrapCount };
    return decideSuccessiveHalving(otherTrials(study.trials, trial), trial, study.direction, config);
  }
}

/**
 * The ASHA decision for `trial` against the trials it competes with (`others` excludes it).
 * @internal
 */
export function decideSuccessiveHalving(others: readonly TrialRecord[], trial: TrialRecord, direction: Direction, config: RungConfig): boolean {
  const steps = reportedSteps(trial);
  const step = steps.at(-1);
  if (step === undefined) return false;
  const previous = steps.at(-2) ?? -Infinity;
  const value = valueAt(trial, step) ?? NaN;
  for (let rung = 0; rungStep(config, rung) <= step; rung += 1) {
    const at = rungStep(config, rung);
    if (at <= previous) continue;
    if (Number.isNaN(value)) return true;
    const competing = others.map((t) => valueAtRung(t, at)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    competing.push(value);
    if (competing.length <= config.bootstrapCount) return true;
    if (!isPromotable(value, competing, config.reductionFactor, direction)) return true;
  }
  return false;
}

/** The step of rung `rung`. @internal */
export function rungStep(config: RungConfig, rung: number): number {
  return config.minResource * config.reductionFactor ** (config.minEarlyStoppingRate + rung);
}

/** The value `trial` recorded at the rung sitting at step `at`: its report at its first step >= at. @internal */
export function valueAtRung(trial: TrialRecord, at: number): number | undefined {
  const first = reportedSteps(trial).find((s) => s >= at);
  return first === undefined ? undefined : valueAt(trial, first);
}

/** Whether `value` is within the best max(1, floor(n / reductionFactor)) of `competing` (which holds it). @internal */
export function isPromotable(value: number, competing: readonly number[], reductionFactor: number, direction: Direction): boolean {
  const sorted = [...competing].sort((a, b) => a - b);
  const k = Math.max(Math.floor(sorted.length / reductionFactor) - 1, 0);
  return direction === 'maximize' ? value >= (sorted[sorted.length - 1 - k] ?? -Infinity) : value <= (sorted[k] ?? Infinity);
}

/** 'auto' minResource: max(1, floor(L / 100)), L the largest last step of a COMPLETE trial. @internal */
export function estimateMinResource(trials: readonly TrialRecord[]): number | undefined {
  const last = lastCompletedStep(trials);
  return last === undefined ? undefined : Math.max(Math.floor(last / 100), 1);
}

/** The largest last reported step among COMPLETE trials, if any. @internal */
export function lastCompletedStep(trials: readonly TrialRecord[]): number | undefined {
  let last: number | undefined;
  for (const t of trials) {
    if (t?.state !== 'COMPLETE') continue;
    const step = reportedSteps(t).at(-1);
    if (step !== undefined && (last === undefined || step > last)) last = step;
  }
  return last;
}
