// The wide sampler benchmark suite (issue 15): the six public functions of bench/functions.ts plus 26
// standard problems from the optimization literature, each with a hyperopt-style space, its known minimum,
// an argmin where one is known exactly, and the half it belongs to (tune / validation, see bench/README.md).
// bench/optuna/suite.py is the Python twin used to measure Optuna 3.1; `checkAgainstTwin` compares the two
// on points the twin wrote to bench/optuna/check-points.json.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hp } from '../src/index.js';
import type { SpaceDefinition } from '../src/index.js';
import { FUNCTIONS, type BenchFunction } from './functions.js';

type Params = Record<string, any>;

export type Half = 'tune' | 'validation';

export interface SuiteFunction extends BenchFunction {
  readonly half: Half;
  /** What the problem stands for (family, dimension, space kind). */
  readonly kind: string;
  /** Standard deviation of Gaussian noise added to every observed value (0: noiseless). */
  readonly noise: number;
}

const box = (n: number, low: number, high: number): SpaceDefinition =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, hp.uniform(low, high)]));
const vec = (p: Params, n: number): number[] => Array.from({ length: n }, (_, i) => p[`x${i}`] as number);
const xs = (n: number, v: number | ((i: number) => number)): Params =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`x${i}`, typeof v === 'number' ? v : v(i)]));
const sq = (x: number): number => x * x;

function rastrigin(x: readonly number[]): number {
  let s = 10 * x.length;
  for (const v of x) s += v * v - 10 * Math.cos(2 * Math.PI * v);
  return s;
}

function griewank(x: readonly number[]): number {
  let s = 0;
  let p = 1;
  x.forEach((v, i) => {
    s += (v * v) / 4000;
    p *= Math.cos(v / Math.sqrt(i + 1));
  });
  return 1 + s - p;
}

const SCHWEFEL_C = 418.9828872724338;
function schwefel(x: readonly number[]): number {
  let s = SCHWEFEL_C * x.length;
  for (const v of x) s -= v * Math.sin(Math.sqrt(Math.abs(v)));
  return s;
}

function michalewicz(x: readonly number[]): number {
  let s = 0;
  x.forEach((v, i) => {
    s -= Math.sin(v) * Math.sin(((i + 1) * v * v) / Math.PI) ** 20;
  });
  return s;
}

const SHEKEL_BETA = [1, 2, 2, 4, 4, 6, 3, 7, 5, 5].map((b) => b / 10);
const SHEKEL_C = [
  [4, 1, 8, 6, 3, 2, 5, 8, 6, 7],
  [4, 1, 8, 6, 7, 9, 3, 1, 2, 3.6],
  [4, 1, 8, 6, 3, 2, 5, 8, 6, 7],
  [4, 1, 8, 6, 7, 9, 3, 1, 2, 3.6],
];
function shekel10(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < 10; i++) {
    let inner = SHEKEL_BETA[i] as number;
    for (let j = 0; j < 4; j++) inner += sq((x[j] as number) - (SHEKEL_C[j] as number[])[i]!);
    s -= 1 / inner;
  }
  return s;
}

function sixHumpCamel(p: Params): number {
  const a = p['x0'] as number;
  const b = p['x1'] as number;
  return (4 - 2.1 * a * a + (a ** 4) / 3) * a * a + a * b + (-4 + 4 * b * b) * b * b;
}

function goldsteinPrice(p: Params): number {
  const a = p['x0'] as number;
  const b = p['x1'] as number;
  const f1 = 1 + sq(a + b + 1) * (19 - 14 * a + 3 * a * a - 14 * b + 6 * a * b + 3 * b * b);
  const f2 = 30 + sq(2 * a - 3 * b) * (18 - 32 * a + 12 * a * a + 48 * b - 36 * a * b + 27 * b * b);
  return f1 * f2;
}

const H3_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]];
const H3_P = [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]].map((r) => r.map((v) => v / 1e4));
function hartmann3(x: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 3; j++) inner += (H3_A[i] as number[])[j]! * sq((x[j] as number) - (H3_P[i] as number[])[j]!);
    f -= H3_ALPHA[i]! * Math.exp(-inner);
  }
  return f;
}

