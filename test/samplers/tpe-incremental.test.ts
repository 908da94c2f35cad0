// The TPE sampler's incremental structures and fast paths against straightforward recomputation: the
// column's z-sorted order (and the per-position memory that moves with it), the direct sort of small
// groups, the kernel constants (far-from-bounds shortcut and remembered values), and the screened argmax.
import { describe, expect, it } from 'vitest';
import type { NumericAxis } from '../../samplers/tpe/axis.js';
import { axisOf } from '../../samplers/tpe/axis.js';
import type { Candidates } from '../../samplers/tpe/candidates.js';
import { kernelConstants } from '../../samplers/tpe/kernel-constants.js';
import { HALF_LN_2PI, logNormMass } from '../../samplers/tpe/normal-math.js';
import { Column } from '../../samplers/tpe/observations.js';
import type { Mixture } from '../../samplers/tpe/parzen.js';
import { logDensity, pickBest } from '../../samplers/tpe/score.js';
import { orderedRows, sortRows } from '../../samplers/tpe/sorted-rows.js';
import { fitEstimators } from '../../samplers/tpe/suggest.js';
import { ObservationTable } from '../../samplers/tpe/observations.js';
import { resolveTpeOptions } from '../../samplers/tpe/options.js';
import { splitTrials } from '../../samplers/tpe/split.js';
import { drawCandidates } from '../../samplers/tpe/candidates.js';
import { createRng } from '../../src/rng.js';
import type { Distribution } from '../../src/space/distributions.js';
import type { StudyView } from '../../src/study/sampler.js';
import type { TrialRecord } from '../../src/tracking/entities.js';

const uniform: Distribution = { kind: 'uniform', low: -5, high: 5 };

/** A column filled in a scrambled trial order, with ties (values on a coarse grid). */
function scrambledColumn(count: number, seed: number): Column {
  const rng = createRng(seed);
  const column = new Column('x');
  const numbers = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [numbers[i], numbers[j]] = [numbers[j] as number, numbers[i] as number];
  }
  for (const n of numbers) column.add(n, uniform, Math.round(rng.random() * 40) / 4 - 5);
  return column;
}

/** Trial numbers sorted by (z, number) with a full sort. */
function fullSort(column: Column, rows: readonly number[]): number[] {
  return [...rows].sort((a, b) => (column.z[a] as number) - (column.z[b] as number) || a - b);
}

describe('column order maintained by sorted insertion', () => {
  it('matches a full sort by (z, number), and keeps sortedZ aligned with it', () => {
    for (const seed of [1, 2, 3]) {
      const column = scrambledColumn(500, seed);
      const order = [...column.order.subarray(0, column.count)];
      expect(order).toEqual(fullSort(column, order));
      expect([...column.sortedZ.subarray(0, column.count)]).toEqual(order.map((n) => column.z[n]));
    }
  });

  it('moves the remembered kernel constants with their observation when others are inserted before it', () => {
    const column = new Column('x');
    column.add(0, uniform, 1);
    column.add(1, uniform, 3);
    column.cachedSigma[1] = 0.5;
    column.cachedLogNorm[1] = -7;
    column.add(2, uniform, -2);
    expect([...column.order.subarray(0, 3)]).toEqual([2, 0, 1]);
    expect(column.cachedSigma[2]).toBe(0.5);
    expect(column.cachedLogNorm[2]).toBe(-7);
    expect(column.cachedSigma[0]).toBeNaN();
  });
});

describe('small groups sorted directly', () => {
  it('gives the column order restricted to the group, by either path', () => {
    const column = scrambledColumn(800, 4);
    const rng = createRng(9);
    for (const size of [0, 1, 2, 7, 25, 49, 300]) {
      const role = new Uint8Array(800);
      const rows: number[] = [];
      for (let n = 0; n < 800 && rows.length < size; n++) {
        if (rng.random() < 0.3) {
          role[n] = 1;
          rows.push(n);
        }
      }
      const expected = fullSort(column, rows);
      const out = new Int32Array(rows.length);
      const positions = new Int32Array(rows.length);
      expect(orderedRows(column, Int32Array.from(rows), rows.length, role, 1, out, positions)).toBe(rows.length);
      expect([...out]).toEqual(expected);
      for (let i = 0; i < rows.length; i++) {
        const p = positions[i] as number;
        if (p >= 0) expect(column.order[p]).toBe(out[i]);
      }
      const sorted = new Int32Array(rows.length);
      expect(sortRows(column.z, Int32Array.from(rows), rows.length, sorted)).toBe(true);
      expect([...sorted]).toEqual(expected);
    }
  });

  it('declines to sort NaN coordinates (the scan places them)', () => {
    const z = Float64Array.from([0.5, Number.NaN, 0.1]);
    expect(sortRows(z, Int32Array.from([0, 1, 2]), 3, new Int32Array(3))).toBe(false);
  });
});

