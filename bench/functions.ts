// The public sampler benchmark suite (sphere5, branin, hartmann6, rosenbrock4, mlmix, condpub): objectives,
// spaces in hp.* form with natural-scale bounds, known minima. Our own copy of ../shared/bench/functions.mjs,
// checked against it by `checkAgainstReference` when that file is present (never imported otherwise).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hp } from '../src/index.js';
import type { SpaceDefinition } from '../src/index.js';

type Params = Record<string, any>;

export interface BenchFunction {
  readonly name: string;
  readonly space: SpaceDefinition;
  readonly objective: (p: Params) => number;
  readonly knownMin: number;
  readonly argmin: Params;
}

const box = (n: number, low: number, high: number): SpaceDefinition =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, hp.uniform(low, high)]));
const vec = (p: Params, n: number): number[] => Array.from({ length: n }, (_, i) => p[`x${i}`] as number);
const xs = (n: number, v: number): Params => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, v]));

const BRANIN_B = 5.1 / (4 * Math.PI * Math.PI);
const BRANIN_C = 5 / Math.PI;
const BRANIN_T = 1 / (8 * Math.PI);
const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const MLMIX_LR: Record<string, number> = { sgd: -1.0, adam: -3.0, rmsprop: -2.5 };
const MLMIX_OFFSET: Record<string, number> = { sgd: 0.03, adam: 0.0, rmsprop: 0.015 };

function sphere5(p: Params): number {
  return vec(p, 5).reduce((s, x) => s + x * x, 0);
}

function branin(p: Params): number {
  const x1 = p['x1'] as number;
  const term = (p['x2'] as number) - BRANIN_B * x1 * x1 + BRANIN_C * x1 - 6;
  return term * term + 10 * (1 - BRANIN_T) * Math.cos(x1) + 10;
}

function hartmann6(p: Params): number {
  const x = vec(p, 6);
  let f = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) {
      const d = (x[j] as number) - (H6_P[i] as number[])[j]!;
      inner += (H6_A[i] as number[])[j]! * d * d;
    }
    f -= H6_ALPHA[i]! * Math.exp(-inner);
  }
  return f;
}

function rosenbrock4(p: Params): number {
  const x = vec(p, 4);
  let s = 0;
  for (let i = 0; i < 3; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    s += 100 * a * a + b * b;
  }
  return s;
}

function mlmix(p: Params): number {
  const opt = p['optimizer'] as string;
  const best = MLMIX_LR[opt];
  const offset = MLMIX_OFFSET[opt];
  if (best === undefined || offset === undefined) throw new Error(`unknown optimizer ${opt}`);
  const ne = p['n_estimators'] as number;
  const depth = p['depth'] as number;
  const a = Math.log10(p['lr'] as number) - best + 0.5 * Math.log10(ne / 200);
  const b = Math.log2(ne / 200);
  const c = depth - 7;
  const d = (p['dropout'] as number) - 0.05 * depth;
  return 0.1 + offset + 0.05 * a * a + 0.02 * b * b + 0.003 * c * c + 0.8 * d * d;
}

function condpub(p: Params): number {
  const m = p['clf'] as Params;
  if (m['kind'] === 'linear') {
    const a = Math.log10(m['alpha'] as number) + 3;
    const b = (m['l1_ratio'] as number) - 0.3;
    return 0.2 + 0.01 * a * a + 0.05 * b * b;
  }
  if (m['kind'] === 'forest') {
    const t = Math.log2((m['trees'] as number) / 200);
    const d = (m['depth'] as number) - 12;
    return 0.15 + 0.02 * t * t + 0.003 * d * d;
  }
  if (m['kind'] === 'boost') {
    const a = Math.log10(m['lr'] as number) + 1.5 + 0.5 * Math.log10((m['rounds'] as number) / 300);
    const r = Math.log2((m['rounds'] as number) / 300);
    return 0.12 + 0.03 * a * a + 0.01 * r * r;
  }
  throw new Error(`unknown clf kind ${String(m['kind'])}`);
}

export const FUNCTIONS: Readonly<Record<string, BenchFunction>> = {
  sphere5: { name: 'sphere5', space: box(5, -5, 5), objective: sphere5, knownMin: 0, argmin: xs(5, 0) },
  branin: {
    name: 'branin', space: { x1: hp.uniform(-5, 10), x2: hp.uniform(0, 15) }, objective: branin,
    knownMin: 5 / (4 * Math.PI), argmin: { x1: Math.PI, x2: 2.275 },
  },
  hartmann6: {
    name: 'hartmann6', space: box(6, 0, 1), objective: hartmann6, knownMin: -3.3223680114155147,
    argmin: { x0: 0.20168951, x1: 0.15001069, x2: 0.47687397, x3: 0.27533243, x4: 0.31165162, x5: 0.65730053 },
  },
  rosenbrock4: { name: 'rosenbrock4', space: box(4, -2, 2), objective: rosenbrock4, knownMin: 0, argmin: xs(4, 1) },
  mlmix: {
    name: 'mlmix',
    space: {
      lr: hp.loguniform(1e-5, 1.0),
      depth: hp.quniform(1, 12, 1),
      n_estimators: hp.quniform(10, 500, 10),
      optimizer: hp.choice(['sgd', 'adam', 'rmsprop']),
      dropout: hp.uniform(0.0, 0.6),
    },
    objective: mlmix, knownMin: 0.1,
    argmin: { lr: 1e-3, depth: 7, n_estimators: 200, optimizer: 'adam', dropout: 0.35 },
  },
  condpub: {
    name: 'condpub',
    space: {
      clf: hp.choice([
        { kind: 'linear', alpha: hp.loguniform(1e-6, 10.0), l1_ratio: hp.uniform(0.0, 1.0) },
        { kind: 'forest', trees: hp.quniform(10, 500, 10), depth: hp.quniform(2, 30, 1) },
        { kind: 'boost', lr: hp.loguniform(1e-3, 1.0), rounds: hp.qloguniform(10, 2000, 10) },
      ]),
    },
    objective: condpub, knownMin: 0.12,
    argmin: { clf: { kind: 'boost', lr: 10 ** -1.5, rounds: 300 } },
  },
};

export const PUBLIC = Object.keys(FUNCTIONS);

/** Where the shared reference files live (overridable with SWEEP_REFERENCE_DIR). */
export function referenceDir(): string {
  return process.env['SWEEP_REFERENCE_DIR'] ?? fileURLToPath(new URL('../../shared/bench/', import.meta.url));
}

/**
 * Compares our objectives and known minima with the reference suite on `samples` per function.
 * Returns undefined when the reference file is absent, else the largest absolute difference seen.
 */
export async function checkAgainstReference(samples: Readonly<Record<string, readonly Params[]>>): Promise<number | undefined> {
  const file = `${referenceDir()}/functions.mjs`;
  if (!existsSync(file)) return undefined;
  const ref = (await import(pathToFileURL(file).href)) as {
    FUNCTIONS: Record<string, { objective: (p: Params) => number; known_min: number; argmin: Params }>;
  };
  let worst = 0;
  for (const [name, fn] of Object.entries(FUNCTIONS)) {
    const theirs = ref.FUNCTIONS[name];
    if (!theirs) throw new Error(`reference suite lacks ${name}`);
    worst = Math.max(worst, Math.abs(theirs.known_min - fn.knownMin), Math.abs(theirs.objective(fn.argmin) - fn.objective(fn.argmin)));
    for (const p of samples[name] ?? []) worst = Math.max(worst, Math.abs(theirs.objective(p) - fn.objective(p)));
  }
  return worst;
}
