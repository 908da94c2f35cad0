// The UI data algorithms on their own: LTTB downsampling bounds and PED-ANOVA importance. Their speed
// is measured by `npm run bench:ui-algorithms`, not here: a loaded machine must not fail a test.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { lttbIndices, pedAnovaImportance } from '../../src/ui-data/index.js';

describe('lttbIndices', () => {
  it.each([[10, 3], [1000, 100], [1000, 2], [5, 10]])('keeps at most max(2, N) of %i points (N=%i), with both ends', (n, max) => {
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x));
    const kept = lttbIndices(xs, ys, max);
    expect(kept.length).toBe(Math.min(n, Math.max(2, max)));
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(n - 1);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });

  it('drops non-finite values', () => {
    expect(lttbIndices([0, 1, 2], [1, Number.NaN, 2], 10)).toEqual([0, 2]);
  });
});

function trial(number: number, params: Record<string, number>, value: number): TrialRecord {
  return {
    trialId: number, studyId: 1, number, runId: `r${number}`, state: 'COMPLETE', value, params,
    distributions: { a: { kind: 'uniform', low: 0, high: 1 }, b: { kind: 'loguniform', low: 1e-3, high: 1 }, c: { kind: 'choice', n: 3, labels: ['x', 'y', 'z'] } },
    intermediate: {}, systemAttrs: {}, startTime: 0, endTime: 1, heartbeat: null, workerId: null, seq: number,
  };
}

describe('pedAnovaImportance', () => {
  const rng = createRng(3);
  const trials = Array.from({ length: 5000 }, (_, i) => {
    const p = { a: rng.uniform(0, 1), b: Math.exp(rng.uniform(Math.log(1e-3), 0)), c: rng.int(3) };
    return trial(i, p, 10 * (p.a - 0.3) ** 2 + 0.1 * Math.log(p.b) ** 2 / 50 + (p.c === 1 ? 0.05 : 0));
  });

  it('ranks the dominant param first and sums to 1', () => {
    const out = pedAnovaImportance(trials, 'minimize');
    expect(out.items.map((i) => i.name)[0]).toBe('a');
    expect(out.items.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1);
  });

  it('flips the top set for maximize', () => {
    const out = pedAnovaImportance(trials.map((t) => ({ ...t, value: -(t.value as number) })), 'maximize');
    expect(out.items[0]?.name).toBe('a');
  });

  it('says why when there are too few trials', () => {
    expect(pedAnovaImportance(trials.slice(0, 3), 'minimize')).toMatchObject({ items: [], note: expect.stringMatching(/at least 10/) });
  });
});
