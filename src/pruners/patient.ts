// PatientPruner: wait until a trial has gone `patience` reports without improving by `minDelta`,
// then defer to a wrapped pruner (or prune outright when there is none).
import { z } from 'zod';
import type { StudyView } from '../study/sampler.js';
import type { Pruner } from '../study/pruner.js';
import type { TrialRecord } from '../tracking/entities.js';
import { bestOf, reportedSteps, valueAt } from './intermediate.js';
import { nonNegativeInt, parsePrunerOptions } from './options.js';

const MIN_DELTA = 'expected a non-negative number';

export const patientOptionsSchema = z
  .object({
    patience: nonNegativeInt,
    minDelta: z.number(MIN_DELTA).min(0, MIN_DELTA).optional(),
  })
  .strict();

export type PatientOptions = z.infer<typeof patientOptionsSchema>;

/**
 * Patience over the trial's reports in step order: split them into the last `patience + 1` reports
 * and the earlier ones. The trial has stalled when the best recent value fails to beat the best
 * earlier value by more than `minDelta` (default 0): minimizing, min(recent) >= min(earlier) - minDelta;
 * maximizing, max(recent) <= max(earlier) + minDelta (an equal value is no improvement; NaN ignored;
 * recent reports all NaN count as stalled, earlier ones all NaN as not). With `patience + 1` reports
 * or fewer it has not stalled. A stalled trial is pruned when the wrapped pruner says so, or
 * outright when there is none; a trial that has not stalled is never pruned (wrapped not consulted).
 * Unlike Optuna (which prunes only once the recent best is *worse* than the earlier best by more
 * than min_delta), `minDelta` here is the improvement required, as in Keras' EarlyStopping.
 * @throws ConfigError from the constructor for invalid options.
 */
export class PatientPruner implements Pruner {
  readonly name = 'patient';
  readonly wrapped: Pruner | undefined;
  readonly patience: number;
  readonly minDelta: number;

  constructor(wrapped: Pruner | undefined, options: PatientOptions) {
    const o = parsePrunerOptions('patient', patientOptionsSchema, options);
    this.wrapped = wrapped;
    this.patience = o.patience;
    this.minDelta = o.minDelta ?? 0;
  }

  shouldPrune(study: StudyView, trial: TrialRecord): boolean {
    if (!this.hasStalled(study, trial)) return false;
    return this.wrapped === undefined ? true : this.wrapped.shouldPrune(study, trial);
  }

  /** Whether the last `patience + 1` reports failed to beat the earlier ones by more than minDelta. */
  hasStalled(study: StudyView, trial: TrialRecord): boolean {
    const values = reportedSteps(trial).map((s) => valueAt(trial, s) ?? NaN);
    if (values.length <= this.patience + 1) return false;
    const split = values.length - this.patience - 1;
    const before = bestOf(values.slice(0, split), study.direction);
    const recent = bestOf(values.slice(split), study.direction);
    if (Number.isNaN(recent)) return true;
    if (Number.isNaN(before)) return false;
    return study.direction === 'maximize' ? recent <= before + this.minDelta : recent >= before - this.minDelta;
  }
}
