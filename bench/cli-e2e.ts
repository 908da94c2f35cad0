// End-to-end cost of `sweep run` on the quadratic example with SQLite tracking: whole-process wall
// time (start-up included) for N random-sampler trials, median of several fresh runs.
// Run: npm run bench:cli [-- --trials 1000 --repeat 5]
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberFlag } from './flags.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const trials = numberFlag('trials', 1000);
const repeat = numberFlag('repeat', 5);

function timeRun(command: string, argv: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-'));
  const start = performance.now();
  const result = spawnSync(command, argv, { cwd: root, env: { ...process.env, SWEEP_TRACKING_URI: `sqlite:${join(dir, 'sweep.db')}` }, stdio: 'ignore' });
  const ms = performance.now() - start;
  rmSync(dir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(' ')} exited ${result.status}`);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const study = 'examples/quadratic/study.ts';
const cases: [string, string, string[]][] = [
  ['startup only (--trials 0)', process.execPath, ['dist/src/cli/bin.js', 'run', study, '--trials', '0']],
  [`${trials} random trials, node dist/src/cli/bin.js`, process.execPath, ['dist/src/cli/bin.js', 'run', study, '--trials', String(trials)]],
  [`${trials} random trials, npx sweep`, 'npx', ['sweep', 'run', study, '--trials', String(trials), '--sampler', 'random']],
];

const lines = [
  `### sweep run, end to end (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Command: \`npm run bench:cli -- --trials ${trials} --repeat ${repeat}\`. Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}.`,
  'Whole-process wall time with a fresh SQLite file each run (every trial a tracked child run); median of the runs.',
  '',
  '| case | median s | runs (s) | ms per trial |',
  '|---|---:|---|---:|',
];
let startup = 0;
for (const [name, command, argv] of cases) {
  timeRun(command, argv); // warm the file cache and tsx's transform cache
  const runs = Array.from({ length: repeat }, () => timeRun(command, argv));
  const m = median(runs);
  if (name.startsWith('startup')) startup = m;
  const perTrial = name.startsWith('startup') ? '-' : ((m - startup) / trials).toFixed(3);
  lines.push(`| ${name} | ${(m / 1000).toFixed(2)} | ${runs.map((r) => (r / 1000).toFixed(2)).join(', ')} | ${perTrial} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