function ackley(x: readonly number[]): number {
  const d = x.length;
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    s1 += v * v;
    s2 += Math.cos(2 * Math.PI * v);
  }
  return -20 * Math.exp(-0.2 * Math.sqrt(s1 / d)) - Math.exp(s2 / d) + 20 + Math.E;
}

function levy(x: readonly number[]): number {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const d = w.length;
  let s = sq(Math.sin(Math.PI * (w[0] as number)));
  for (let i = 0; i < d - 1; i++) s += sq((w[i] as number) - 1) * (1 + 10 * sq(Math.sin(Math.PI * (w[i] as number) + 1)));
  const last = w[d - 1] as number;
  return s + sq(last - 1) * (1 + sq(Math.sin(2 * Math.PI * last)));
}

const STYBLINSKI_MIN = -39.16616570377142;
function styblinskiTang(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v ** 4 - 16 * v * v + 5 * v;
  return s / 2;
}

/** Schwefel's problem 1.2, the rotated hyper-ellipsoid: sum over i of (x_0 + ... + x_i)^2. */
function rotatedHyperEllipsoid(x: readonly number[]): number {
  let s = 0;
  let partial = 0;
  for (const v of x) {
    partial += v;
    s += partial * partial;
  }
  return s;
}

function rosenbrock(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * sq(x[i + 1]! - x[i]! * x[i]!) + sq(1 - x[i]!);
  return s;
}

// Rotated, shifted ellipsoid (BBOB f10 family): sum 10^(6 i / (d - 1)) z_i^2, z = R (x - o), R the product
// of three Householder reflections with fixed vectors v_k[i] = cos(1.7 (k + 1)(i + 1) + 0.3 k).
const ELL_D = 8;
const ELL_SHIFT = Array.from({ length: ELL_D }, (_, i) => 3 * Math.sin(2 * i + 1));
const ELL_R = rotation(ELL_D);
function rotation(d: number): number[][] {
  let r: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
  for (let k = 0; k < 3; k++) {
    const v = Array.from({ length: d }, (_, i) => Math.cos(1.7 * (k + 1) * (i + 1) + 0.3 * k));
    const vv = v.reduce((s, a) => s + a * a, 0);
    // r := (I - 2 v v^T / vv) r
    const next = r.map((row) => [...row]);
    for (let j = 0; j < d; j++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += v[i]! * r[i]![j]!;
      for (let i = 0; i < d; i++) next[i]![j] = r[i]![j]! - (2 * v[i]! * dot) / vv;
    }
    r = next;
  }
  return r;
}
function rotatedEllipsoid(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < ELL_D; i++) {
    let z = 0;
    for (let j = 0; j < ELL_D; j++) z += ELL_R[i]![j]! * (x[j]! - ELL_SHIFT[j]!);
    s += 10 ** ((6 * i) / (ELL_D - 1)) * z * z;
  }
  return s;
}

const SPHERE20_SHIFT = Array.from({ length: 20 }, (_, i) => 2 * Math.sin(1.3 * (i + 1)));
function shiftedSphere20(x: readonly number[]): number {
  let s = 0;
  x.forEach((v, i) => (s += sq(v - SPHERE20_SHIFT[i]!)));
  return s;
}

// An SVM-like mixed space: log floats, an integer, quantized and quantized-log values, a categorical.
const SVM_KERNEL_BASE: Record<string, number> = { rbf: 0.05, poly: 0.07, linear: 0.11 };
function svmmix(p: Params): number {
  const kernel = p['kernel'] as string;
  const base = SVM_KERNEL_BASE[kernel];
  if (base === undefined) throw new Error(`unknown kernel ${kernel}`);
  const c = Math.log10(p['C'] as number);
  const g = Math.log10(p['gamma'] as number);
  const degree = p['degree'] as number;
  let f = base;
  if (kernel === 'rbf') f += 0.04 * sq(c - 1.5) + 0.05 * sq(g + 2.5 + 0.3 * (c - 1.5));
  else if (kernel === 'poly') f += 0.03 * sq(c - 0.5) + 0.02 * sq(g + 1) + 0.01 * sq(degree - 3);
  else f += 0.02 * sq(c);
  f += 0.0005 * sq(((p['batch'] as number) - 96) / 16);
  f += 0.002 * sq(Math.log2((p['cache_mb'] as number) / 512));
  return f;
}

