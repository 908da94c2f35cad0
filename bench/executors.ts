// Executor benchmarks (issue 4): trials per second of a trivial objective on each executor with
// SQLite tracking, and the speedup of --jobs 2 over --jobs 1 on a CPU-bound objective (~50 ms).
// Then the same speed-up as a user sees it: whole `sweep run` processes, spawn to exit, inline
// (--jobs 1) against --jobs 2 --executor threads, on a CPU-bound objective (~60 ms), rounds alternating;
// and the start-up cost of threads (2-trial runs, inline and threads alternating), in wall time and in
// the CPU time of the whole process (every thread), which a busy machine disturbs less.
// With --baseline DIR (another checkout, built), its `sweep run` is timed in the same rounds, so a
// change can be measured against the code before it on a machine whose load keeps changing.
// Run: npm run bench:executors [-- --trials 2000 --cpu-trials 200 --cli-trials 160 --rounds 3 --startup-rounds 7 --only-cli --baseline ../old]
import { execFileSync, spawn } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStudy } from '../src/app/create-study.js';
import { ProcessExecutor } from '../src/execution/process.js';
import { ThreadsExecutor } from '../src/execution/threads.js';
import { hp } from '../src/space/hp.js';
import type { Executor, ObjectiveSource } from '../src/study/executor.js';
import { numberFlag } from './flags.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const STUDY = join(root, 'bench/fixtures/cpu-study.ts');
const trials = numberFlag('trials', 2000);
const cpuTrials = numberFlag('cpu-trials', 200);
const cliTrials = numberFlag('cli-trials', 160);
const rounds = numberFlag('rounds', 3);
const startupRounds = numberFlag('startup-rounds', 7);
const space = { x: hp.uniform(-5, 5), y: hp.uniform(-5, 5) };

/** Times a study; `makeExecutor` runs after SWEEP_BENCH_WORK is set, so new workers see it. */
async function timeStudy(name: string, n: number, makeExecutor: () => Executor | undefined, jobs: number, work: number, warmup = 0): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-'));
  process.env['SWEEP_BENCH_WORK'] = String(work);
  const executor = makeExecutor();
  const study = await createStudy({ name, space, seed: 1, sampler: 'random', storage: `sqlite:${join(dir, 'b.db')}` });
  const source: ObjectiveSource = executor ? { kind: 'module', path: STUDY } : { kind: 'function', fn: (await import(STUDY)).default.objective };
  // Warm-up trials start the workers (each loads tsx and the study file) before the clock starts.
  if (warmup > 0) await study.optimize(source, { trials: warmup, jobs, ...(executor && { executor }) });
  const start = performance.now();
  const result = await study.optimize(source, { trials: n, jobs, ...(executor && { executor }) });
  const ms = performance.now() - start;
  if (result.completed !== n) throw new Error(`${name}: ${result.completed}/${n} completed (${result.failed} failed)`);
  await study.close();
  await executor?.close();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** Iterations of the objective's loop that take about `targetMs` on one core. */
function calibrate(targetMs: number): number {
  let work = 100_000;
  for (;;) {
    // CPU time, not wall time: on a busy machine the loop waits for a core, and wall time would
    // make the objective's work smaller than asked.
    const start = process.cpuUsage();
    let acc = 0;
    for (let i = 0; i < work; i++) acc += Math.sqrt(i + 1);
    const ms = process.cpuUsage(start).user / 1000;
    if (ms > 100 && acc > 0) return Math.round((work * targetMs) / ms);
    work *= 2;
  }
}

const lines: string[] = [
  `### Executors (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Command: \`npm run bench:executors -- ${process.argv.slice(2).join(' ')}\`. Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}. SQLite tracking; every trial a child run.`,
];
const row = (name: string, n: number, ms: number): void => {
  lines.push(`| ${name} | ${n} | ${(ms / 1000).toFixed(2)} | ${((n * 1000) / ms).toFixed(0)} |`);
  process.stderr.write(`${lines.at(-1)}\n`);
};

const onlyCli = process.argv.includes('--only-cli');
if (!onlyCli) {
  lines.push('', '| case | trials | wall s | trials/s |', '|---|---:|---:|---:|');
  row('inline, trivial objective', trials, await timeStudy('inline', trials, () => undefined, 1, 0));
  row('threads x2, trivial objective, workers starting', trials, await timeStudy('threads', trials, () => new ThreadsExecutor({ threads: 2 }), 2, 0));
  row('threads x2, trivial objective, warm pool', trials, await timeStudy('threads-warm', trials, () => new ThreadsExecutor({ threads: 2 }), 2, 0, 20));
  const command = [process.execPath, '-e', 'console.log(JSON.stringify({sweep:"result",value:JSON.parse(process.env.SWEEP_PARAMS).x**2}))'];
  row('process x2, `node -e` one-liner', trials, await timeStudy('process', trials, () => new ProcessExecutor({ command, concurrency: 2, metric: 'objective', trackingUri: 'bench' }), 2, 0));

  const work = calibrate(50);
  const one = await timeStudy('cpu1', cpuTrials, () => new ThreadsExecutor({ threads: 1 }), 1, work, 2);
  const two = await timeStudy('cpu2', cpuTrials, () => new ThreadsExecutor({ threads: 2 }), 2, work, 2);
  row('threads x1, CPU-bound ~50 ms', cpuTrials, one);
  row('threads x2, CPU-bound ~50 ms', cpuTrials, two);
  lines.push('', `Parallel efficiency: --jobs 2 is ${(one / two).toFixed(2)}x --jobs 1 on the CPU-bound objective (${work} loop iterations per trial, calibrated to ~50 ms on one core).`);
}

