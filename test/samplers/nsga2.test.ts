// NSGA2Sampler: values inside every distribution type (conditional spaces included), determinism with a
// seed, generations shared through the history, elite selection (rank, crowding, constrained
// domination), and that it improves on random on a two-objective problem.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { contains } from '../../src/space/distributions.js';
import { hypervolume } from '../../src/study/pareto/hypervolume.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { GENERATION_ATTR } from '../../samplers/nsga2/index.js';
import { parentPopulation, selectElite } from '../../samplers/nsga2/population.js';
import { CONSTRAINTS_ATTR } from '../../src/study/objectives.js';
import { createSampler } from '../../samplers/index.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';

const everyKind = {
  u: hp.uniform(-2, 2),
  lu: hp.loguniform(1e-4, 1),
  qu: hp.quniform(0, 10, 0.5),
  qlu: hp.qloguniform(1, 100, 1),
  ri: hp.randint(0, 7),
  n: hp.normal(0, 1),
  qn: hp.qnormal(0, 3, 1),
  ln: hp.lognormal(0, 1),
  model: hp.choice([
    { kind: 'linear', alpha: hp.loguniform(1e-4, 1) },
    { kind: 'tree', depth: hp.quniform(1, 20, 1) },
  ]),
};

async function run(seed: number, crossover: 'uniform' | 'sbx' | 'blx', trials = 40) {
  const study = await createStudy({
    name: `n-${crossover}`,
    space: everyKind,
    directions: ['minimize', 'maximize'],
    sampler: { name: 'nsga2', populationSize: 8, crossover },
    seed,
    storage: 'memory:',
  });
  await study.optimize((t) => {
    const p = t.params;
    const extra = p.model.kind === 'linear' ? p.model.alpha : p.model.depth / 20;
    return [p.u ** 2 + p.lu + extra, p.qu + p.ri + Math.abs(p.n)];
  }, { trials });
  return study;
}