// A 10-parameter mixed space (the shape of bench/overhead-suggest.ts's mixed10, without the normal).
const MIXED10_LR: Record<string, number> = { sgd: -1.5, adam: -3, rmsprop: -2.5, lamb: -2 };
const MIXED10_OFFSET: Record<string, number> = { sgd: 0.02, adam: 0, rmsprop: 0.01, lamb: 0.005 };
function mixed10(p: Params): number {
  const opt = p['opt'] as string;
  const lrBest = MIXED10_LR[opt];
  const offset = MIXED10_OFFSET[opt];
  if (lrBest === undefined || offset === undefined) throw new Error(`unknown opt ${opt}`);
  const b = (p['b'] as number) - 0.7;
  return offset + sq((p['a'] as number) - 1.5) / 25 + b * b + sq((p['c'] as number) + 0.2 - 0.5 * b)
    + 0.1 * sq(Math.log10(p['lr'] as number) - lrBest) + 0.05 * sq(Math.log10(p['wd'] as number) + 4)
    + 0.01 * sq((p['depth'] as number) - 6) + 0.5 * sq(((p['width'] as number) - 200) / 504)
    + 0.02 * sq(Math.log2((p['rounds'] as number) / 400));
}

// A neural-network-like space with interactions (lr with batch, dropout with depth).
const NN_ACT: Record<string, number> = { relu: 0.01, tanh: 0.03, gelu: 0 };
function nnmix(p: Params): number {
  const act = NN_ACT[p['activation'] as string];
  if (act === undefined) throw new Error(`unknown activation ${String(p['activation'])}`);
  const layers = p['layers'] as number;
  const lb = Math.log2((p['batch'] as number) / 64);
  const a = Math.log10(p['lr'] as number) + 3 - 0.3 * lb;
  return act + 0.02 * sq(layers - 4) + 0.03 * sq(Math.log2((p['units'] as number) / 256)) + 0.08 * a * a
    + 0.01 * lb * lb + 0.5 * sq((p['dropout'] as number) - 0.05 * layers - 0.1)
    + 0.02 * sq(Math.log10(p['weight_decay'] as number) + 4) + 0.03 * sq(((p['warmup'] as number) - 200) / 1000);
}

// Conditional trap: 'wide' is the best branch on average, 'needle' the only one holding the minimum.
function condtrap(p: Params): number {
  const m = p['branch'] as Params;
  if (m['kind'] === 'wide') return 0.3 + 0.1 * (sq((m['x'] as number) - 0.5) + sq((m['y'] as number) - 0.5));
  if (m['kind'] === 'needle') {
    const e = sq(Math.log10(m['lr'] as number) + 3.7) / 0.18 + sq((m['m'] as number) - 0.8) / 0.02;
    return 0.1 + 0.9 * (1 - Math.exp(-e));
  }
  if (m['kind'] === 'mid') return 0.2 + 0.002 * sq((m['k'] as number) - 13);
  throw new Error(`unknown branch ${String(m['kind'])}`);
}

// Two levels of nested choices: the best leaf (net/adam) sits under the branch whose other leaf is mediocre.
function condnested(p: Params): number {
  const m = p['model'] as Params;
  if (m['kind'] === 'svm') {
    const c = Math.log10(m['C'] as number);
    const k = m['kernel'] as Params;
    if (k['k'] === 'rbf') return 0.12 + 0.02 * sq(c - 1) + 0.03 * sq(Math.log10(k['gamma'] as number) + 3);
    if (k['k'] === 'linear') return 0.18 + 0.02 * c * c;
    throw new Error(`unknown kernel ${String(k['k'])}`);
  }
  if (m['kind'] === 'tree') {
    return 0.15 + 0.002 * sq((m['depth'] as number) - 8) + (m['split'] === 'entropy' ? 0 : 0.01)
      + 0.01 * sq(Math.log10(m['min_leaf'] as number) - 1);
  }
  if (m['kind'] === 'net') {
    const lr = Math.log10(m['lr'] as number);
    const o = m['opt'] as Params;
    if (o['o'] === 'sgd') return 0.14 + 0.05 * sq(lr + 1.5) + 0.3 * sq((o['momentum'] as number) - 0.9);
    if (o['o'] === 'adam') return 0.1 + 0.08 * sq(lr + 3.3) + 2 * sq((o['beta1'] as number) - 0.9);
    throw new Error(`unknown opt ${String(o['o'])}`);
  }
  throw new Error(`unknown model ${String(m['kind'])}`);
}

