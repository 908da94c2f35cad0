// Building a child from two parents: numeric parameters crossed in a unit coordinate (log scale for
// log distributions, divided by the bounds when there are bounds), choices inherited from one parent.
// Uniform crossover, SBX (Deb & Agrawal 1995, in Optuna 3.1's form: each gene from a child of the
// pair with probability 0.5, else from a parent) and BLX-α (Eshelman & Schaffer 1993).
import type { Rng } from '../../src/rng.js';
import { contains, isLogScale, snap, type Distribution } from '../../src/space/distributions.js';
import type { Nsga2Options } from './options.js';

interface Coordinate {
  /** A value to the unit coordinate and back. */
  to(x: number): number;
  from(u: number): number;
  /** Bounds of the unit coordinate (±Infinity for unbounded distributions). */
  readonly low: number;
  readonly high: number;
}

/**
 * The child's value for each name both parents hold with the same distribution (the one asked for);
 * names one parent lacks come from the other. Values are valid members of their distribution.
 */
export function crossover(
  names: readonly string[],
  space: Readonly<Record<string, Distribution>>,
  p0: Readonly<Record<string, number>>,
  p1: Readonly<Record<string, number>>,
  options: Nsga2Options,
  rng: Rng,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) {
    const d = space[name] as Distribution;
    const a = p0[name];
    const b = p1[name];
    const okA = a !== undefined && contains(d, a);
    const okB = b !== undefined && contains(d, b);
    if (!okA && !okB) continue;
    if (!okA || !okB) {
      out[name] = (okA ? a : b) as number;
      continue;
    }
    if (d.kind === 'choice' || options.crossover === 'uniform' || a === b) {
      out[name] = rng.random() < options.swappingProb ? b : a;
      continue;
    }
    const c = coordinateOf(d);
    const u = options.crossover === 'sbx' ? sbx(c.to(a), c.to(b), c, options.sbxEta, rng) : blx(c.to(a), c.to(b), options.blxAlpha, rng);
    const bounded = Math.min(c.high, Math.max(c.low, u));
    const value = snap(d, c.from(bounded));
    out[name] = contains(d, value) ? value : a;
  }
  return out;
}

// --- internal ---

function sbx(x1: number, x2: number, c: Coordinate, eta: number, rng: Rng): number {
  const lo = Math.min(x1, x2);
  const hi = Math.max(x1, x2);
  const diff = Math.max(hi - lo, 1e-10);
  const spread = (gap: number, u: number): number => {
    const beta = Number.isFinite(gap) ? 1 + (2 * Math.max(gap, 0)) / diff : Number.POSITIVE_INFINITY;
    const alpha = 2 - beta ** -(eta + 1);
    return u > 1 / alpha ? (1 / (2 - u * alpha)) ** (1 / (eta + 1)) : (u * alpha) ** (1 / (eta + 1));
  };
  const c1 = 0.5 * (lo + hi - spread(lo - c.low, rng.random()) * diff);
  const c2 = 0.5 * (lo + hi + spread(c.high - hi, rng.random()) * diff);
  if (rng.random() < 0.5) return rng.random() < 0.5 ? c1 : c2;
  return rng.random() < 0.5 ? x1 : x2;
}

function blx(x1: number, x2: number, alpha: number, rng: Rng): number {
  const lo = Math.min(x1, x2);
  const hi = Math.max(x1, x2);
  const d = hi - lo;
  return rng.uniform(lo - alpha * d, hi + alpha * d);
}

function coordinateOf(d: Distribution): Coordinate {
  const log = isLogScale(d);
  const f = log ? Math.log : (x: number) => x;
  const g = log ? Math.exp : (x: number) => x;
  switch (d.kind) {
    case 'uniform':
    case 'loguniform':
    case 'quniform':
    case 'qloguniform':
    case 'randint': {
      const hiNatural = d.kind === 'randint' ? d.high - 1 : d.high;
      const lo = f(d.low);
      const width = f(hiNatural) - lo || 1;
      return { to: (x) => (f(x) - lo) / width, from: (u) => g(lo + u * width), low: 0, high: 1 };
    }
    default:
      return { to: f, from: g, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY };
  }
}
