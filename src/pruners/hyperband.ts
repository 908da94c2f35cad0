// HyperbandPruner: several successive-halving brackets with different early-stopping rates; each
// trial belongs to one bracket, chosen by a hash of (study name, trial number) weighted by budget.
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { StudyView } from '../study/sampler.js';
import type { Pruner } from '../study/pruner.js';
import type { TrialRecord } from '../tracking/entities.js';
import { otherTrials } from './intermediate.js';
import { autoOrPositiveInt, nonNegativeInt, parsePrunerOptions, positiveInt, reductionFactor } from './options.js';
import { decideSuccessiveHalving, lastCompletedStep } from './successive-halving.js';

export const hyperbandOptionsSchema = z
  .object({
    minResource: positiveInt.optional(),
    maxResource: autoOrPositiveInt.optional(),
    reductionFactor: reductionFactor.optional(),
    bootstrapCount: nonNegativeInt.optional(),
  })
  .strict()
  .refine((o) => typeof o.maxResource !== 'number' || o.maxResource >= (o.minResource ?? 1), {
    message: 'must be >= minResource',
    path: ['maxResource'],
  });

export type HyperbandOptions = z.infer<typeof hyperbandOptionsSchema> & {
  /** Hashed with the trial number to pick its bracket; defaults to the study view's name. */
  studyName?: string;
};

/**
 * Hyperband with Optuna's defaults (minResource 1, maxResource 'auto', reductionFactor 3,
 * bootstrapCount 0). There are B = floor(log_rf(maxResource / minResource)) + 1 brackets; bracket b
 * is a {@link SuccessiveHalvingPruner} with minEarlyStoppingRate b (bracket 0 prunes earliest) and a
 * budget of ceil(B * rf^s / (s + 1)) with s = B - 1 - b. Trial n goes to the bracket holding
 * crc32(`${studyName}_${n}`) mod (sum of budgets) when the budgets are laid end to end, so the
 * assignment is fixed by the study name and trial number. A trial competes only with trials of its
 * own bracket. 'auto' maxResource is (largest last step of a COMPLETE trial) + 1; until a trial
 * completes nothing is pruned. Set maxResource explicitly if trials may run for different lengths:
 * a changed maxResource changes the brackets.
 * @throws ConfigError from the constructor for invalid options.
 */
export class HyperbandPruner implements Pruner {
  readonly name = 'hyperband';
  readonly minResource: number;
  readonly maxResource: number | 'auto';
  readonly reductionFactor: number;
  readonly bootstrapCount: number;
  readonly studyName: string | undefined;

  constructor(options: HyperbandOptions = {}) {
    const { studyName, ...rest } = options;
    const o = parsePrunerOptions('hyperband', hyperbandOptionsSchema, rest);
    this.minResource = o.minResource ?? 1;
    this.maxResource = o.maxResource ?? 'auto';
    this.reductionFactor = o.reductionFactor ?? 3;
    this.bootstrapCount = o.bootstrapCount ?? 0;
    this.studyName = studyName;
  }

  shouldPrune(study: StudyView, trial: TrialRecord): boolean {
    const budgets = this.budgetsFor(study);
    if (budgets === undefined) return false;
    const name = this.studyName ?? study.name;
    const bracket = assignBracket(name, trial.number, budgets);
    const peers = otherTrials(study.trials, trial).filter((t) => assignBracket(name, t.number, budgets) === bracket);
    const config = {
      minResource: this.minResource,
      reductionFactor: this.reductionFactor,
      minEarlyStoppingRate: bracket,
      bootstrapCount: this.bootstrapCount,
    };
    return decideSuccessiveHalving(peers, trial, study.direction, config);
  }

  /** The bracket budgets for this study's history, or undefined while 'auto' maxResource is unknown. */
  budgetsFor(study: StudyView): number[] | undefined {
    let maxResource = this.maxResource;
    if (maxResource === 'auto') {
      const last = lastCompletedStep(study.trials);
      if (last === undefined) return undefined;
      maxResource = last + 1;
    }
    return bracketBudgets(this.minResource, maxResource, this.reductionFactor);
  }
}

/**
 * The budget of each bracket, bracket 0 first: B = floor(log_rf(max / min)) + 1 brackets, bracket b
 * gets ceil(B * rf^s / (s + 1)) with s = B - 1 - b.
 */
export function bracketBudgets(minResource: number, maxResource: number, reductionFactor: number): number[] {
  let n = 1;
  while (minResource * reductionFactor ** n <= maxResource) n += 1;
  return Array.from({ length: n }, (_, b) => {
    const s = n - 1 - b;
    return Math.ceil((n * reductionFactor ** s) / (s + 1));
  });
}

/** The bracket of trial `trialNumber`: crc32(`${studyName}_${trialNumber}`) mod total budget, walked through `budgets`. */
export function assignBracket(studyName: string, trialNumber: number, budgets: readonly number[]): number {
  const total = budgets.reduce((a, b) => a + b, 0);
  let n = crc32(`${studyName}_${trialNumber}`) % total;
  for (const [bracket, budget] of budgets.entries()) {
    n -= budget;
    if (n < 0) return bracket;
  }
  return assert.fail('a hash modulo the total budget falls inside some bracket');
}