describe('NSGA2Sampler', () => {
  it.each(['uniform', 'sbx', 'blx'] as const)('keeps every value inside its distribution with %s crossover, conditional branches included', async (kind) => {
    const study = await run(3, kind);
    for (const t of study.history.trials) {
      for (const [name, v] of Object.entries(t.params)) expect(contains(t.distributions[name]!, v), `${name}=${v}`).toBe(true);
      const names = Object.keys(t.params).filter((n) => n.startsWith('model.'));
      expect([['model.0.alpha'], ['model.1.depth']]).toContainEqual(names);
    }
    // Five generations of 8: each trial carries its generation, and children came after the first.
    const generations = study.history.trials.map((t) => t.systemAttrs[GENERATION_ATTR]);
    expect(generations.slice(0, 8)).toEqual(Array(8).fill(0));
    expect(Math.max(...(generations as number[]))).toBeGreaterThanOrEqual(4);
  });

  it('gives the same trials for the same seed and others for another', async () => {
    const a = (await run(5, 'sbx', 24)).trials.map((t) => t.params);
    const b = (await run(5, 'sbx', 24)).trials.map((t) => t.params);
    const c = (await run(6, 'sbx', 24)).trials.map((t) => t.params);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('refuses bad options with the option named', () => {
    expect(() => createSampler('nsga2', { crossover: 'two-point' }, { space: undefined, seed: 1 })).toThrow('sampler "nsga2": crossover');
    expect(() => createSampler('nsga2', { populationSize: 1 }, { space: undefined, seed: 1 })).toThrow('populationSize');
  });

  it('is chosen by name; several objectives default to multi-objective TPE (measured better, bench:mo)', async () => {
    expect((await createStudy({ name: 'd', directions: ['minimize', 'minimize'], storage: 'memory:' })).sampler.name).toBe('tpe');
    expect((await createStudy({ name: 'n', directions: ['minimize', 'minimize'], sampler: 'nsga2', storage: 'memory:' })).sampler.name).toBe('nsga2');
  });

  it('beats random on ZDT1 after 10 generations (median of 3 seeds)', async () => {
    const zdt1 = (x: number[]): number[] => {
      const g = 1 + (9 * x.slice(1).reduce((s, v) => s + v, 0)) / (x.length - 1);
      return [x[0] as number, g * (1 - Math.sqrt((x[0] as number) / g))];
    };
    const space = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}`, hp.uniform(0, 1)]));
    const hv = async (sampler: string, seed: number): Promise<number> => {
      const study = await createStudy({ name: sampler, space, directions: ['minimize', 'minimize'], sampler, seed, storage: 'memory:' });
      await study.optimize((t) => zdt1(Array.from({ length: 6 }, (_, i) => t.params[`x${i}`] as number)), { trials: 300 });
      return hypervolume(study.trials.map((t) => t.values as number[]), [1.1, 11]);
    };
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1] as number;
    const nsga = median([await hv('nsga2', 1), await hv('nsga2', 2), await hv('nsga2', 3)]);
    const random = median([await hv('random', 1), await hv('random', 2), await hv('random', 3)]);
    expect(nsga).toBeGreaterThan(random);
  });
});

describe('NSGA2Sampler across processes', () => {
  const space = { x: hp.uniform(0, 1), y: hp.uniform(0, 1) };
  const objective = async (t: { params: { x: number; y: number } }): Promise<number[]> => {
    await new Promise((resolve) => setImmediate(resolve));
    return [t.params.x, 1 - t.params.x + t.params.y];
  };

  it('continues its generations when the study is resumed from the store', async () => {
    const store = new SqliteStore(':memory:');
    const options = { name: 'g', space, directions: ['minimize', 'minimize'] as const, sampler: { name: 'nsga2', populationSize: 4 }, seed: 3, storage: store };
    const first = await createStudy(options);
    await first.optimize(objective, { trials: 10 });
    const resumed = await createStudy(options);
    await resumed.optimize(objective, { trials: 10 });
    const generations = resumed.history.trials.map((t) => t.systemAttrs[GENERATION_ATTR] as number);
    // Generations of 4: 0 0 0 0 1 1 1 1 2 2 | 2 2 3 3 3 3 4 4 4 4: no restart at 0 after the resume.
    expect(generations).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
    await store.close();
  });

  it('shares generations between parallel workers', async () => {
    const study = await createStudy({ name: 'p', space, directions: ['minimize', 'minimize'], sampler: { name: 'nsga2', populationSize: 6 }, seed: 5, storage: 'memory:' });
    await study.optimize(objective, { trials: 30, jobs: 3 });
    const byGeneration = new Map<number, number>();
    for (const t of study.history.trials) {
      expect(t.state).toBe('COMPLETE');
      const g = t.systemAttrs[GENERATION_ATTR] as number;
      byGeneration.set(g, (byGeneration.get(g) ?? 0) + 1);
    }
    // Workers claim into the generation in progress: each complete generation holds about 6 trials
    // (a few more when workers claimed before the last of them finished), and there are several.
    expect(byGeneration.size).toBeGreaterThanOrEqual(4);
    for (const [g, n] of byGeneration) if (g < byGeneration.size - 1) expect(n).toBeGreaterThanOrEqual(6);
  });
});

describe('NSGA-II populations', () => {
  const trial = (number: number, values: number[], generation: number, constraints?: number[]): TrialRecord => ({
    trialId: number, studyId: 1, number, runId: `r${number}`, state: 'COMPLETE', value: values[0] as number, values,
    params: {}, distributions: {}, intermediate: {},
    systemAttrs: { [GENERATION_ATTR]: generation, ...(constraints && { [CONSTRAINTS_ATTR]: constraints }) },
    startTime: 0, endTime: 1, heartbeat: null, workerId: null, seq: number,
  });

  it('fills fronts in rank order and cuts the last one by crowding distance', () => {
    // Front 0: (0,4) (1,2) (2,1.5) (4,0); front 1: (3,3). Size 3 keeps the two extremes (infinite
    // crowding) and the inner point with the larger crowding distance: (1,2) has 2/4 + 2.5/4 = 1.125,
    // (2,1.5) has 3/4 + 2/4 = 1.25.
    const ts = [trial(0, [0, 4], 0), trial(1, [1, 2], 0), trial(2, [2, 1.5], 0), trial(3, [4, 0], 0), trial(4, [3, 3], 0)];
    const elite = selectElite(ts, ['minimize', 'minimize'], 3);
    expect(elite.map((m) => m.trial.number).sort()).toEqual([0, 2, 3]);
    expect(elite.every((m) => m.rank === 0)).toBe(true);
  });

  it('prefers feasible trials: constraints change which trials become parents', () => {
    const ts = [trial(0, [0, 0], 0, [1]), trial(1, [5, 5], 0, [-1]), trial(2, [6, 6], 0, [0])];
    expect(selectElite(ts, ['minimize', 'minimize'], 1).map((m) => m.trial.number)).toEqual([1]);
    const unconstrained = ts.map((t) => ({ ...t, systemAttrs: { [GENERATION_ATTR]: 0 } }));
    expect(selectElite(unconstrained, ['minimize', 'minimize'], 1).map((m) => m.trial.number)).toEqual([0]);
  });

  it('waits for a generation to fill before it picks parents', () => {
    const ts = [trial(0, [1, 1], 0), trial(1, [2, 0], 0)];
    expect(parentPopulation(ts, ['minimize', 'minimize'], 3).generation).toBe(-1);
    const full = [...ts, trial(2, [0, 2], 0), trial(3, [3, 3], 1)];
    const pop = parentPopulation(full, ['minimize', 'minimize'], 3);
    expect(pop.generation).toBe(0);
    expect(pop.parents.map((m) => m.trial.number).sort()).toEqual([0, 1, 2]);
  });
});
