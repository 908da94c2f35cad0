// Executor benchmarks (issue 4): trials per second of a trivial objective on each executor with
// SQLite tracking, and the speedup of --jobs 2 over --jobs 1 on a CPU-bound objective (~50 ms).
// Run: npm run bench:executors [-- --trials 2000 --cpu-trials 200]
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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
    const start = performance.now();
    let acc = 0;
    for (let i = 0; i < work; i++) acc += Math.sqrt(i + 1);
    const ms = performance.now() - start;
    if (ms > 20 && acc > 0) return Math.round((work * targetMs) / ms);
    work *= 2;
  }
}

const lines: string[] = [
  `### Executors (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Command: \`npm run bench:executors -- --trials ${trials} --cpu-trials ${cpuTrials}\`. Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}. SQLite tracking; every trial a child run.`,
  '',
  '| case | trials | wall s | trials/s |',
  '|---|---:|---:|---:|',
];
const row = (name: string, n: number, ms: number): void => {
  lines.push(`| ${name} | ${n} | ${(ms / 1000).toFixed(2)} | ${((n * 1000) / ms).toFixed(0)} |`);
  process.stderr.write(`${lines.at(-1)}\n`);
};

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
process.stdout.write(`${lines.join('\n')}\n`);