interface Entry {
  readonly half: Half;
  readonly kind: string;
  readonly space: SpaceDefinition;
  readonly objective: (p: Params) => number;
  readonly knownMin: number;
  readonly argmin?: Params;
  readonly noise?: number;
}

const onVec = (n: number, f: (x: readonly number[]) => number) => (p: Params): number => f(vec(p, n));

const SVM_SPACE: SpaceDefinition = {
  C: hp.loguniform(1e-3, 1e3),
  gamma: hp.loguniform(1e-5, 10),
  degree: hp.randint(2, 6),
  kernel: hp.choice(['rbf', 'poly', 'linear']),
  batch: hp.quniform(16, 256, 16),
  cache_mb: hp.qloguniform(16, 4096, 16),
};

const MLMIX = FUNCTIONS['mlmix'] as BenchFunction;
const BRANIN = FUNCTIONS['branin'] as BenchFunction;
const HARTMANN6 = FUNCTIONS['hartmann6'] as BenchFunction;

const NEW: Readonly<Record<string, Entry>> = {
  // --- tuning half ---
  rastrigin5: { half: 'tune', kind: 'multimodal 5-D', space: box(5, -5.12, 5.12), objective: onVec(5, rastrigin), knownMin: 0, argmin: xs(5, 0) },
  schwefel4: {
    half: 'tune', kind: 'multimodal 4-D, deceptive', space: box(4, -500, 500), objective: onVec(4, schwefel),
    knownMin: 0, argmin: xs(4, 420.9687463),
  },
  sixhumpcamel: {
    half: 'tune', kind: 'multimodal 2-D', space: { x0: hp.uniform(-3, 3), x1: hp.uniform(-2, 2) }, objective: sixHumpCamel,
    knownMin: -1.0316284534898774, argmin: { x0: 0.08984201368301331, x1: -0.7126564032704135 },
  },
  hartmann3: {
    half: 'tune', kind: 'multimodal 3-D', space: box(3, 0, 1), objective: onVec(3, hartmann3),
    knownMin: -3.862779787332663, argmin: { x0: 0.11458886991223402, x1: 0.5556488945293871, x2: 0.8525469854442521 },
  },
  levy6: { half: 'tune', kind: 'multimodal 6-D', space: box(6, -10, 10), objective: onVec(6, levy), knownMin: 0, argmin: xs(6, 1) },
  hyperellipsoid6: {
    half: 'tune', kind: 'ill-conditioned, rotated 6-D', space: box(6, -65.536, 65.536), objective: onVec(6, rotatedHyperEllipsoid),
    knownMin: 0, argmin: xs(6, 0),
  },
  rosenbrock10: { half: 'tune', kind: 'ill-conditioned 10-D', space: box(10, -2, 2), objective: onVec(10, rosenbrock), knownMin: 0, argmin: xs(10, 1) },
  sphere20: {
    half: 'tune', kind: 'shifted sphere 20-D', space: box(20, -5, 5), objective: onVec(20, shiftedSphere20), knownMin: 0,
    argmin: xs(20, (i) => SPHERE20_SHIFT[i] as number),
  },
  ackley20: { half: 'tune', kind: 'multimodal 20-D', space: box(20, -32.768, 32.768), objective: onVec(20, ackley), knownMin: 0, argmin: xs(20, 0) },
  svmmix: {
    half: 'tune', kind: 'log/int/quantized/categorical mix', space: SVM_SPACE, objective: svmmix, knownMin: 0.05,
    argmin: { C: 10 ** 1.5, gamma: 10 ** -2.5, degree: 3, kernel: 'rbf', batch: 96, cache_mb: 512 },
  },
  condtrap: {
    half: 'tune', kind: 'conditional; best branch worst on average',
    space: {
      branch: hp.choice([
        { kind: 'wide', x: hp.uniform(0, 1), y: hp.uniform(0, 1) },
        { kind: 'needle', lr: hp.loguniform(1e-6, 1), m: hp.uniform(0, 1) },
        { kind: 'mid', k: hp.quniform(1, 20, 1) },
      ]),
    },
    objective: condtrap, knownMin: 0.1, argmin: { branch: { kind: 'needle', lr: 10 ** -3.7, m: 0.8 } },
  },
  noisy_hartmann6: {
    half: 'tune', kind: 'hartmann6 + N(0, 0.1^2)', space: HARTMANN6.space, objective: HARTMANN6.objective,
    knownMin: HARTMANN6.knownMin, argmin: HARTMANN6.argmin, noise: 0.1,
  },
  // Added after the validation run of 2026-12-07 (bench/README.md): the tuning half had no noisy log/int/categorical space.
  noisy_svmmix: {
    half: 'tune', kind: 'svmmix + N(0, 0.01^2)', space: SVM_SPACE, objective: svmmix, knownMin: 0.05,
    argmin: { C: 10 ** 1.5, gamma: 10 ** -2.5, degree: 3, kernel: 'rbf', batch: 96, cache_mb: 512 }, noise: 0.01,
  },
  // --- validation half ---
  griewank8: { half: 'validation', kind: 'multimodal 8-D, wide box', space: box(8, -600, 600), objective: onVec(8, griewank), knownMin: 0, argmin: xs(8, 0) },
  michalewicz5: { half: 'validation', kind: 'multimodal 5-D, steep valleys', space: box(5, 0, Math.PI), objective: onVec(5, michalewicz), knownMin: -4.687658179088149,
    argmin: { x0: 2.202905514446409, x1: 1.5707963237446094, x2: 1.2849915703114176, x3: 1.9230584700202216, x4: 1.7204697732132217 } },
  shekel10: { half: 'validation', kind: 'multimodal 4-D, narrow wells', space: box(4, 0, 10), objective: onVec(4, shekel10), knownMin: -10.536443153483532,
    argmin: { x0: 4.000746869507482, x1: 3.9995094813771632, x2: 4.000746868852355, x3: 3.999509478603307 } },
  goldsteinprice: {
    half: 'validation', kind: 'multimodal 2-D, large range', space: { x0: hp.uniform(-2, 2), x1: hp.uniform(-2, 2) }, objective: goldsteinPrice,
    knownMin: 3, argmin: { x0: 0, x1: -1 },
  },
  ackley6: { half: 'validation', kind: 'multimodal 6-D', space: box(6, -32.768, 32.768), objective: onVec(6, ackley), knownMin: 0, argmin: xs(6, 0) },
  styblinski8: {
    half: 'validation', kind: 'multimodal 8-D', space: box(8, -5, 5), objective: onVec(8, styblinskiTang),
    knownMin: 8 * STYBLINSKI_MIN, argmin: xs(8, -2.903534027771178),
  },
  ellipsoid8: {
    half: 'validation', kind: 'rotated shifted ellipsoid 8-D, condition 1e6', space: box(8, -5, 5), objective: onVec(8, rotatedEllipsoid),
    knownMin: 0, argmin: xs(8, (i) => ELL_SHIFT[i] as number),
  },
  rastrigin20: { half: 'validation', kind: 'multimodal 20-D', space: box(20, -5.12, 5.12), objective: onVec(20, rastrigin), knownMin: 0, argmin: xs(20, 0) },
  mixed10: {
    half: 'validation', kind: '10-parameter mixed',
    space: {
      a: hp.uniform(-5, 5), b: hp.uniform(0, 1), c: hp.uniform(-1, 1),
      lr: hp.loguniform(1e-5, 1), wd: hp.loguniform(1e-6, 1e-1),
      depth: hp.quniform(1, 12, 1), width: hp.randint(8, 512),
      rounds: hp.qloguniform(10, 2000, 10), opt: hp.choice(['sgd', 'adam', 'rmsprop', 'lamb']),
    },
    objective: mixed10, knownMin: 0,
    argmin: { a: 1.5, b: 0.7, c: -0.2, lr: 1e-3, wd: 1e-4, depth: 6, width: 200, rounds: 400, opt: 'adam' },
  },
  nnmix: {
    half: 'validation', kind: 'network-like mixed, interactions',
    space: {
      layers: hp.quniform(1, 8, 1), units: hp.qloguniform(16, 1024, 16), lr: hp.loguniform(1e-5, 1e-1),
      batch: hp.choice([16, 32, 64, 128, 256]), activation: hp.choice(['relu', 'tanh', 'gelu']),
      dropout: hp.uniform(0, 0.7), weight_decay: hp.loguniform(1e-7, 1e-2), warmup: hp.quniform(0, 1000, 50),
    },
    objective: nnmix, knownMin: 0,
    argmin: { layers: 4, units: 256, lr: 1e-3, batch: 64, activation: 'gelu', dropout: 0.3, weight_decay: 1e-4, warmup: 200 },
  },
  condnested: {
    half: 'validation', kind: 'two-level nested conditional',
    space: {
      model: hp.choice([
        { kind: 'svm', C: hp.loguniform(1e-3, 1e3), kernel: hp.choice([{ k: 'rbf', gamma: hp.loguniform(1e-5, 1) }, { k: 'linear' }]) },
        { kind: 'tree', depth: hp.quniform(1, 20, 1), split: hp.choice(['gini', 'entropy']), min_leaf: hp.qloguniform(1, 100, 1) },
        {
          kind: 'net', lr: hp.loguniform(1e-5, 1e-1),
          opt: hp.choice([{ o: 'sgd', momentum: hp.uniform(0, 0.99) }, { o: 'adam', beta1: hp.uniform(0.8, 0.999) }]),
        },
      ]),
    },
    objective: condnested, knownMin: 0.1, argmin: { model: { kind: 'net', lr: 10 ** -3.3, opt: { o: 'adam', beta1: 0.9 } } },
  },
  noisy_mlmix: {
    half: 'validation', kind: 'mlmix + N(0, 0.01^2)', space: MLMIX.space, objective: MLMIX.objective, knownMin: MLMIX.knownMin,
    argmin: MLMIX.argmin, noise: 0.01,
  },
  noisy_branin: {
    half: 'validation', kind: 'branin + N(0, 0.5^2)', space: BRANIN.space, objective: BRANIN.objective, knownMin: BRANIN.knownMin,
    argmin: BRANIN.argmin, noise: 0.5,
  },
};

