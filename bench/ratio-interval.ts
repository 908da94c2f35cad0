// How precise is one cell of the selection rule? The ratio (our median regret / Optuna 3.1's better mode)
// of a function at a budget, with a bootstrap interval over seeds and the ratio of each half of the seeds.
//   node --import tsx bench/ratio-interval.ts --json <quality run JSON> [--label tpe] --functions a,b
//        [--budgets 100,200] [--resamples 10000]
// Ours: the per-seed regrets of a `npm run bench:quality -- --json` run (stats.values, kept since 2026-12-07).
// Optuna: the per-seed regrets of bench/optuna/runs.jsonl (every seed there; the six public functions have no
// per-seed figures and are left out). Each bootstrap resample draws our seeds and each Optuna mode's seeds with
// replacement, and takes the better mode of that resample, as the rule does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/rng.js';
import type { Stats } from './quality-report.js';

const REGRET_FLOOR = 1e-12;

interface Args {
  json: string;
  label: string;
  functions: string[];
  budgets: string[];
  resamples: number;
}

function parseArgs(argv: string[]): Args {
  const out: Args = { json: '', label: 'tpe', functions: [], budgets: ['100', '200'], resamples: 10_000 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string => argv[++i] ?? '';
    if (flag === '--json') out.json = next();
    else if (flag === '--label') out.label = next();
    else if (flag === '--functions') out.functions = next().split(',');
    else if (flag === '--budgets') out.budgets = next().split(',');
    else if (flag === '--resamples') out.resamples = Number(next());
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!out.json || out.functions.length === 0) throw new Error('usage: --json FILE --functions a,b [--label tpe] [--budgets 100,200]');
  return out;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return ((s[Math.floor(mid)] as number) + (s[Math.ceil(mid)] as number)) / 2;
}

function ratio(ours: readonly number[], tpe: readonly number[], mv: readonly number[]): number {
  return Math.max(median(ours), REGRET_FLOOR) / Math.max(Math.min(median(tpe), median(mv)), REGRET_FLOOR);
}

function quantile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

function optunaSeeds(fn: string): Record<string, Map<number, Record<string, number>>> {
  const file = fileURLToPath(new URL('./optuna/runs.jsonl', import.meta.url));
  const out: Record<string, Map<number, Record<string, number>>> = { tpe: new Map(), tpe_mv: new Map() };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { fn: string; sampler: string; seed: number; regret: Record<string, number> };
    if (r.fn === fn) out[r.sampler]?.set(r.seed, r.regret);
  }
  return out;
}

const fmt = (x: number): string => (Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? x.toPrecision(3) : x.toExponential(2));

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const saved = JSON.parse(readFileSync(args.json, 'utf8')) as { stats: Record<string, Record<string, Record<string, Stats>>> };
  const rng = createRng(1, 'ratio-interval');
  const lines = [
    '| cell | seeds ours / optuna tpe / tpe_mv | ratio | bootstrap 90% | bootstrap 95% | P(ratio > 1.25) | first half of seeds | second half |',
    '|---|---|---:|---|---|---:|---:|---:|',
  ];
  for (const fn of args.functions) {
    const optuna = optunaSeeds(fn);
    for (const b of args.budgets) {
      const ours = saved.stats[fn]?.[args.label]?.[b]?.values;
      if (!ours) throw new Error(`${args.json} has no per-seed values for ${fn} ${args.label} @${b}`);
      const seedsOf = (m: Map<number, Record<string, number>>): number[] => [...m.keys()].sort((x, y) => x - y);
      const tpeSeeds = seedsOf(optuna['tpe'] as Map<number, Record<string, number>>);
      const mvSeeds = seedsOf(optuna['tpe_mv'] as Map<number, Record<string, number>>);
      const tpe = tpeSeeds.map((s) => (optuna['tpe']?.get(s) as Record<string, number>)[b] as number);
      const mv = mvSeeds.map((s) => (optuna['tpe_mv']?.get(s) as Record<string, number>)[b] as number);
      if (tpe.length === 0 || mv.length === 0) throw new Error(`bench/optuna/runs.jsonl has no runs of ${fn}`);
      const point = ratio(ours, tpe, mv);
      const draw = (xs: readonly number[]): number[] => xs.map(() => xs[Math.floor(rng.random() * xs.length)] as number);
      const boot: number[] = [];
      for (let i = 0; i < args.resamples; i++) boot.push(ratio(draw(ours), draw(tpe), draw(mv)));
      boot.sort((x, y) => x - y);
      const above = boot.filter((r) => r > 1.25).length / boot.length;
      const half = (xs: readonly number[], second: boolean): number[] => (second ? xs.slice(Math.floor(xs.length / 2)) : xs.slice(0, Math.floor(xs.length / 2)));
      const h1 = ratio(half(ours, false), half(tpe, false), half(mv, false));
      const h2 = ratio(half(ours, true), half(tpe, true), half(mv, true));
      lines.push(
        `| ${fn}@${b} | ${ours.length} / ${tpe.length} / ${mv.length} | ${fmt(point)} | ${fmt(quantile(boot, 0.05))} - ${fmt(quantile(boot, 0.95))} `
          + `| ${fmt(quantile(boot, 0.025))} - ${fmt(quantile(boot, 0.975))} | ${above.toFixed(2)} | ${fmt(h1)} | ${fmt(h2)} |`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
