// Speed of the UI's pure algorithms at a large study's size: PED-ANOVA importance over 5,000 trials
// (target: well under 200 ms, so the study page's importance panel never waits on it) and LTTB
// downsampling of a 100,000-point curve. Tests check what they compute; this checks how fast.
//   npm run bench:ui-algorithms [-- --rounds 20]
import { cpus, loadavg } from 'node:os';
import { createRng } from '../src/rng.js';
import type { TrialRecord } from '../src/tracking/entities.js';
import { lttbIndices, pedAnovaImportance } from '../src/ui-data/index.js';

const argv = process.argv.slice(2);
const roundsFlag = argv.indexOf('--rounds');
const rounds = roundsFlag >= 0 ? Number(argv[roundsFlag + 1]) : 20;
const TARGET_PED_ANOVA_MS = 200;

function trial(number: number, params: Record<string, number>, value: number): TrialRecord {
  return {
    trialId: number, studyId: 1, number, runId: `r${number}`, state: 'COMPLETE', value, params,
    distributions: { a: { kind: 'uniform', low: 0, high: 1 }, b: { kind: 'loguniform', low: 1e-3, high: 1 }, c: { kind: 'choice', n: 3, labels: ['x', 'y', 'z'] } },
    intermediate: {}, systemAttrs: {}, startTime: 0, endTime: 1, heartbeat: null, workerId: null, seq: number,
  };
}

const rng = createRng(3);
const trials = Array.from({ length: 5000 }, (_, i) => {
  const p = { a: rng.uniform(0, 1), b: Math.exp(rng.uniform(Math.log(1e-3), 0)), c: rng.int(3) };
  return trial(i, p, 10 * (p.a - 0.3) ** 2 + 0.1 * Math.log(p.b) ** 2 / 50 + (p.c === 1 ? 0.05 : 0));
});
const xs = Array.from({ length: 100_000 }, (_, i) => i);
const ys = xs.map((x) => Math.sin(x / 100) + Math.cos(x / 7));

function timeIt(fn: () => unknown): { first: number; median: number; max: number } {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    ms.push(performance.now() - start);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { first: ms[0] as number, median: sorted[Math.floor(sorted.length / 2)] as number, max: sorted.at(-1) as number };
}

const ped = timeIt(() => pedAnovaImportance(trials, 'minimize'));
const lttb = timeIt(() => lttbIndices(xs, ys, 1000));
const f = (x: number): string => x.toFixed(1);
process.stdout.write(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(', ')}; ${rounds} rounds\n`);
process.stdout.write(`| case | first ms | median ms | max ms | target |\n|---|---:|---:|---:|---|\n`);
process.stdout.write(`| pedAnovaImportance, 5,000 trials, 3 params | ${f(ped.first)} | ${f(ped.median)} | ${f(ped.max)} | < ${TARGET_PED_ANOVA_MS}: ${ped.max < TARGET_PED_ANOVA_MS ? 'met' : '**missed**'} |\n`);
process.stdout.write(`| lttbIndices, 100,000 points to 1,000 | ${f(lttb.first)} | ${f(lttb.median)} | ${f(lttb.max)} | - |\n`);
