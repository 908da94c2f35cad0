// `npm run bench:overhead`: (1) ms per TPE suggestion at 100 / 1,000 / 5,000 finished trials, on 5
// continuous params and on a 10-param mixed space, sampler alone; (2) end to end: N trials of a trivial
// objective through createStudy with the SQLite store, as compiled JS (process wall time) and under tsx.
// (3) with --fixed K: the same 10 suggestions at a fixed history of K trials, repeated (fastest and median), a
// steadier comparison of two revisions on a loaded machine; with --grow, each of them joins the history before
// the next (as in a study: what caches kept across suggestions see).
//   node --import tsx bench/overhead.ts [--checkpoints 100,1000,5000] [--e2e 1000,5000] [--fixed 1000 [--grow]] [--parallel 1] [--markdown out.md]
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TPESampler, type TpeUserOptions } from '../samplers/tpe/index.js';
import { timeFixed, timeRun, type FixedTiming, type SuggestTiming } from './overhead-suggest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

interface SuggestJob {
  readonly label: string;
  readonly options: TpeUserOptions;
  readonly space: string;
  readonly checkpoints: readonly number[];
  /** Time the same suggestions at this fixed history instead (timeFixed). */
  readonly fixed?: number;
  readonly grow?: boolean;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) {
    const job = JSON.parse(args.worker) as SuggestJob;
    const make = (): TPESampler => new TPESampler(job.options);
    process.stdout.write(JSON.stringify(job.fixed !== undefined ? timeFixed(make, job.space, job.fixed, 40, job.grow === true) : timeRun(make, job.space, job.checkpoints)));
    return;
  }
  const lines: string[] = [];
  const log = (line = ''): void => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  log(`Load average at start: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${cpus().length} CPUs).`);
  log('');
  log('Sampler alone: median ms per suggestion over the 25 suggestions ending at k finished trials (one run growing to the largest k; wall and CPU time).');
  log('');
  log(`| profile | space | ${args.checkpoints.map((k) => `@${k.toLocaleString('en')} wall / cpu`).join(' | ')} |`);
  log(`|---|---|${args.checkpoints.map(() => '---:').join('|')}|`);
  const jobs: SuggestJob[] = [];
  for (const [label, options] of [['default', {}], ['optuna', { profile: 'optuna' }]] as const) {
    for (const space of ['continuous5', 'mixed10']) jobs.push({ label, options, space, checkpoints: args.checkpoints });
  }
  const results = await runJobs(jobs, args.parallel);
  jobs.forEach((job, i) => {
    const cells = (results[i] as SuggestTiming[]).map((t) => `${t.wallMs.toFixed(2)} / ${t.cpuMs.toFixed(2)}`);
    log(`| tpe ${job.label} | ${job.space} | ${cells.join(' | ')} |`);
  });
  if (args.fixed !== undefined) {
    const fixedJobs = jobs.map((job) => ({ ...job, fixed: args.fixed, grow: args.grow }));
    const fixed = (await runJobs(fixedJobs, args.parallel)) as FixedTiming[];
    log('');
    log(
      args.grow
        ? `10 suggestions from a history of ${args.fixed.toLocaleString('en')} trials, each joining it before the next, 40 repeats (up to ${(args.fixed + 400).toLocaleString('en')} trials): CPU ms per suggestion, fastest / median repeat.`
        : `The same 10 suggestions at a fixed history of ${args.fixed.toLocaleString('en')} trials, 40 repeats: CPU ms per suggestion, fastest / median repeat.`,
    );
    log('');
    log('| profile | space | fastest | median |');
    log('|---|---|---:|---:|');
    fixedJobs.forEach((job, i) => log(`| tpe ${job.label} | ${job.space} | ${(fixed[i] as FixedTiming).minMs.toFixed(3)} | ${(fixed[i] as FixedTiming).medianMs.toFixed(3)} |`));
  }
  log('');
  if (args.e2e.length === 0) {
    log(`Load average at end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}.`);
    if (args.markdown) writeFileSync(args.markdown, `${lines.join('\n')}\n`);
    return;
  }
  log('End to end, SQLite store, createStudy + optimize, trivial 5-param objective (every trial a tracked child run):');
  log('');
  log('| sampler | trials | runtime | process wall s | optimize s | trials/s (optimize) |');
  log('|---|---:|---|---:|---:|---:|');
  const compiled = compileForE2e();
  try {
    for (const trials of args.e2e) {
      for (const sampler of [{ name: 'tpe' }, { name: 'random' }]) {
        for (const runtime of ['compiled JS', 'tsx'] as const) {
          const argv = runtime === 'tsx' ? ['--import', 'tsx', join(ROOT, 'bench/overhead-e2e.ts')] : [join(compiled, 'bench/overhead-e2e.js')];
          const r = await timeProcess([...argv, String(trials), JSON.stringify(sampler)]);
          log(`| ${sampler.name} | ${trials.toLocaleString('en')} | ${runtime} | ${(r.wallMs / 1000).toFixed(2)} | ${(r.optimizeMs / 1000).toFixed(2)} | ${Math.round(trials / (r.optimizeMs / 1000)).toLocaleString('en')} |`);
        }
      }
    }
  } finally {
    rmSync(compiled, { recursive: true, force: true });
  }
  log('');
  log(`Load average at end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}.`);
  if (args.markdown) writeFileSync(args.markdown, `${lines.join('\n')}\n`);
}