const ORIGINAL_KIND: Record<string, string> = {
  sphere5: 'public: sphere 5-D', branin: 'public: branin 2-D', hartmann6: 'public: hartmann 6-D',
  rosenbrock4: 'public: rosenbrock 4-D', mlmix: 'public: ML-like mix', condpub: 'public: conditional',
};

/** The whole suite: the six public functions (tuning half) then the new ones. */
export const SUITE: Readonly<Record<string, SuiteFunction>> = Object.fromEntries([
  ...Object.values(FUNCTIONS).map((f): [string, SuiteFunction] => [f.name, { ...f, half: 'tune', kind: ORIGINAL_KIND[f.name] ?? f.name, noise: 0 }]),
  ...Object.entries(NEW).map(([name, e]): [string, SuiteFunction] => [
    name,
    { name, half: e.half, kind: e.kind, space: e.space, objective: e.objective, knownMin: e.knownMin, argmin: e.argmin ?? {}, noise: e.noise ?? 0 },
  ]),
]);

export const TUNE = Object.values(SUITE).filter((f) => f.half === 'tune').map((f) => f.name);
export const VALIDATION = Object.values(SUITE).filter((f) => f.half === 'validation').map((f) => f.name);

export const TWIN_POINTS = fileURLToPath(new URL('./optuna/check-points.json', import.meta.url));

/**
 * Compares every objective with the Python twin on the points it wrote (bench/optuna/check-points.json:
 * {fn: [{params, value}]}). Returns the largest relative difference, or undefined without the file.
 */
export function checkAgainstTwin(): number | undefined {
  if (!existsSync(TWIN_POINTS)) return undefined;
  const points = JSON.parse(readFileSync(TWIN_POINTS, 'utf8')) as Record<string, { params: Params; value: number }[]>;
  let worst = 0;
  for (const [name, fn] of Object.entries(SUITE)) {
    const list = points[name];
    if (!list || list.length === 0) throw new Error(`bench/optuna/check-points.json lacks ${name}`);
    for (const { params, value } of list) {
      const mine = fn.objective(params);
      worst = Math.max(worst, Math.abs(mine - value) / Math.max(1, Math.abs(value)));
    }
  }
  return worst;
}
