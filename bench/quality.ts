// `npm run bench:quality`: regret of TPE (default), TPE (Optuna 3.1 profile) and random on the wide suite
// (bench/suite.ts: the six public functions and 26 more), S seeds x T trials through createStudy (in-memory
// store), runs spread over child processes. Prints, per sampler, every function's median regret beside
// Optuna 3.1's better mode (bench/optuna/optuna-3.1-suite.json) at 100 and 200 trials, the ratio, the
// geometric mean and worst ratio per half, and whether the selection rule of bench/README.md holds.
//   node --import tsx bench/quality.ts [--seeds 10] [--trials 200] [--jobs 2] [--functions a,b | --half tune]
//        [--variant 'name={"gamma":0.1}' ...] [--only base-label,...] [--detail] [--json out.json] [--markdown out.md]
//        [--from out.json]   (re-print a saved run against the current Optuna figures, without running)
// Labels: tpe (the default profile), tpe-previous (the default before issue 15), tpe-first-wide (the first default
// chosen on the wide suite, without the exploration floor), tpe-optuna, random.
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkAgainstReference } from './functions.js';
import { loadOptunaQuality, loadOptunaSuite, renderQuality, renderSuite, type QualitySummary, type Stats } from './quality-report.js';
import { FIRST_WIDE_DEFAULT, PREVIOUS_DEFAULT } from '../samplers/tpe/options.js';
import { runOne, type RunTask } from './quality-run.js';
import { checkAgainstTwin, SUITE } from './suite.js';

const BUDGETS = [25, 50, 100, 200] as const;

interface Variant {
  readonly label: string;
  readonly sampler: Readonly<Record<string, unknown>>;
}

const BASE_VARIANTS: readonly Variant[] = [
  { label: 'tpe', sampler: { name: 'tpe' } },
  { label: 'tpe-previous', sampler: { name: 'tpe', ...PREVIOUS_DEFAULT } },
  { label: 'tpe-first-wide', sampler: { name: 'tpe', ...FIRST_WIDE_DEFAULT } },
  { label: 'tpe-optuna', sampler: { name: 'tpe', profile: 'optuna' } },
  { label: 'random', sampler: { name: 'random' } },
];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) return worker();
  const started = Date.now();
  const functions = args.functions ?? Object.values(SUITE).filter((f) => args.half === undefined || f.half === args.half).map((f) => f.name);
  const base = args.only ? BASE_VARIANTS.filter((v) => args.only?.includes(v.label)) : BASE_VARIANTS;
  const variants = [...base, ...args.variants];
  const worst = await checkAgainstReference(samplePoints(300));
  if (worst !== undefined && worst > 1e-9) throw new Error(`bench/functions.ts differs from the reference suite by ${worst}`);
  const twin = checkAgainstTwin();
  if (twin !== undefined && twin > 1e-9) throw new Error(`bench/suite.ts differs from its Python twin (bench/optuna/suite.py) by ${twin}`);
  if (args.from) {
    const saved = JSON.parse(readFileSync(args.from, 'utf8')) as {
      stats: Record<string, Record<string, Record<string, Stats>>>; variants: Variant[]; seeds?: number; trials?: number; seconds?: number;
    };
    const shown = { ...args, seeds: saved.seeds ?? args.seeds, trials: saved.trials ?? args.trials };
    const text = render(saved.stats, functions.filter((fn) => saved.stats[fn]), saved.variants.map((v) => v.label), shown, saved.seconds ?? 0, twin, worst);
    process.stdout.write(text);
    if (args.markdown) writeFileSync(args.markdown, text);
    return;
  }
  const tasks: RunTask[] = [];
  for (const fn of functions) for (const v of variants) for (let seed = 0; seed < args.seeds; seed++) {
    tasks.push({ fn, label: v.label, sampler: v.sampler, seed, trials: args.trials, budgets: [...BUDGETS] });
  }
  const results = await runPool(tasks, args.jobs);
  const summary: QualitySummary = {};
  for (const r of results) {
    const byFn = (summary[r.fn] ??= {});
    const byLabel = (byFn[r.label] ??= {});
    r.regret.forEach((value, i) => {
      ((byLabel[String(BUDGETS[i])] ??= { values: [] }) as { values: number[] }).values[r.seed] = value;
    });
  }
  const stats: Record<string, Record<string, Record<string, Stats>>> = {};
  for (const [fn, byLabel] of Object.entries(summary)) {
    for (const [label, byBudget] of Object.entries(byLabel)) {
      for (const [budget, { values }] of Object.entries(byBudget)) ((stats[fn] ??= {})[label] ??= {})[budget] = describe(values);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const text = render(stats, functions, variants.map((v) => v.label), args, seconds, twin, worst);
  process.stdout.write(text);
  if (args.json) writeFileSync(args.json, JSON.stringify({ stats, variants, seeds: args.seeds, trials: args.trials, seconds }, null, 1));
  if (args.markdown) writeFileSync(args.markdown, text);
}

// --- internal ---

function render(
  stats: Record<string, Record<string, Record<string, Stats>>>, functions: readonly string[], labels: readonly string[], args: Args,
  seconds: number, twin: number | undefined, worst: number | undefined,
): string {
  const ordered = Object.fromEntries(functions.filter((fn) => stats[fn]).map((fn) => [fn, stats[fn] as Record<string, Record<string, Stats>>]));
  let text = `Wide suite: ${Object.keys(ordered).length} functions, ${args.seeds} seeds x ${args.trials} trials per run, wall time ${seconds.toFixed(1)} s. `
    + `Objectives ${twin === undefined ? 'NOT checked' : 'checked equal (1e-9)'} against the Python twin`
    + `${worst === undefined ? '' : '; the six public ones against the reference suite'}.\n\n`;
  const suite = loadOptunaSuite();
  if (suite) {
    const halves = Object.fromEntries(Object.keys(ordered).map((fn) => [fn, SUITE[fn]?.half ?? '-']));
    text += renderSuite(ordered, suite, labels.filter((l) => l !== 'random'), halves);
  } else text += 'bench/optuna/optuna-3.1-suite.json is missing: no comparison with Optuna.\n';
  if (args.detail) {
    text += `\n${renderQuality(ordered, loadOptunaQuality(), labels, [...BUDGETS], { seeds: args.seeds, trials: args.trials, seconds, referenceChecked: worst !== undefined })}`;
  }
  return text;
}

interface Args {
  seeds: number;
  trials: number;
  jobs: number;
  functions?: string[];
  only?: string[];
  variants: Variant[];
  half?: 'tune' | 'validation';
  detail: boolean;
  from?: string;
  json?: string;
  markdown?: string;
  worker: boolean;
}

function parseArgs(argv: string[]): Args {
  const out: Args = { seeds: 10, trials: 200, jobs: 2, variants: [], worker: false, detail: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string => argv[++i] ?? '';
    if (flag === '--seeds') out.seeds = Number(next());
    else if (flag === '--trials') out.trials = Number(next());
    else if (flag === '--jobs') out.jobs = Number(next());
    else if (flag === '--functions') out.functions = next().split(',');
    else if (flag === '--only') out.only = next().split(',');
    else if (flag === '--json') out.json = next();
    else if (flag === '--markdown') out.markdown = next();
    else if (flag === '--worker') out.worker = true;
    else if (flag === '--detail') out.detail = true;
    else if (flag === '--from') out.from = next();
    else if (flag === '--half') {
      const half = next();
      if (half !== 'tune' && half !== 'validation') throw new Error(`--half must be tune or validation, not ${half}`);
      out.half = half;
    }
    else if (flag === '--variant') {
      const spec = next();
      const eq = spec.indexOf('=');
      out.variants.push({ label: spec.slice(0, eq), sampler: { name: 'tpe', ...(JSON.parse(spec.slice(eq + 1)) as object) } });
    } else throw new Error(`unknown argument ${flag}`);
  }
  for (const fn of out.functions ?? []) if (!SUITE[fn]) throw new Error(`unknown function ${fn}`);
  return out;
}

type RunResult = RunTask & { regret: number[] };

/** Runs tasks on `jobs` child processes, handing out one task at a time. */
async function runPool(tasks: readonly RunTask[], jobs: number): Promise<RunResult[]> {
  const results: RunResult[] = [];
  let next = 0;
  const script = fileURLToPath(import.meta.url);
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(jobs, tasks.length)) }, () =>
      new Promise<void>((resolve, reject) => {
        const child = fork(script, ['--worker'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        const feed = (): void => {
          const task = tasks[next++];
          if (task) child.send(task);
          else child.disconnect();
        };
        child.on('message', (r: RunResult) => {
          results.push(r);
          feed();
        });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`quality worker exited with ${code}`))));
        feed();
      }),
    ),
  );
  return results;
}