// --- internal ---

interface Args {
  /** Suggestion-cost jobs run at once (1 keeps them from competing for the 2 cores). */
  parallel: number;
  checkpoints: number[];
  e2e: number[];
  fixed?: number;
  grow: boolean;
  markdown?: string;
  worker?: string;
}

function parseArgs(argv: string[]): Args {
  const out: Args = { parallel: 1, checkpoints: [100, 1000, 5000], e2e: [1000, 5000], grow: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string => argv[++i] ?? '';
    if (flag === '--checkpoints') out.checkpoints = next().split(',').map(Number);
    else if (flag === '--e2e') out.e2e = next().split(',').filter(Boolean).map(Number);
    else if (flag === '--markdown') out.markdown = next();
    else if (flag === '--fixed') out.fixed = Number(next());
    else if (flag === '--grow') out.grow = true;
    else if (flag === '--parallel') out.parallel = Number(next());
    else if (flag === '--worker') out.worker = next();
    else throw new Error(`unknown argument ${flag}`);
  }
  return out;
}

/** Runs suggestion jobs in child processes, `parallel` at a time; results in job order. */
async function runJobs(jobs: readonly SuggestJob[], parallel: number): Promise<unknown[]> {
  const results: unknown[] = new Array(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await new Promise((resolve, reject) => {
        let out = '';
        const child = fork(SELF, ['--worker', JSON.stringify(jobs[i])], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
        child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`suggestion job exited with ${code}`))));
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return results;
}

/** Compiles src, samplers and the e2e script to plain JS in a temp dir (so no loader runs at start-up). */
function compileForE2e(): string {
  const out = mkdtempSync(join(tmpdir(), 'sweep-overhead-'));
  try {
    compileInto(out);
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    throw error;
  }
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  return out;
}

function compileInto(out: string): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '--outDir', out, '--rootDir', ROOT, '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--skipLibCheck', '--noCheck', '--types', 'node', join(ROOT, 'bench/overhead-e2e.ts')],
    { stdio: 'inherit' },
  );
}

/** Wall time of a whole child process, plus the JSON line it prints. */
function timeProcess(argv: string[]): Promise<{ wallMs: number; optimizeMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let out = '';
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`e2e run exited with ${code}`));
      const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { optimizeMs: number };
      resolve({ wallMs, optimizeMs: r.optimizeMs });
    });
  });
}

await main();