interface Checkout {
  readonly label: string;
  readonly root: string;
}
interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
}

const baselineAt = process.argv.indexOf('--baseline');
const checkouts: Checkout[] = [{ label: `this checkout (${revision(root)})`, root }];
if (baselineAt >= 0) {
  const dir = resolve(process.argv[baselineAt + 1] ?? '');
  checkouts.push({ label: `baseline (${revision(dir)})`, root: dir });
}

/**
 * One `sweep run` process of `trials` trials from `checkout` on a fresh database: its wall time, spawn
 * to exit, and the CPU time of the whole process (all its threads), which a preloaded one-liner reports.
 */
function timeCli(checkout: Checkout, trials: number, args: readonly string[], cliWork: number): Promise<Timed> {
  const bin = join(checkout.root, 'dist/src/cli/bin.js');
  const study = join(checkout.root, 'bench/fixtures/cpu-study.ts');
  return timeProcess([bin, 'run', study, '--trials', String(trials), '--seed', '1', ...args], cliWork);
}

/** One process of `args` in a fresh directory: wall time spawn to exit, and its CPU time. */
function timeProcess(args: readonly string[], cliWork: number): Promise<Timed> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-cli-'));
  const start = performance.now();
  const child = spawn(process.execPath, [REPORT_CPU, ...args], {
    cwd: dir,
    env: { ...process.env, SWEEP_BENCH_WORK: String(cliWork), SWEEP_TRACKING_URI: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const ms = performance.now() - start;
      rmSync(dir, { recursive: true, force: true });
      const cpu = /sweep-bench-cpu-ms (\d+(?:\.\d+)?)/.exec(stderr);
      if (code === 0 && cpu) resolve({ ms, cpuMs: Number(cpu[1]) });
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

/** Preloaded into each `sweep run`: prints the process's CPU time (user + system, all threads) as it exits. */
const REPORT_CPU = `--import=data:text/javascript,${encodeURIComponent(
  "import { isMainThread } from 'node:worker_threads'; if (isMainThread) process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`sweep-bench-cpu-ms ${(u.user + u.system) / 1000}\\n`); });",
)}`;

function revision(dir: string): string {
  try {
    return execFileSync('git', ['-C', dir, 'log', '-1', '--format=%h'], { encoding: 'utf8' }).trim();
  } catch {
    return dir;
  }
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const secs = (xs: readonly number[]): string => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');
const wall = (xs: readonly Timed[]): number[] => xs.map((x) => x.ms);
const cpu = (xs: readonly Timed[]): number[] => xs.map((x) => x.cpuMs);
const INLINE = ['--jobs', '1'];
const THREADS = ['--jobs', '2', '--executor', 'threads'];

/**
 * The machine's own ceiling for the same work: `trials` calls of the study's objective loop in a
 * plain process, on one worker thread, then split over two worker threads at once (no sweep, no
 * store, no start-up): the speed-up two cores give this work here, which the two threads of a
 * 2-vCPU virtual machine may not (shared caches, a busy host).
 */
function timeBare(trials: number, cliWork: number): Promise<{ one: number; two: number }> {
  const script = `
    const { Worker } = require('node:worker_threads');
    const body = 'const { workerData, parentPort } = require("node:worker_threads"); let x = 0;'
      + 'for (let t = 0; t < workerData.n; t++) { let acc = 0; const trial = { params: { x: (t % 10) / 2 - 2.5 } };'
      + ' for (let i = 0; i < workerData.work; i++) acc += Math.sqrt(i + trial.params.x * trial.params.x); x += acc * 0; }'
      + 'parentPort.postMessage(x);';
    const run = (threads) => {
      const start = performance.now();
      return Promise.all(Array.from({ length: threads }, () => new Promise((resolve, reject) => {
        const w = new Worker(body, { eval: true, workerData: { n: ${trials} / threads, work: ${cliWork} } });
        w.once('message', resolve);
        w.once('error', reject);
      }))).then(() => performance.now() - start);
    };
    run(1).then(async (one) => { const two = await run(2); console.log(JSON.stringify({ one, two })); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { one: number; two: number }) : reject(new Error(`bare ceiling run exited ${code}`))));
  });
}

/** `n` rounds of inline then threads runs of `trials` trials, for every checkout in turn within a round. */
async function alternate(trials: number, n: number, cliWork: number, bare?: { one: number; two: number }[]): Promise<Map<Checkout, { inline: Timed[]; threads: Timed[] }>> {
  const out = new Map(checkouts.map((c) => [c, { inline: [] as Timed[], threads: [] as Timed[] }]));
  for (let r = 0; r < n; r++) {
    if (bare) {
      bare.push(await timeBare(trials, cliWork));
      process.stderr.write(`bare ceiling, round ${r + 1}: one thread ${(bare.at(-1)!.one / 1000).toFixed(2)} s, two ${(bare.at(-1)!.two / 1000).toFixed(2)} s\n`);
    }
    for (const c of checkouts) {
      const times = out.get(c)!;
      times.inline.push(await timeCli(c, trials, INLINE, cliWork));
      times.threads.push(await timeCli(c, trials, THREADS, cliWork));
      process.stderr.write(`${trials} trials, round ${r + 1}, ${c.label}: inline ${(times.inline.at(-1)!.ms / 1000).toFixed(2)} s, threads x2 ${(times.threads.at(-1)!.ms / 1000).toFixed(2)} s\n`);
    }
  }
  return out;
}

const cliRow = (label: string, xs: readonly Timed[]): string =>
  `| ${label} | ${(median(wall(xs)) / 1000).toFixed(2)} | ${secs(wall(xs))} | ${(median(cpu(xs)) / 1000).toFixed(2)} |`;

const cliWork = calibrate(60);
let loadBefore = load();
const bare: { one: number; two: number }[] = [];
const whole = await alternate(cliTrials, rounds, cliWork, bare);
lines.push(
  '',
  `Whole process, as a user sees it: \`sweep run bench/fixtures/cpu-study.ts --trials ${cliTrials} --seed 1\` (default sampler, SQLite in a fresh folder), spawn to exit, ${rounds} rounds alternating; objective calibrated to ~60 ms on one core (${cliWork} iterations, calibrated on CPU time). CPU: user + system time of the whole process, all threads. Load average before ${loadBefore}, after ${load()}.`,
  '',
  '| sweep run | median wall s | rounds (s) | median CPU s |',
  '|---|---:|---|---:|',
);
for (const [c, t] of whole) lines.push(cliRow(`${c.label}, --jobs 1 (inline)`, t.inline), cliRow(`${c.label}, --jobs 2 --executor threads`, t.threads));
lines.push('');
for (const [c, t] of whole) {
  const ratios = t.inline.map((x, i) => (x.ms / (t.threads[i]?.ms ?? NaN)).toFixed(2)).join(', ');
  lines.push(`Whole-process speed-up of --jobs 2 --executor threads over inline, ${c.label}: ${(median(wall(t.inline)) / median(wall(t.threads))).toFixed(2)}x (medians); per round ${ratios}.`, '');
}
const bareRatio = median(bare.map((b) => b.one)) / median(bare.map((b) => b.two));
lines.push(
  `The machine's ceiling in the same rounds: the objective's loop alone, ${cliTrials} calls in plain worker threads (no sweep), one thread ${secs(bare.map((b) => b.one))} s, the same calls split over two threads at once ${secs(bare.map((b) => b.two))} s: ${bareRatio.toFixed(2)}x (medians; per round ${bare.map((b) => (b.one / b.two).toFixed(2)).join(', ')}). Nothing that runs this work on two threads here can beat that ratio, start-up aside.`,
  '',
);
for (const [c, t] of whole) {
  // The inline run with its work on one thread swapped for the same work on two: what threads would
  // take if they cost nothing beyond inline's own start-up and per-trial work.
  const bounds = t.inline.map((x, i) => x.ms / (x.ms - (bare[i]?.one ?? NaN) + (bare[i]?.two ?? NaN)));
  lines.push(`Best whole-process speed-up this machine allows, ${c.label}: inline's wall time over the same with its work on one thread (the bare one-thread time) swapped for the work on two: ${median(bounds).toFixed(2)}x (per round ${bounds.map((b) => b.toFixed(2)).join(', ')}); threads reach ${((median(wall(t.inline)) / median(wall(t.threads))) / median(bounds) * 100).toFixed(0)}% of it.`, '');
}

// Start-up: 2 trials (one per worker) of the same objective, inline and threads alternating.
loadBefore = load();
const startup = await alternate(2, startupRounds, cliWork);
lines.push(
  `Start-up of threads: the same command with \`--trials 2\`, ${startupRounds} rounds alternating. Load average before ${loadBefore}, after ${load()}.`,
  '',
  '| sweep run --trials 2 | median wall s | rounds (s) | median CPU s |',
  '|---|---:|---|---:|',
);
for (const [c, t] of startup) lines.push(cliRow(`${c.label}, --jobs 1 (inline)`, t.inline), cliRow(`${c.label}, --jobs 2 --executor threads`, t.threads));
lines.push('');
for (const [c, t] of startup) {
  const extra = (f: (xs: readonly Timed[]) => number[]): string => ((median(f(t.threads)) - median(f(t.inline))) / 1000).toFixed(2);
  lines.push(`${c.label}: threads take ${extra(wall)} s more wall time and ${extra(cpu)} s more CPU time than inline to start and stop (medians).`);
}
process.stdout.write(`${lines.join('\n')}\n`);
