// Many processes on one PostgreSQL study, next to Optuna 3.1 on the same server in the same run:
// 1, 2, 4 and 8 processes of the random and TPE samplers with a trivial objective (trials per second
// from the first trial's start to the last one's end, and the exact count), a 100 ms objective with
// 8 processes, and loading a 10,000-trial study (`sweep best`, `sweep trials --json`) as a whole process.
// Run: npm run bench:pg [-- --trials 2000 --optuna-trials 400 --load-trials 10000] [--processes 1,2 --samplers tpe --table-only]
// Needs PostgreSQL (SWEEP_BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432/test) and, for the
// Optuna rows, python3 with optuna and psycopg2 (Debian: python3-optuna python3-psycopg2).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { numberFlag } from './flags.js';
import { PgStore } from '../src/tracking/postgres/pg-store.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const url = process.env['SWEEP_BENCH_PG_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
const trials = numberFlag('trials', 2000);
const optunaTrials = numberFlag('optuna-trials', 400);
const loadTrials = numberFlag('load-trials', 10_000);
const listFlag = (name: string, fallback: string): string[] => {
  const i = process.argv.indexOf(`--${name}`);
  return (i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback).split(',');
};
const processCounts = listFlag('processes', '1,2,4,8').map(Number);
const samplers = listFlag('samplers', 'random,tpe');
const skipRest = process.argv.includes('--table-only');
const python = process.env['SWEEP_BENCH_PYTHON'] ?? '/usr/bin/python3';

const schemaName = (): string => `bench_pg_${randomBytes(4).toString('hex')}`;

