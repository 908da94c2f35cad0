// Multi-objective benchmark problems (all minimized, 6 variables uniform on [0, 1]): ZDT1, ZDT2
// (Zitzler, Deb & Thiele 2000) and DTLZ2 with 3 objectives (Deb et al. 2002), with the hypervolume
// reference points of the shared Optuna figures. Our own copy of ../shared/bench/mo_functions.mjs,
// checked against it by checkMoAgainstReference when that file is present (never imported otherwise).
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { hp, type SpaceDefinition } from '../src/index.js';
import { referenceDir } from './functions.js';

export interface MoProblem {
  readonly name: string;
  readonly dims: number;
  readonly objectives: number;
  readonly reference: readonly number[];
  readonly fn: (x: readonly number[]) => number[];
}

function zdtG(x: readonly number[]): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += x[i] as number;
  return 1 + (9 * s) / (x.length - 1);
}

export function zdt1(x: readonly number[]): number[] {
  const f1 = x[0] as number;
  const g = zdtG(x);
  return [f1, g * (1 - Math.sqrt(f1 / g))];
}

export function zdt2(x: readonly number[]): number[] {
  const f1 = x[0] as number;
  const g = zdtG(x);
  return [f1, g * (1 - (f1 / g) ** 2)];
}

export function dtlz2(x: readonly number[], m = 3): number[] {
  let g = 0;
  for (let i = m - 1; i < x.length; i++) g += ((x[i] as number) - 0.5) ** 2;
  const f: number[] = [];
  for (let i = 0; i < m; i++) {
    let v = 1 + g;
    for (let j = 0; j < m - 1 - i; j++) v *= Math.cos(((x[j] as number) * Math.PI) / 2);
    if (i > 0) v *= Math.sin(((x[m - 1 - i] as number) * Math.PI) / 2);
    f.push(v);
  }
  return f;
}

export const MO_PROBLEMS: Readonly<Record<string, MoProblem>> = {
  zdt1: { name: 'zdt1', dims: 6, objectives: 2, reference: [1.1, 11.0], fn: zdt1 },
  zdt2: { name: 'zdt2', dims: 6, objectives: 2, reference: [1.1, 11.0], fn: zdt2 },
  dtlz2: { name: 'dtlz2', dims: 6, objectives: 3, reference: [2.5, 2.5, 2.5], fn: (x) => dtlz2(x, 3) },
};

export function moSpace(problem: MoProblem): SpaceDefinition {
  return Object.fromEntries(Array.from({ length: problem.dims }, (_, i) => [`x${i}`, hp.uniform(0, 1)]));
}

export function moVector(params: Readonly<Record<string, unknown>>, dims: number): number[] {
  return Array.from({ length: dims }, (_, i) => params[`x${i}`] as number);
}

/** Largest difference between our problems and the reference file's on `points`; undefined without the file. */
export async function checkMoAgainstReference(points: readonly (readonly number[])[]): Promise<number | undefined> {
  const file = `${referenceDir()}/mo_functions.mjs`;
  if (!existsSync(file)) return undefined;
  const ref = (await import(pathToFileURL(file).href)) as { PROBLEMS: Record<string, { fn: (x: number[]) => number[]; ref: number[] }> };
  let worst = 0;
  for (const [name, p] of Object.entries(MO_PROBLEMS)) {
    const theirs = ref.PROBLEMS[name];
    if (!theirs) throw new Error(`reference suite lacks ${name}`);
    theirs.ref.forEach((r, i) => (worst = Math.max(worst, Math.abs(r - (p.reference[i] as number)))));
    for (const x of points) {
      const a = p.fn(x);
      const b = theirs.fn([...x]);
      a.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (b[i] as number)))));
    }
  }
  return worst;
}
