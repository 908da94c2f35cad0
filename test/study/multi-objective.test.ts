// Studies with several objectives: declaring them, what an objective may return, the checks that fail
// a trial, the Pareto front (bestTrials), constraints, and what the tracking side records.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { defineStudy } from '../../src/study-file/define.js';
import { hp } from '../../src/space/hp.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { dominates } from '../../src/study/pareto/dominance.js';
import { hypervolume, nadirReference } from '../../src/study/pareto/hypervolume.js';

const space = { x: hp.uniform(0, 1), y: hp.uniform(0, 1) };
type XY = { params: { x: number; y: number } };
/** Two conflicting objectives: the front is the segment x in [0, 1] at y = 0. */
const twoObjectives = (t: XY): [number, number] => [t.params.x + t.params.y, 1 - t.params.x + t.params.y];

describe('declaring several objectives', () => {
  it('stores the directions and metric names and keeps them on resume', async () => {
    const store = new MemoryStore();
    const options = { name: 'mo', space, directions: ['minimize', 'maximize'] as const, metrics: ['error', 'accuracy'], seed: 1, storage: store };
    const study = await createStudy({ ...options, sampler: 'random' });
    expect(study.directions).toEqual(['minimize', 'maximize']);
    expect(study.metrics).toEqual(['error', 'accuracy']);
    expect(study.record).toMatchObject({ directions: ['minimize', 'maximize'], metric: 'error', metrics: ['error', 'accuracy'] });
    await expect(createStudy({ ...options, sampler: 'random', metrics: ['error', 'acc'] })).rejects.toThrow(
      'logs its objectives as "error", "accuracy", not "error", "acc"',
    );
    await expect(createStudy({ ...options, sampler: 'random', directions: ['minimize', 'minimize'] })).rejects.toThrow(
      'is a minimize, maximize study, not minimize, minimize',
    );
  });

  it.each([
    [{ directions: ['minimize', 'maximize'], metrics: ['a'] }, '2 directions but 1 metrics'],
    [{ direction: 'minimize', directions: ['minimize', 'maximize'] }, 'give direction (one objective) or directions (several), not both'],
    [{ metrics: ['a', 'b'] }, 'metrics names 2 objectives but directions is missing'],
    [{ directions: ['minimize', 'minimize'], metrics: ['a', 'a'] }, 'metric "a" is named twice'],
    [{ directions: ['up'] }, 'directions.0'],
  ])('refuses %j', (extra, message) => {
    expect(() => defineStudy({ name: 'bad', space, objective: () => 0, ...(extra as object) })).toThrow(message);
  });

  it('names unnamed objectives objective_0, objective_1', async () => {
    const study = await createStudy({ name: 'mo', space, directions: ['minimize', 'minimize'], sampler: 'random', storage: 'memory:' });
    expect(study.metrics).toEqual(['objective_0', 'objective_1']);
  });

  it('refuses a pruner with several objectives', async () => {
    await expect(
      createStudy({ name: 'mo', space, directions: ['minimize', 'minimize'], pruner: 'median', storage: 'memory:' }),
    ).rejects.toThrow('pruning (median) is not supported with 2 objectives');
  });
});

describe('what an objective returns', () => {
  const make = (storage: MemoryStore | SqliteStore = new MemoryStore()) =>
    createStudy({ name: 'mo', space, directions: ['minimize', 'maximize'], metrics: ['error', 'accuracy'], sampler: 'random', seed: 3, storage });

  it('takes an array in order or an object keyed by metric name', async () => {
    const study = await make();
    let i = 0;
    await study.optimize((t: XY) => (i++ % 2 === 0 ? [t.params.x, t.params.y] : { accuracy: t.params.y, error: t.params.x }), { trials: 6 });
    for (const t of study.trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.values).toEqual([(t.params as { x: number }).x, (t.params as { y: number }).y]);
      expect(t.value).toBe(t.values?.[0]);
    }
  });

  it.each([
    ['one number', () => 1, 'objective must return 2 values (error, accuracy)'],
    ['three numbers', () => [1, 2, 3], 'got an array of 3'],
    ['a NaN in one objective', () => [1, Number.NaN], 'objective "accuracy" (value 1) must be a finite number, got NaN'],
    ['an unknown name', () => ({ error: 1, acc: 2 }), '"acc", not a metric of the study (error, accuracy)'],
    ['a missing name', () => ({ error: 1 }), '"accuracy" missing'],
    ['a string', (() => 'x') as unknown as () => number, 'got a string'],
  ])('fails a trial that returns %s, with the reason', async (_name, objective, message) => {
    const study = await make();
    // Most of these the types refuse already (a number for two objectives, a string); run time must too.
    await study.optimize(objective as unknown as Parameters<typeof study.optimize>[0], { trials: 1 });
    const [t] = study.trials;
    expect(t?.state).toBe('FAIL');
    expect(t?.error).toContain(message);
  });

  it('takes several values through ask/tell', async () => {
    const study = await make();
    const trial = await study.ask();
    const view = await study.tell(trial, [0.5, 0.75]);
    expect(view).toMatchObject({ state: 'COMPLETE', values: [0.5, 0.75], feasible: true });
  });
});