async function sql<T extends pg.QueryResultRow>(schema: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

interface Measured { count: number; complete: number; spanS: number; wallS: number }

// Each worker's output (a line per trial, as `sweep run` prints to a log) goes to a file, as a worker's
// log would: a pipe to this process would make the workers wait for it to be read.
function runProcesses(n: number, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  const logs = mkdtempSync(join(tmpdir(), 'sweep-bench-pg-'));
  return Promise.all(Array.from({ length: n }, (_, i) => new Promise<void>((resolve, reject) => {
    const log = join(logs, `worker-${i}.log`);
    const fd = openSync(log, 'w');
    const child = spawn('nice', ['-n', '5', process.execPath, ...argv], { cwd: root, env: { ...process.env, SWEEP_TRACKING_URI: '', ...env }, stdio: ['ignore', 'ignore', fd] });
    closeSync(fd);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sweep exited ${code}: ${readFileSync(log, 'utf8').slice(-2000)}`))));
  }))).then((): number => {
    rmSync(logs, { recursive: true, force: true });
    return (performance.now() - started) / 1000;
  });
}

async function sweepRun(sampler: string, n: number, budget: number, sleepMs = 0): Promise<Measured> {
  const schema = schemaName();
  const storage = `${url}?schema=${schema}`;
  const wallS = await runProcesses(n, ['dist/src/cli/bin.js', 'run', 'bench/fixtures/pg-study.ts', '--max-trials', String(budget), '--sampler', sampler, '--storage', storage],
    sleepMs > 0 ? { SWEEP_BENCH_SLEEP_MS: String(sleepMs) } : {});
  const [row] = await sql<{ count: string; complete: string; span: number }>(schema,
    "SELECT count(*) AS count, count(*) FILTER (WHERE state = 'COMPLETE') AS complete, (max(end_time) - min(start_time)) / 1000.0 AS span FROM trials");
  await sql('public', `DROP SCHEMA ${schema} CASCADE`);
  return { count: Number(row?.count), complete: Number(row?.complete), spanS: Number(row?.span), wallS };
}

function optunaRun(sampler: string, n: number, budget: number, sleepMs = 0): Measured | undefined {
  const result = spawnSync('nice', ['-n', '5', python, 'bench/optuna/pg_workers.py', url.replace(/^postgres(ql)?:/, 'postgresql+psycopg2:'), schemaName(), sampler, String(n), String(budget), String(sleepMs)],
    { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`optuna: ${result.stderr.slice(-500)}\n`);
    return undefined;
  }
  const out = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { count: number; complete: number; span_s: number; wall_s: number };
  return { count: out.count, complete: out.complete, spanS: out.span_s, wallS: out.wall_s };
}

const rate = (m: Measured): number => m.complete / m.spanS;
const fmt = (x: number, digits = 1): string => x.toFixed(digits);

const lines: string[] = [
  `### Many processes on one PostgreSQL study (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
  '',
  `Command: \`npm run bench:pg -- --trials ${trials} --optuna-trials ${optunaTrials} --load-trials ${loadTrials}\`. ` +
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at the start ` +
    '(shared with other work). PostgreSQL 15 on 127.0.0.1 (synchronous_commit on, fsync on). Every process runs under `nice -n 5`; each sweep worker writes its line per trial to a log file.',
  'trials/s = COMPLETE trials / (last trial end - first trial start), from the database; wall = all processes, start-up included.',
  `Optuna 3.1 (RDBStorage, psycopg2, MaxTrialsCallback as the budget) runs ${optunaTrials} trials per row (its per-trial cost grows with the study, so fewer trials favour it).`,
  '',
  '| sampler | processes | sweep trials (exact?) | sweep trials/s | sweep wall s | Optuna trials (budget) | Optuna trials/s | ratio |',
  '|---|---:|---|---:|---:|---|---:|---:|',
];

for (const sampler of samplers) {
  for (const n of processCounts) {
    const s = await sweepRun(sampler, n, trials);
    const o = optunaRun(sampler, n, optunaTrials);
    const oCell = o ? `${o.count} (${optunaTrials})` : 'n/a';
    lines.push(`| ${sampler} | ${n} | ${s.count} (${s.count === trials ? 'exact' : 'NOT EXACT'}) | ${fmt(rate(s))} | ${fmt(s.wallS)} | ${oCell} | ${o ? fmt(rate(o)) : 'n/a'} | ${o ? `${fmt(rate(s) / rate(o))}x` : '-'} |`);
    process.stderr.write(`${lines[lines.length - 1]}\n`);
  }
}

if (skipRest) {
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}
const slow = await sweepRun('random', 8, 400, 100);
lines.push('', `100 ms objective, 8 processes, random, 400 trials: ${fmt(rate(slow))} trials/s = ${fmt((100 * rate(slow)) / 80, 0)}% of the ideal 80 trials/s (${slow.count} trials, wall ${fmt(slow.wallS)} s).`);
process.stderr.write(`${lines[lines.length - 1]}\n`);

// A study of loadTrials finished trials, written through the store (8 concurrent writers), then read by whole processes.
const schema = schemaName();
const storage = `${url}?schema=${schema}`;
const store = new PgStore(storage);
const study = await store.createStudy({ name: 'big', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
let next = 0;
const writeStart = performance.now();
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < loadTrials) {
    next++;
    const x = Math.random();
    const t = await store.createTrial(study.studyId, { workerId: 'bench', params: [{ name: 'x', value: x, label: String(x), distribution: { kind: 'uniform', low: 0, high: 1 } as never }] });
    await store.finishTrial(t.trialId, { state: 'COMPLETE', value: x });
  }
}));
const writeS = (performance.now() - writeStart) / 1000;
await store.close();
const timeCli = (args: string[]): number => {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['dist/src/cli/bin.js', ...args, '--storage', storage], { cwd: root, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`sweep ${args.join(' ')} exited ${r.status}`);
  return (performance.now() - start) / 1000;
};
const startup = Math.min(...[0, 1].map(() => timeCli(['--version'])));
const best = Math.min(...[0, 1, 2].map(() => timeCli(['best', '--study', 'big'])));
const listed = Math.min(...[0, 1, 2].map(() => timeCli(['trials', 'big', '--json'])));
lines.push(`Loading a ${loadTrials}-trial study as a whole process (best of 3): \`sweep best\` ${fmt(best, 2)} s, \`sweep trials --json\` ${fmt(listed, 2)} s ` +
  `(\`sweep --version\` alone ${fmt(startup, 2)} s). Writing it with 8 concurrent writers in one process took ${fmt(writeS)} s (${fmt(loadTrials / writeS, 0)} trials/s: a create and a durable finish each).`);
await sql('public', `DROP SCHEMA ${schema} CASCADE`);
process.stdout.write(`${lines.join('\n')}\n`);
