// UI data for studies: the list, the study page (history, params, importance, curves, polling) and
// the trials table (grammar filters, sorting, pagination, inline errors), on real stores.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { TrialPruned } from '../../src/study/outcome.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { studiesList, studyPage, studyTrials } from '../../src/ui-data/index.js';
import { tempDir } from '../helpers/tmp.js';

const space = { x: hp.uniform(-5, 5), lr: hp.loguniform(1e-4, 1), kind: hp.choice(['a', 'b']) };

/** 40 trials: #3 fails, #5 is pruned, the rest report 3 steps and return (x-1)^2 (+0.01 lr). */
async function filled(store: TrackingStore, name = 's'): Promise<void> {
  const study = await createStudy({ name, space, sampler: 'random', seed: 7, storage: store });
  let i = 0;
  await study.optimize((t) => {
    const n = i++;
    if (n === 3) throw new Error('boom');
    for (let s = 0; s < 3; s++) t.report((t.params.x - 1) ** 2 + 3 - s, s);
    if (n === 5) throw new TrialPruned();
    return (t.params.x - 1) ** 2 + 0.01 * t.params.lr;
  }, { trials: 40 });
}

const stores: [string, () => TrackingStore][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore(`${tempDir()}/ui.db`)],
];

describe.each(stores)('study UI data (%s store)', (_kind, makeStore) => {
  it('lists the study under its experiment with counts, best value and activity', async () => {
    const store = makeStore();
    await filled(store);
    const { experiments } = (await studiesList(store)) as { experiments: { name: string; studies: Record<string, unknown>[] }[] };
    const study = experiments.find((e) => e.name === 's')?.studies[0];
    expect(study).toMatchObject({ name: 's', direction: 'minimize', metric: 'objective', total: 40 });
    expect(study?.['counts']).toMatchObject({ COMPLETE: 38, FAIL: 1, PRUNED: 1 });
    expect(typeof study?.['bestValue']).toBe('number');
  });

  it('gives one history point per trial with the best value so far', async () => {
    const store = makeStore();
    await filled(store);
    const page = await studyPage(store, 's');
    const trials = page['trials'] as { number: number[]; state: string[]; value: (number | null)[]; best: (number | null)[] };
    expect(trials.number).toEqual([...Array(40).keys()]);
    expect(trials.state[3]).toBe('FAIL');
    expect(trials.value[3]).toBeNull();
    expect(trials.state[5]).toBe('PRUNED');
    let best = Infinity;
    trials.value.forEach((v, i) => {
      if (v !== null) best = Math.min(best, v);
      expect(trials.best[i]).toBe(best === Infinity ? null : best);
    });
    expect(page['bestValue']).toBe(best);
  });

  it('describes params for axes: log scale for log distributions, labels for choices', async () => {
    const store = makeStore();
    await filled(store);
    const params = (await studyPage(store, 's'))['params'] as { name: string; log: boolean; labels: string[] | null }[];
    expect(params.find((p) => p.name === 'lr')).toMatchObject({ log: true, low: 1e-4, high: 1 });
    expect(params.find((p) => p.name === 'x')).toMatchObject({ log: false });
    expect(params.find((p) => p.name === 'kind')?.labels).toEqual(['a', 'b']);
  });

  it('ranks the dominant param first in importance', async () => {
    const store = makeStore();
    await filled(store);
    const importance = (await studyPage(store, 's'))['importance'] as { method: string; items: { name: string; importance: number }[] };
    expect(importance.method).toBe('ped-anova');
    expect(importance.items[0]?.name).toBe('x');
    expect(importance.items.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1);
  });

  it('sends learning curves of the trials that reported', async () => {
    const store = makeStore();
    await filled(store);
    const curves = (await studyPage(store, 's', { maxCurves: 10 }))['curves'] as { total: number; items: { number: number; steps: number[] }[] };
    expect(curves.total).toBe(39);
    expect(curves.items).toHaveLength(10);
    expect(curves.items[0]?.steps).toEqual([0, 1, 2]);
  });

  it('answers a poll with changed: false until a trial changes', async () => {
    const store = makeStore();
    await filled(store);
    const { version } = (await studyPage(store, 's')) as { version: number };
    expect(await studyPage(store, 's', { since: version })).toEqual({ changed: false, version });
    const study = await createStudy({ name: 's', space, sampler: 'random', storage: store });
    await study.optimize(() => 1, { trials: 1 });
    const next = await studyPage(store, 's', { since: version });
    expect(next['changed']).toBe(true);
    expect((next['trials'] as { number: number[] }).number).toHaveLength(41);
  });

  it('builds the page once per trial version and options, and again after a trial changes', async () => {
    const store = makeStore();
    await filled(store);
    const first = await studyPage(store, 's');
    expect(await studyPage(store, 's')).toBe(first);
    const fewerCurves = await studyPage(store, 's', { maxCurves: 5 });
    expect(fewerCurves).not.toBe(first);
    expect((fewerCurves['curves'] as { items: unknown[] }).items).toHaveLength(5);
    const study = await createStudy({ name: 's', space, sampler: 'random', storage: store });
    await study.optimize(() => -100, { trials: 1 });
    const next = await studyPage(store, 's');
    expect(next).not.toBe(first);
    expect(next['version']).toBeGreaterThan(first['version'] as number);
    expect(next['bestValue']).toBe(-100);
    expect((next['trials'] as { number: number[] }).number).toHaveLength(41);
  });

  it('takes the best from feasible trials, as sweep best does, and none with several objectives', async () => {
    const store = makeStore();
    // x < 0 is infeasible: the best is the smallest x >= 0, never the smallest x.
    const constrained = await createStudy({ name: 'c', space, sampler: 'random', seed: 3, storage: store, constraints: (t) => [-(t.params['x'] as number)] });
    await constrained.optimize((t) => t.params.x, { trials: 30 });
    const best = constrained.bestTrial;
    expect(constrained.trials.some((t) => t.state === 'COMPLETE' && (t.value as number) < (best?.value as number))).toBe(true);
    const page = await studyPage(store, 'c');
    expect([page['bestTrial'], page['bestValue']]).toEqual([best?.number, best?.value]);
    expect((page['trials'] as { best: (number | null)[] }).best.at(-1)).toBe(best?.value);
    const two = await createStudy({ name: 'two', space, directions: ['minimize', 'minimize'], sampler: 'random', seed: 3, storage: store });
    await two.optimize((t) => [t.params.x, -t.params.x], { trials: 5 });
    const twoPage = await studyPage(store, 'two');
    expect([twoPage['bestTrial'], twoPage['bestValue']]).toEqual([null, null]);
  });

  it('refuses an unknown study with NotFoundError', async () => {
    await expect(studyPage(makeStore(), 'nope')).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringMatching(/study "nope"/) });
  });

  it('pages the trials table on the server', async () => {
    const store = makeStore();
    await filled(store);
    const first = await studyTrials(store, 's', { pageSize: 15 });
    expect(first['total']).toBe(40);
    expect((first['items'] as { number: number }[]).map((r) => r.number)).toEqual([...Array(15).keys()]);
    const second = await studyTrials(store, 's', { pageSize: 15, pageToken: first['nextPageToken'] as string });
    expect((second['items'] as { number: number }[])[0]?.number).toBe(15);
    const last = await studyTrials(store, 's', { pageSize: 15, pageToken: second['nextPageToken'] as string });
    expect(last['items']).toHaveLength(10);
    expect(last['nextPageToken']).toBeUndefined();
  });

  it('sorts by value with failed trials last, and by numeric params as numbers', async () => {
    const store = makeStore();
    await filled(store);
    const byValue = (await studyTrials(store, 's', { orderBy: 'value DESC', pageSize: 500 }))['items'] as { value: number | null }[];
    const values = byValue.map((r) => r.value);
    expect(values.slice(0, 38)).toEqual([...values.slice(0, 38)].sort((a, b) => (b as number) - (a as number)));
    expect(values.slice(38)).toEqual([null, null]);
    const byLr = (await studyTrials(store, 's', { orderBy: 'params.lr ASC', pageSize: 500 }))['items'] as { params: { lr: number } }[];
    const lrs = byLr.map((r) => r.params.lr);
    expect(lrs).toEqual([...lrs].sort((a, b) => a - b));
  });

  it('sorts the trials of a study with several objectives by each objective', async () => {
    const store = makeStore();
    const two = await createStudy({ name: 'two-sorted', space, directions: ['minimize', 'maximize'], sampler: 'random', seed: 5, storage: store });
    await two.optimize((t) => [t.params.x, Math.sin(3 * t.params.x)], { trials: 12 });
    for (const k of [0, 1]) {
      const rows = (await studyTrials(store, 'two-sorted', { orderBy: `objective.${k} DESC`, pageSize: 500 }))['items'] as { values: number[] }[];
      const column = rows.map((r) => r.values[k] as number);
      expect(column).toHaveLength(12);
      expect(column).toEqual([...column].sort((a, b) => b - a));
    }
  });

  it('keeps each sorted order in step with new trials', async () => {
    const store = makeStore();
    await filled(store);
    const before = (await studyTrials(store, 's', { orderBy: 'value ASC', pageSize: 3 }))['items'] as { number: number; value: number }[];
    expect(((await studyTrials(store, 's', { orderBy: 'value ASC', pageSize: 3 }))['items'] as unknown[])).toEqual(before);
    const study = await createStudy({ name: 's', space, sampler: 'random', storage: store });
    await study.optimize(() => -100, { trials: 1 });
    const after = await studyTrials(store, 's', { orderBy: 'value ASC', pageSize: 3 });
    expect(after['total']).toBe(41);
    expect((after['items'] as { number: number; value: number }[]).map((r) => r.number)).toEqual([40, ...before.slice(0, 2).map((r) => r.number)]);
    const filtered = await studyTrials(store, 's', { orderBy: 'value ASC', filter: "attributes.status = 'FINISHED'", pageSize: 2 });
    expect((filtered['items'] as { number: number }[]).map((r) => r.number)).toEqual([40, before[0]?.number]);
  });

  it('filters trials with the run search grammar', async () => {
    const store = makeStore();
    await filled(store);
    const page = await studyTrials(store, 's', { filter: 'params.x > 0 AND attributes.status = \'FINISHED\'', pageSize: 500 });
    const items = page['items'] as { state: string; params: { x: number; kind: string } }[];
    expect(items.length).toBeGreaterThan(0);
    expect(page['total']).toBe(items.length);
    for (const r of items) {
      expect(r.params.x).toBeGreaterThan(0);
      expect(r.state).toBe('COMPLETE');
      expect(['a', 'b']).toContain(r.params.kind);
    }
    const pruned = await studyTrials(store, 's', { filter: 'tags."sweep.state" = \'PRUNED\'' });
    expect((pruned['items'] as { number: number }[]).map((r) => r.number)).toEqual([5]);
  });

  it('answers a bad filter or order with the error and its column', async () => {
    const store = makeStore();
    await filled(store);
    const bad = await studyTrials(store, 's', { filter: 'params.x >> 1' });
    expect(bad).toMatchObject({ error: expect.stringMatching(/column \d+/), column: expect.any(Number) });
    expect(await studyTrials(store, 's', { orderBy: 'bogus' })).toMatchObject({ error: expect.stringMatching(/order_by/) });
    expect(await studyTrials(store, 's', { pageToken: '!!' })).toMatchObject({ error: expect.stringMatching(/page_token/) });
  });
});