describe('the Pareto front', () => {
  it('is the non-dominated trials, in directions as declared', async () => {
    const study = await createStudy({ name: 'mo', directions: ['minimize', 'maximize'], metrics: ['cost', 'gain'], storage: 'memory:' });
    const values = [[1, 1], [2, 3], [2, 2], [3, 3], [0.5, 0.2], [1, 1]];
    for (const v of values) await study.tell(await study.ask(), v);
    // [2,2] is dominated by [2,3]; [3,3] by [2,3]; the two [1,1] are equal: both on the front.
    expect(study.bestTrials.map((t) => t.number)).toEqual([0, 1, 4, 5]);
    expect(study.bestTrial).toBeUndefined();
  });

  it('is the best trials with one objective', async () => {
    const study = await createStudy({ name: 'so', storage: 'memory:' });
    for (const v of [3, 1, 2, 1]) await study.tell(await study.ask(), v);
    expect(study.bestTrials.map((t) => t.number)).toEqual([1, 3]);
  });

  it('is tracked on the parent run: size and hypervolume history, and a tag naming the trials', async () => {
    const store = new MemoryStore();
    const study = await createStudy({ name: 'mo', directions: ['minimize', 'minimize'], metrics: ['a', 'b'], storage: store });
    for (const v of [[2, 2], [1, 3], [3, 1], [0, 0]]) await study.tell(await study.ask(), v);
    const parent = study.record.parentRunId;
    expect((await store.getMetricHistory(parent, 'pareto_front_size')).map((m) => [m.step, m.value])).toEqual([[0, 1], [1, 2], [2, 3], [3, 1]]);
    const hv = await store.getMetricHistory(parent, 'hypervolume');
    expect(hv).toHaveLength(4);
    // After trial 2: points (2,2), (1,3), (3,1), reference max(1.1·worst, 0.9·worst) = (3.3, 3.3);
    // the area is three strips, at x = 1, 2 and 3.
    expect(hv[2]?.value).toBeCloseTo((3.3 - 1) * (3.3 - 3) + (3.3 - 2) * (3 - 2) + (3.3 - 3) * (2 - 1), 10);
    const run = await store.getRun(parent);
    expect(run.data.tags['sweep.pareto_front']).toBe('3');
    const child = await store.getRun(study.trials[0]?.runId ?? '');
    expect(child.data.metrics['a']?.value).toBe(2);
    expect(child.data.metrics['b']?.value).toBe(2);
  });

  it('logs the hypervolume of the front at every step when a dominated trial leaves the front as it was', async () => {
    const store = new MemoryStore();
    const study = await createStudy({ name: 'mo-hv', directions: ['minimize', 'minimize'], storage: store });
    // (2,2) is dominated but moves the reference; (1.5,1.5) changes neither front nor reference; (0,3) joins.
    const values = [[1, 1], [2, 2], [1.5, 1.5], [0, 3], [0.5, 2.5]];
    for (const v of values) await study.tell(await study.ask(), v);
    const hv = await store.getMetricHistory(study.record.parentRunId, 'hypervolume');
    const expected = values.map((_, step) => {
      const seen = values.slice(0, step + 1);
      const front = seen.filter((p) => !seen.some((q) => dominates(q, p)));
      const worst = [0, 1].map((k) => Math.max(...seen.map((p) => p[k] as number)));
      return hypervolume(front, nadirReference([worst]));
    });
    expect(hv.map((m) => m.value)).toEqual(expected);
  });
});

describe('constraints', () => {
  it('are stored with the trial, mark it infeasible, and keep it off the front', async () => {
    const store = new MemoryStore();
    const study = await createStudy({
      name: 'c',
      directions: ['minimize', 'minimize'],
      storage: store,
      constraints: (t) => [(t.values[0] ?? 0) - 1, t.metrics['size'] ?? 0],
    });
    const a = await study.ask();
    a.log('size', -5);
    await study.tell(a, [0.5, 5]); // feasible
    await study.tell(await study.ask(), [2, 0]); // infeasible: 2 - 1 > 0, would dominate on b
    await study.tell(await study.ask(), [0.8, 6]); // feasible, dominated by #0
    const [t0, t1] = study.trials;
    expect(t0).toMatchObject({ constraints: [-0.5, -5], feasible: true });
    expect(t1).toMatchObject({ constraints: [1, 0], feasible: false });
    expect(study.bestTrials.map((t) => t.number)).toEqual([0]);
    expect((await store.getRun(t1?.runId ?? '')).data.tags['sweep.feasible']).toBe('false');
  });

  it('keep an infeasible trial from being the best of a single objective', async () => {
    const study = await createStudy({ name: 'c1', storage: 'memory:', constraints: (t) => [(t.values[0] ?? 0) < 1 ? 1 : -1] });
    for (const v of [3, 0.5, 2]) await study.tell(await study.ask(), v);
    expect(study.bestTrial?.number).toBe(2);
    expect(study.bestTrials.map((t) => t.number)).toEqual([2]);
  });

  it('fail the trial when the function throws or returns something else', async () => {
    const study = await createStudy({ name: 'c', storage: 'memory:', constraints: () => [Number.NaN] });
    await study.optimize(() => 1, { trials: 1 });
    expect(study.trials[0]?.state).toBe('FAIL');
    expect(study.trials[0]?.error).toContain('constraint 0 must be a number, got NaN');
  });
});

describe('storage', () => {
  it('round-trips a study with several objectives and constraints through SQLite', async () => {
    const store = new SqliteStore(':memory:');
    const study = await createStudy({
      name: 'mo', space, directions: ['minimize', 'minimize'], metrics: ['e', 'l'], sampler: 'random', seed: 2, storage: store,
      constraints: (t) => [(t.values[0] ?? 0) - 0.5],
    });
    await study.optimize(twoObjectives, { trials: 8 });
    const again = await createStudy({ name: 'mo', space, directions: ['minimize', 'minimize'], metrics: ['e', 'l'], sampler: 'random', storage: store });
    await again.sync();
    expect(again.trials.map((t) => [t.values, t.constraints])).toEqual(study.trials.map((t) => [t.values, t.constraints]));
    expect(again.bestTrials.map((t) => t.number)).toEqual(study.bestTrials.map((t) => t.number));
    await store.close();
  });
});