function worker(): void {
  process.on('message', (task: RunTask) => {
    void runOne(task).then((regret) => process.send?.({ ...task, regret }));
  });
}

/** Median and quartiles, with every seed's regret in seed order (for bench/ratio-interval.ts's bootstrap). */
function describe(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number): number => {
    const pos = (s.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
  };
  return { median: q(0.5), q25: q(0.25), q75: q(0.75), n: s.length, values: [...values] };
}

/** Random points of every function's space, to compare objectives with the reference suite. */
function samplePoints(count: number): Record<string, Record<string, unknown>[]> {
  let state = 12345;
  const u = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lu = (lo: number, hi: number): number => Math.exp(Math.log(lo) + u() * Math.log(hi / lo));
  const q = (v: number, step: number): number => Math.round(v / step) * step;
  const pts: Record<string, Record<string, unknown>[]> = {};
  for (let i = 0; i < count; i++) {
    const box = (n: number, lo: number, hi: number) => Object.fromEntries(Array.from({ length: n }, (_, j) => [`x${j}`, lo + u() * (hi - lo)]));
    (pts['sphere5'] ??= []).push(box(5, -5, 5));
    (pts['branin'] ??= []).push({ x1: -5 + 15 * u(), x2: 15 * u() });
    (pts['hartmann6'] ??= []).push(box(6, 0, 1));
    (pts['rosenbrock4'] ??= []).push(box(4, -2, 2));
    (pts['mlmix'] ??= []).push({
      lr: lu(1e-5, 1), depth: 1 + Math.floor(u() * 12), n_estimators: q(10 + u() * 490, 10),
      optimizer: ['sgd', 'adam', 'rmsprop'][Math.floor(u() * 3)], dropout: 0.6 * u(),
    });
    const k = Math.floor(u() * 3);
    const clf =
      k === 0 ? { kind: 'linear', alpha: lu(1e-6, 10), l1_ratio: u() }
      : k === 1 ? { kind: 'forest', trees: q(10 + u() * 490, 10), depth: 2 + Math.floor(u() * 29) }
      : { kind: 'boost', lr: lu(1e-3, 1), rounds: q(lu(10, 2000), 10) };
    (pts['condpub'] ??= []).push({ clf });
  }
  return pts;
}

await main();
