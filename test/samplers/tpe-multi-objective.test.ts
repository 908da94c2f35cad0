// Multi-objective TPE: the good/bad split by non-domination rank and hypervolume subset selection,
// kernel weights by hypervolume contribution, feasibility, the constant liar; and through a study:
// values inside their distributions (conditional spaces), determinism, better than random.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { contains } from '../../src/space/distributions.js';
import { hypervolume } from '../../src/study/pareto/hypervolume.js';
import type { StudyView } from '../../src/study/sampler.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { CONSTRAINTS_ATTR } from '../../src/study/objectives.js';
import { ObservationTable } from '../../samplers/tpe/observations.js';
import { resolveTpeOptions } from '../../samplers/tpe/options.js';
import { ROLE_BAD, ROLE_GOOD } from '../../samplers/tpe/split.js';
import { splitMultiObjective } from '../../samplers/tpe/split-multi.js';

function record(number: number, values: number[] | null, state: TrialRecord['state'] = 'COMPLETE', constraints?: number[]): TrialRecord {
  return {
    trialId: number, studyId: 1, number, runId: `r${number}`, state, value: values?.[0] ?? null, values,
    params: { x: number / 10 }, distributions: { x: { kind: 'uniform', low: 0, high: 10 } }, intermediate: {},
    systemAttrs: constraints ? { [CONSTRAINTS_ATTR]: constraints } : {}, startTime: 0, endTime: state === 'RUNNING' ? null : 1,
    heartbeat: null, workerId: null, seq: number + 1,
  };
}

function view(trials: TrialRecord[]): StudyView {
  return {
    name: 's', direction: 'minimize', directions: ['minimize', 'minimize'], space: undefined, seed: 1, trials,
    version: trials.length, trialsIn: (states) => trials.filter((t) => states.includes(t.state)),
  };
}

function split(trials: TrialRecord[], gamma: number, exclude = trials.length) {
  const table = new ObservationTable();
  const v = view(trials);
  table.sync(v);
  return splitMultiObjective(table, trials, ['minimize', 'minimize'], resolveTpeOptions({ gamma, gammaMax: 25 }), exclude);
}

describe('multi-objective TPE split', () => {
  it('takes whole fronts first and cuts the last one by hypervolume', () => {
    // Front 0: #0 (0,4), #1 (4,0), #2 (1,3.9), #3 (2,2); front 1: #4 (3,3); front 2: #5 (5,5).
    const trials = [[0, 4], [4, 0], [1, 3.9], [2, 2], [3, 3], [5, 5]].map((v, i) => record(i, v));
    // gamma 0.5 of 6 finished -> 3 good: 3 of front 0, the ones adding the most hypervolume: the
    // extremes and (2,2); (1,3.9) adds almost nothing next to (0,4).
    const s = split(trials, 0.5);
    expect([...s.role.slice(0, 6)]).toEqual([ROLE_GOOD, ROLE_GOOD, ROLE_BAD, ROLE_GOOD, ROLE_BAD, ROLE_BAD]);
    // Every good kernel has a weight in (0, 1], the largest contribution weighing 1.
    const w = [0, 1, 3].map((n) => s.goodWeights?.[n] as number);
    expect(Math.max(...w)).toBe(1);
    expect(Math.min(...w)).toBeGreaterThan(0);
  });

  it('prefers feasible trials, then the least violating', () => {
    const trials = [record(0, [0, 0], 'COMPLETE', [2]), record(1, [5, 5], 'COMPLETE', [-1]), record(2, [1, 1], 'COMPLETE', [0.5]), record(3, [9, 9])];
    const s = split(trials, 0.75); // 3 good of 4
    expect([...s.role.slice(0, 4)]).toEqual([ROLE_BAD, ROLE_GOOD, ROLE_GOOD, ROLE_GOOD]);
    const s1 = split(trials, 0.25); // 1 good: the best feasible, not the dominating infeasible #0
    expect(s1.role[1]).toBe(ROLE_GOOD);
    expect(s1.role[0]).toBe(ROLE_BAD);
  });

  it('puts running trials in the bad group (constant liar), never the trial being sampled', () => {
    const trials = [record(0, [1, 2]), record(1, [2, 1]), record(2, null, 'RUNNING'), record(3, null, 'RUNNING')];
    const s = split(trials, 0.5, 3);
    expect(s.role[2]).toBe(ROLE_BAD);
    expect(s.role[3]).toBe(0);
  });
});

describe('multi-objective TPE in a study', () => {
  const space = {
    x: hp.uniform(0, 1),
    lr: hp.loguniform(1e-4, 1),
    n: hp.quniform(1, 9, 1),
    model: hp.choice([{ kind: 'a', depth: hp.randint(1, 5) }, { kind: 'b', width: hp.normal(0, 1) }]),
  };
  const run = async (seed: number, trials = 30) => {
    const study = await createStudy({ name: 't', space, directions: ['minimize', 'maximize'], sampler: 'tpe', seed, storage: 'memory:' });
    await study.optimize((t) => {
      const p = t.params;
      const m = p.model.kind === 'a' ? p.model.depth / 5 : Math.abs(p.model.width);
      return [p.x + m, Math.log10(p.lr) + p.n - p.x];
    }, { trials });
    return study;
  };

  it('keeps every value inside its distribution, conditional branches included, and is deterministic', async () => {
    const study = await run(4);
    for (const t of study.history.trials) {
      for (const [name, v] of Object.entries(t.params)) expect(contains(t.distributions[name]!, v)).toBe(true);
      expect(t.state).toBe('COMPLETE');
    }
    expect((await run(4)).trials.map((t) => t.params)).toEqual(study.trials.map((t) => t.params));
    expect((await run(5)).trials.map((t) => t.params)).not.toEqual(study.trials.map((t) => t.params));
  });

  it('beats random on ZDT1 (median hypervolume of 3 seeds, 150 trials)', async () => {
    const cube = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, hp.uniform(0, 1)]));
    const zdt1 = (x: number[]): number[] => {
      const g = 1 + (9 * x.slice(1).reduce((s, v) => s + v, 0)) / 5;
      return [x[0] as number, g * (1 - Math.sqrt((x[0] as number) / g))];
    };
    const hv = async (sampler: string, seed: number): Promise<number> => {
      const study = await createStudy({ name: sampler, space: cube, directions: ['minimize', 'minimize'], sampler, seed, storage: 'memory:' });
      await study.optimize((t) => zdt1(Array.from({ length: 6 }, (_, i) => t.params[`x${i}`] as number)), { trials: 150 });
      return hypervolume(study.trials.map((t) => t.values as number[]), [1.1, 11]);
    };
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1] as number;
    expect(median([await hv('tpe', 1), await hv('tpe', 2), await hv('tpe', 3)])).toBeGreaterThan(
      median([await hv('random', 1), await hv('random', 2), await hv('random', 3)]),
    );
  });
});
