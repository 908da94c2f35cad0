// Candidate generation options of the default TPE profile: crossover (candidates from the product of l's
// marginals) and candidates growing with dimension. The Optuna profile keeps both off.
import { describe, expect, it } from 'vitest';
import { drawCandidates } from '../../samplers/tpe/candidates.js';
import { ObservationTable } from '../../samplers/tpe/observations.js';
import { DEFAULT_PROFILE, OPTUNA_PROFILE, resolveTpeOptions, type TpeOptions } from '../../samplers/tpe/options.js';
import { splitTrials } from '../../samplers/tpe/split.js';
import { fitEstimators, suggestJoint } from '../../samplers/tpe/suggest.js';
import { createRng } from '../../src/rng.js';
import type { Distribution } from '../../src/space/distributions.js';
import type { StudyView } from '../../src/study/sampler.js';
import type { TrialRecord } from '../../src/tracking/entities.js';

const unit: Distribution = { kind: 'uniform', low: 0, high: 1 };

/** A history whose good trials sit at (0.1, 0.1) and (0.9, 0.9) only; the rest near the centre. */
function twoClusters(): { table: ObservationTable; records: TrialRecord[] } {
  const rng = createRng(5);
  const records: TrialRecord[] = Array.from({ length: 60 }, (_, number) => {
    const corner = number < 8 ? (number % 2 === 0 ? 0.1 : 0.9) : undefined;
    const x = corner ?? 0.4 + 0.2 * rng.random();
    const y = corner ?? 0.4 + 0.2 * rng.random();
    return {
      trialId: number + 1, studyId: 1, number, runId: '', state: 'COMPLETE', value: corner === undefined ? 1 + rng.random() : 0,
      params: { x, y }, distributions: { x: unit, y: unit }, intermediate: {}, systemAttrs: {}, startTime: 0, endTime: null,
      heartbeat: null, workerId: null, seq: number + 1,
    };
  });
  const view: StudyView = { name: 'v', direction: 'minimize', space: undefined, seed: 1, trials: records, version: records.length, trialsIn: () => records };
  const table = new ObservationTable();
  table.sync(view);
  return { table, records };
}

function draw(options: TpeOptions, crossover: number): { x: number; y: number }[] {
  const { table, records } = twoClusters();
  const names = ['x', 'y'];
  const { below } = fitEstimators({
    table, options, names, distributions: [unit, unit], trialNumber: records.length, rng: createRng(1),
    globalSplit: () => splitTrials(table, options, records.length),
  });
  const cands = drawCandidates(below, 400, createRng(2), crossover);
  return Array.from({ length: cands.count }, (_, c) => ({ x: cands.values[0]?.[c] as number, y: cands.values[1]?.[c] as number }));
}

describe('TPE candidates', () => {
  const options = resolveTpeOptions({ bandwidthFloor: 0.01, priorWeight: 0.01 });
  const mixedCorners = (pts: { x: number; y: number }[]): number => pts.filter((p) => Math.abs(p.x - p.y) > 0.6).length;

  it('combines coordinates of different good trials only with crossover', () => {
    // Without crossover a candidate takes both coordinates from one kernel: off-diagonal corners only
    // come from the (light) prior kernel. With it, half of the kernel pairs disagree.
    const without = mixedCorners(draw(options, 0));
    const withCrossover = mixedCorners(draw(options, 1));
    expect(without).toBeLessThan(20);
    expect(withCrossover).toBeGreaterThan(100);
  });

  it('draws at least candidatesPerDim x dimensions candidates', () => {
    const { table, records } = twoClusters();
    const seen: number[] = [];
    for (const perDim of [0, 50]) {
      const opts = resolveTpeOptions({ candidatesPerDim: perDim, crossover: 0 });
      let calls = 0;
      const rng = createRng(3);
      const counting = { ...rng, random: () => (calls++, rng.random()) };
      suggestJoint({
        table, options: opts, names: ['x', 'y'], distributions: [unit, unit], trialNumber: records.length, rng: counting,
        globalSplit: () => splitTrials(table, opts, records.length),
      });
      seen.push(calls);
    }
    // One kernel draw plus one draw per dimension for each candidate: 24 candidates, then 100.
    expect(seen).toEqual([24 * 3, 100 * 3]);
  });

  it('keeps both off in the Optuna profile', () => {
    expect(OPTUNA_PROFILE).toMatchObject({ crossover: 0, candidatesPerDim: 0 });
    expect(DEFAULT_PROFILE).toMatchObject({ profile: 'default', crossover: 1 });
  });
});
