// The Sampler contract, run against every sampler of the registry (random, grid, tpe): values inside
// their distributions for every distribution type, the same values for the same seed, a history that
// is empty or all failed, conditional (nested choice) spaces, and inputs it is handed left unchanged.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { createRng } from '../../src/rng.js';
import { compileSpace } from '../../src/space/compile.js';
import { contains, type Distribution } from '../../src/space/distributions.js';
import { hp } from '../../src/space/hp.js';
import type { StudyView } from '../../src/study/sampler.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';

/** One parameter of every distribution type. */
export const EVERY_DISTRIBUTION = {
  u: hp.uniform(-2, 3),
  lu: hp.loguniform(1e-3, 1),
  qu: hp.quniform(0, 10, 2.5),
  qlu: hp.qloguniform(1, 64, 1),
  ri: hp.randint(0, 5),
  n: hp.normal(0, 1),
  qn: hp.qnormal(0, 3, 1),
  ln: hp.lognormal(0, 1),
  c: hp.choice(['a', 'b', 'c']),
  pc: hp.pchoice([[0.2, 'x'], [0.8, 'y']]),
};

/** Two branches with parameters of their own. */
export const CONDITIONAL = {
  model: hp.choice([
    { kind: 'linear', lr: hp.loguniform(1e-4, 1) },
    { kind: 'tree', depth: hp.randint(1, 8), leaves: hp.quniform(2, 32, 2) },
  ]),
  seedless: hp.uniform(0, 1),
};

export interface SamplerHarness {
  readonly name: string;
  /** The sampler spec createStudy takes for a study over `space` (grid: values for the continuous ones). */
  spec(space: 'every' | 'conditional'): { name: string } & Record<string, unknown>;
}

const TRIALS = 24; // past every sampler's start-up trials (TPE: 10), so the model-based path runs too

async function study(harness: SamplerHarness, space: 'every' | 'conditional', seed: number, fail = false) {
  const definition = space === 'every' ? EVERY_DISTRIBUTION : CONDITIONAL;
  const store = new MemoryStore();
  const s = await createStudy({ name: `contract-${harness.name}`, space: definition, sampler: harness.spec(space), seed, storage: store });
  // Values that depend on the trial only, so two studies with one seed see the same history.
  await s.optimize((t) => {
    if (fail) throw new Error('always fails');
    return Math.sin(t.number * 1.7);
  }, { trials: TRIALS });
  return { s, records: await store.getTrials(s.record.studyId) };
}

function expectInside(records: readonly TrialRecord[]): void {
  for (const r of records) {
    for (const [name, value] of Object.entries(r.params)) {
      const d = r.distributions[name] as Distribution;
      expect(contains(d, value), `trial ${r.number}: ${name} = ${value} outside ${JSON.stringify(d)}`).toBe(true);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function samplerContract(harness: SamplerHarness): void {
  describe(`Sampler contract: ${harness.name}`, () => {
    it('gives values inside their distributions, for every distribution type', async () => {
      const { records } = await study(harness, 'every', 7);
      expect(records).toHaveLength(TRIALS);
      expect(records.every((r) => r.state === 'COMPLETE')).toBe(true);
      for (const r of records) expect(Object.keys(r.params).sort()).toEqual(Object.keys(EVERY_DISTRIBUTION).sort());
      expectInside(records);
    });

    it('gives the same values for the same seed', async () => {
      const [a, b] = await Promise.all([study(harness, 'every', 11), study(harness, 'every', 11)]);
      expect(a.records.map((r) => r.params)).toEqual(b.records.map((r) => r.params));
    });

    it('samples inside the space from a history where every trial failed', async () => {
      const { records } = await study(harness, 'every', 13, true);
      expect(records).toHaveLength(TRIALS);
      expect(records.every((r) => r.state === 'FAIL')).toBe(true);
      expectInside(records);
    });

    it('gives each trial the parameters of its branch only, in a conditional space', async () => {
      const { records } = await study(harness, 'conditional', 17);
      const branches = new Set<number>();
      for (const r of records) {
        const branch = r.params['model'];
        expect([0, 1]).toContain(branch);
        branches.add(branch as number);
        const expected = branch === 0 ? ['model', 'model.0.lr', 'seedless'] : ['model', 'model.1.depth', 'model.1.leaves', 'seedless'];
        expect(Object.keys(r.params).sort()).toEqual(expected.sort());
      }
      expect(branches.size).toBe(2);
      expectInside(records);
    });

    it('leaves the history and the trial it is handed unchanged (they are frozen here)', async () => {
      const { s, records } = await study(harness, 'every', 19);
      const space = compileSpace(EVERY_DISTRIBUTION);
      const trials = deepFreeze(records.map((r) => structuredClone(r)));
      const view: StudyView = deepFreeze({
        name: s.record.name, direction: 'minimize', space, seed: 19, trials, version: trials.length,
        trialsIn: (states) => trials.filter((t) => states.includes(t.state)),
      });
      // A fresh sampler of the same spec, as a resumed study would build.
      const fresh = await createStudy({ name: 'fresh', space: EVERY_DISTRIBUTION, sampler: harness.spec('every'), seed: 19, storage: new MemoryStore() });
      const sampler = fresh.sampler;
      const rng = createRng(19, TRIALS, sampler.name);
      const claim = sampler.beforeTrial?.({ study: view, rng }) ?? {};
      const last = trials[trials.length - 1] as TrialRecord;
      const trial: TrialRecord = deepFreeze({
        ...last, number: TRIALS, trialId: last.trialId + 1, state: 'RUNNING', value: null, params: {}, distributions: {},
        intermediate: {}, systemAttrs: { ...(claim.systemAttrs ?? {}) }, endTime: null,
      });
      const ctx = { study: view, trial, rng };
      const relative = sampler.inferRelativeSpace?.(ctx) ?? {};
      const joint = Object.keys(relative).length > 0 ? (sampler.sampleRelative?.(ctx, relative) ?? {}) : {};
      for (const [name, spec] of space.params) {
        const value = joint[name] ?? sampler.sampleIndependent(ctx, name, spec.distribution);
        expect(contains(spec.distribution, value), `${name} = ${value}`).toBe(true);
      }
      expect(trials).toEqual(records);
    });
  });
}
