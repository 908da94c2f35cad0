// The Pruner contract, run against every pruner of the registry: no decision to prune before its
// warmup, a decision that depends only on its inputs (the same answer again, and from a fresh pruner),
// inputs left unchanged (they are frozen here), and a hopeless trial pruned once past the warmup
// (`none`: never).
import { describe, expect, it } from 'vitest';
import { createPruner, type PrunerSpec } from '../../src/pruners/index.js';
import type { Pruner } from '../../src/study/pruner.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { trial, view } from '../pruners/helpers.js';

export interface PrunerHarness {
  /** The registry name; the spec gives the options that set its warmup. */
  readonly name: string;
  readonly spec: PrunerSpec;
  /** Steps before which the pruner never prunes (0: none). */
  readonly warmupSteps: number;
  /** False for a pruner that never prunes. */
  readonly prunes: boolean;
}

const STEPS = 200;
const STUDY = 'pruner-contract';

/** Ten finished trials that improved steadily, and one running trial that got worse at every step. */
function history(): { done: TrialRecord[]; hopeless: (lastStep: number) => TrialRecord } {
  const done = Array.from({ length: 10 }, (_, n) =>
    trial(n, 'COMPLETE', Object.fromEntries(Array.from({ length: STEPS }, (_, s) => [s, 10 / (s + 1) + n * 0.01])), 10 / STEPS));
  const hopeless = (lastStep: number): TrialRecord =>
    trial(10, 'RUNNING', Object.fromEntries(Array.from({ length: lastStep + 1 }, (_, s) => [s, 100 + s])));
  return { done, hopeless };
}

/** The pruner's answers for the hopeless trial after each of its reports, step 0 to STEPS - 1. */
function answers(pruner: Pruner): boolean[] {
  const { done, hopeless } = history();
  return Array.from({ length: STEPS }, (_, step) => {
    const running = hopeless(step);
    return pruner.shouldPrune(view([...done, running], 'minimize', STUDY), running);
  });
}

export function prunerContract(harness: PrunerHarness): void {
  describe(`Pruner contract: ${harness.name}`, () => {
    const make = (): Pruner => createPruner(harness.spec, { studyName: STUDY });

    it('never prunes before its warmup', () => {
      expect(answers(make()).slice(0, harness.warmupSteps)).not.toContain(true);
    });

    it(harness.prunes ? 'prunes a hopeless trial once past its warmup' : 'never prunes', () => {
      expect(answers(make()).includes(true)).toBe(harness.prunes);
    });

    it('answers the same for the same inputs, again and from a fresh pruner', () => {
      const pruner = make();
      const first = answers(pruner);
      expect(answers(pruner)).toEqual(first);
      expect(answers(make())).toEqual(first);
    });
  });
}