describe('kernel constants', () => {
  const direct = (axis: NumericAxis, mu: number, s: number, unscaled: boolean) => {
    const a = (axis.low - mu) / s;
    const b = (axis.high - mu) / s;
    const lz = a < -8.5 && b > 8.5 ? 0 : logNormMass(a, b);
    return { lz, ln: (unscaled ? 0 : -Math.log(s)) - HALF_LN_2PI - lz };
  };

  it.each([
    ['uniform', { kind: 'uniform', low: -5, high: 5 }],
    ['loguniform', { kind: 'loguniform', low: 1e-5, high: 1 }],
    ['normal', { kind: 'normal', mu: 0, sigma: 1 }],
  ] as [string, Distribution][])('equal the direct formula on %s axes, near and far from the bounds, cached or not', (_label, d) => {
    const axis = axisOf(d) as NumericAxis;
    const m = 400;
    const lo = Number.isFinite(axis.low) ? axis.low : -4;
    const hi = Number.isFinite(axis.high) ? axis.high : 4;
    // One sampler never changes `unscaled`, so each setting gets its own column (and memory).
    for (const unscaled of [false, true]) {
      const column = new Column('x');
      const rng = createRng(5);
      for (let n = 0; n < m; n++) {
        const z = lo + (hi - lo) * rng.random();
        column.add(n, d, axis.isLog ? Math.exp(z) : z);
      }
      const sortedZ = column.sortedZ.subarray(0, m);
      for (let round = 0; round < 3; round++) {
        // Mostly one shared σ (the shortcut's case), some others; positions known for half of them.
        const sigma = Float64Array.from({ length: m }, (_, i) => (i % 7 === 3 ? 0.05 * (hi - lo) * (1 + round) : 0.03 * (hi - lo)));
        const kernel = Int32Array.from({ length: m }, (_, i) => m - 1 - i);
        const position = Int32Array.from({ length: m }, (_, i) => (i % 2 === 0 ? i : -1));
        const out = { mu: new Float64Array(m + 1), sigma: new Float64Array(m + 1), invSigma: new Float64Array(m + 1), logZ: new Float64Array(m + 1), logNorm: new Float64Array(m + 1) };
        kernelConstants(axis, unscaled, column, { m, z: sortedZ, sigma, kernel, position }, out);
        for (let i = 0; i < m; i++) {
          const k = kernel[i] as number;
          const expected = direct(axis, sortedZ[i] as number, sigma[i] as number, unscaled);
          expect(out.mu[k]).toBe(sortedZ[i]);
          expect(out.invSigma[k]).toBe(1 / (sigma[i] as number));
          expect(out.logZ[k]).toBe(expected.lz);
          expect(out.logNorm[k]).toBe(expected.ln);
        }
        const prior = direct(axis, axis.priorMu, axis.priorSigma, unscaled);
        expect([out.mu[m], out.sigma[m], out.logZ[m], out.logNorm[m]]).toEqual([axis.priorMu, axis.priorSigma, prior.lz, prior.ln]);
      }
    }
  });
});

describe('screened argmax', () => {
  it('picks the same candidate as a full evaluation of every candidate', () => {
    const space: Record<string, Distribution> = {
      a: { kind: 'uniform', low: -5, high: 5 },
      b: { kind: 'loguniform', low: 1e-4, high: 1 },
      q: { kind: 'quniform', low: 1, high: 12, q: 1 },
      c: { kind: 'choice', n: 3, labels: ['x', 'y', 'z'] },
    };
    const names = Object.keys(space).sort();
    const rng = createRng(21);
    const records: TrialRecord[] = Array.from({ length: 1500 }, (_, number) => {
      const params = { a: 10 * rng.random() - 5, b: Math.exp(Math.log(1e-4) * rng.random()), q: 1 + Math.floor(12 * rng.random()), c: Math.floor(3 * rng.random()) };
      return {
        trialId: number + 1, studyId: 1, number, runId: '', state: 'COMPLETE', value: (params.a - 1) ** 2 + Math.abs(Math.log(params.b) + 3) + params.c,
        params, distributions: space, intermediate: {}, systemAttrs: {}, startTime: 0, endTime: null, heartbeat: null, workerId: null, seq: number + 1,
      };
    });
    const view: StudyView = { name: 'v', direction: 'minimize', space: undefined, seed: 1, trials: records, version: records.length, trialsIn: () => records };
    const table = new ObservationTable();
    table.sync(view);
    const options = resolveTpeOptions({});
    for (let draw = 0; draw < 30; draw++) {
      const { below, above } = fitEstimators({
        table, options, names, distributions: names.map((n) => space[n] as Distribution), trialNumber: records.length, rng: createRng(draw),
        globalSplit: () => splitTrials(table, options, records.length),
      });
      const cands: Candidates = drawCandidates(below, options.candidates, createRng(100 + draw));
      expect(pickBest(below, above, cands)).toBe(fullArgmax(below, above, cands));
    }
  });
});

/** argmax of log l − log g over every candidate, fully evaluated (lowest index on ties). */
function fullArgmax(below: Mixture, above: Mixture, cands: Candidates): number {
  const ll = logDensity(below, cands);
  const lg = logDensity(above, cands);
  let best = 0;
  for (let c = 1; c < cands.count; c++) if ((ll[c] as number) - (lg[c] as number) > (ll[best] as number) - (lg[best] as number)) best = c;
  return best;
}
