// Issue 5 benchmarks: run search and metric ingest at 100,000 runs. Seeds a SQLite store (1,000
// studies x 100 trials; 5 params, 3 metrics with 20-step histories each) with batched prepared
// statements, then times: a filtered, ordered search returning 100 runs through store.searchRuns
// and through a running server (HTTP on 127.0.0.1), `sweep best` and `sweep runs search` as whole
// processes, and metric ingest through store.logBatch and the server's log-batch endpoint.
// Prints a markdown section and appends it to bench/RESULTS.md.
// Run: npm run bench:search [-- --db /tmp/x.db (reused when it exists) --no-append]
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../src/server/start.js';
import { openDatabase, type Db } from '../src/tracking/sqlite/connection.js';
import { SqliteStore } from '../src/tracking/sqlite/sqlite-store.js';
import type { SearchRunsQuery } from '../src/tracking/search/query.js';
import type { Metric } from '../src/tracking/entities.js';

const STUDIES = 1000;
const TRIALS = 100;
const STEPS = 20;
const METRICS = ['loss', 'acc', 'time'] as const;
const FILTER = "metrics.loss < 0.5 and params.opt = 'adam'";
const TARGET_SERVER_MS = 50;
const TARGET_CLI_MS = 300;
const TARGET_INGEST = 100_000;

const root = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
const dbFlag = argv.indexOf('--db');
const tempDirectory = mkdtempSync(join(tmpdir(), 'sweep-bench-search-'));
const path = dbFlag >= 0 ? (argv[dbFlag + 1] as string) : join(tempDirectory, 'sweep.db');
const cliBin = join(root, 'dist/src/cli/bin.js');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const rows: string[] = [];
const verdict = (value: number, target: number, lowerIsBetter = true): string =>
  (lowerIsBetter ? value < target : value > target) ? 'met' : '**missed**';

const started = performance.now();
let seedSeconds: number | undefined;
if (!existsSync(path)) seed(path);
else log(`reusing ${path}`);

const store = new SqliteStore(path);
const experimentIds = (await store.listExperiments()).filter((e) => e.name.startsWith('study-')).map((e) => e.experimentId);
const oneStudy = 'study-500';
const oneExperiment = (await store.getExperimentByName(oneStudy))?.experimentId ?? '1';
const query = (ids: string[], extra: Partial<SearchRunsQuery> = {}): SearchRunsQuery => ({
  experimentIds: ids, filter: FILTER, orderBy: ['metrics.loss'], maxResults: 100, ...extra,
});

// --- (a) search: library and server ---
const searchCases: [string, SearchRunsQuery][] = [
  ['all 1,000 experiments (100,000 runs)', query(experimentIds)],
  ['one experiment (100 runs)', query([oneExperiment])],
  ['nested (sweep extension): all experiments, 100 top-level runs with their matching children', query(experimentIds, { nested: true })],
  ['nested (sweep extension): one experiment', query([oneExperiment], { nested: true })],
];
const server = await startServer({ store, port: 0 });
const searchRows: string[] = [];
for (const [name, q] of searchCases) {
  const lib = await timeMany(20, async () => {
    const page = await store.searchRuns(q);
    return page.items.length + Object.values(page.children ?? {}).reduce((n, runs) => n + runs.length, 0);
  });
  const body = JSON.stringify({
    experiment_ids: q.experimentIds, filter: q.filter, order_by: q.orderBy, max_results: q.maxResults, ...(q.nested && { nested: true }),
  });
  const http = await timeMany(20, async () => {
    const res = await fetch(`${server.url}/api/2.0/mlflow/runs/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = (await res.json()) as { runs?: unknown[] };
    if (res.status !== 200) throw new Error(`runs/search answered ${res.status}: ${JSON.stringify(json)}`);
    return json.runs?.length ?? 0;
  });
  searchRows.push(`| ${name} | ${lib.count} | ${ms(lib.median)} | ${ms(http.median)} | ${q.nested ? '- (no target)' : verdict(http.median, TARGET_SERVER_MS)} |`);
  log(`search ${name}: ${lib.count} runs, library ${ms(lib.median)} ms, server ${ms(http.median)} ms`);
}

// --- (d) ingest: library and server ---
const ingestExperiment = await store.createExperiment(`ingest-${Date.now()}`);
const points = (batch: number, run: number): Metric[] => Array.from({ length: 1000 }, (_, i) => ({
  key: `m${i % 10}`, value: Math.sin(batch * 1000 + i + run), step: batch * 100 + Math.floor(i / 10), timestamp: 1_700_000_000_000 + batch * 1000 + i,
}));
const libRun = await store.createRun({ experimentId: ingestExperiment.experimentId, runName: 'ingest-library' });
const LIB_BATCHES = 1000;
const t0 = performance.now();
for (let b = 0; b < LIB_BATCHES; b++) await store.logBatch(libRun.info.runId, { metrics: points(b, 0) });
const libRate = (LIB_BATCHES * 1000) / ((performance.now() - t0) / 1000);
const httpRun = await store.createRun({ experimentId: ingestExperiment.experimentId, runName: 'ingest-server' });
const HTTP_BATCHES = 200;
const bodies = Array.from({ length: HTTP_BATCHES }, (_, b) => JSON.stringify({
  run_id: httpRun.info.runId, metrics: points(b, 1).map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step })),
}));
const t1 = performance.now();
for (const body of bodies) {
  const res = await fetch(`${server.url}/api/2.0/mlflow/runs/log-batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (res.status !== 200) throw new Error(`log-batch answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}
const httpRate = (HTTP_BATCHES * 1000) / ((performance.now() - t1) / 1000);
log(`ingest: library ${Math.round(libRate)} points/s, server ${Math.round(httpRate)} points/s`);
await server.close();
await store.close();

// --- (b), (c) whole CLI processes ---
const storage = `sqlite:${path}`;
const cliCases: [string, string[]][] = [
  [`sweep best --study ${oneStudy}`, ['best', '--study', oneStudy]],
  [`sweep runs search --filter "${FILTER}" --order-by metrics.loss --max-results 100 (every experiment)`,
    ['runs', 'search', '--filter', FILTER, '--order-by', 'metrics.loss', '--max-results', '100']],
  [`sweep runs search --experiment ${oneStudy} --filter "${FILTER}" --order-by metrics.loss`,
    ['runs', 'search', '--experiment', oneStudy, '--filter', FILTER, '--order-by', 'metrics.loss']],
  ['node -e "" (bare node start-up, for reference)', []],
];
const cliRows: string[] = [];
for (const [name, args] of cliCases) {
  const command = args.length === 0 ? ['-e', ''] : [cliBin, ...args, '--storage', storage];
  const once = (): number => {
    const start = performance.now();
    const result = spawnSync(process.execPath, command, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`sweep ${args.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
    return performance.now() - start;
  };
  once(); // warm the file cache
  const times = Array.from({ length: 5 }, once);
  const target = args.length === 0 ? '-' : verdict(median(times), TARGET_CLI_MS);
  cliRows.push(`| \`${name}\` | ${ms(median(times))} | ${times.map((t) => t.toFixed(0)).join(', ')} | ${target} |`);
  log(`cli ${name}: median ${ms(median(times))} ms`);
}

rows.push(
  '## Search and ingest (issue 5)',
  '',
  `- Command: \`npm run bench:search${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\` (\`node --import tsx bench/search.ts\`). Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  `- Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')}.`,
  `- Store: SQLite file, ${STUDIES} studies x ${TRIALS} trials (+1 parent run each: ${STUDIES * (TRIALS + 1)} runs), 5 params, 3 metrics x ${STEPS} steps per trial` +
    ` (${(STUDIES * TRIALS * METRICS.length * STEPS / 1e6).toFixed(0)} M metric rows), seeded through batched prepared statements${seedSeconds === undefined ? ' (file reused)' : ` in ${seedSeconds.toFixed(0)} s`}.`,
  `- Search: \`${FILTER}\`, order by \`metrics.loss\`, 100 runs a page; median of 20 after the first. Server: \`startServer\` on 127.0.0.1, POST runs/search with fetch (keep-alive), full MLflow JSON response. Target < ${TARGET_SERVER_MS} ms in the server.`,
  '',
  '| search | runs returned (nested: with children) | store.searchRuns ms | server ms | target |',
  '|---|---:|---:|---:|---|',
  ...searchRows,
  '',
  `Whole processes (\`node dist/src/cli/bin.js ... --storage sqlite:<file>\`), median of 5 after a warm-up; target < ${TARGET_CLI_MS} ms.`,
  '',
  '| command | median ms | runs (ms) | target |',
  '|---|---:|---|---|',
  ...cliRows,
  '',
  `Ingest: metric points per second, 1,000-point batches (10 keys x 100 steps) into one run of the seeded file; target > ${TARGET_INGEST.toLocaleString('en-US')}/s through the library.`,
  '',
  '| path | batches | points/s | target |',
  '|---|---:|---:|---|',
  `| \`store.logBatch\` (library) | ${LIB_BATCHES} | ${Math.round(libRate).toLocaleString('en-US')} | ${verdict(libRate, TARGET_INGEST, false)} |`,
  `| POST runs/log-batch (server, one client, sequential) | ${HTTP_BATCHES} | ${Math.round(httpRate).toLocaleString('en-US')} | - |`,
  '',
  `Whole bench: ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  '',
);
const section = rows.join('\n');
process.stdout.write(`${section}\n`);
if (!argv.includes('--no-append')) appendFileSync(join(root, 'bench/RESULTS.md'), `\n${section}`);
rmSync(tempDirectory, { recursive: true, force: true }); // the seeded file too, unless --db put it elsewhere

// --- internal ---

async function timeMany(n: number, body: () => Promise<number>): Promise<{ median: number; count: number }> {
  const count = await body(); // warm-up: prepares the statements, fills the page cache
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  return { median: median(times), count };
}

/** Rows as the store writes them (runs, system tags, params, history + latest metrics, studies, trials). */
function seed(file: string): void {
  const start = performance.now();
  const db: Db = openDatabase(file);
  db.pragma('cache_size = -262144');
  let state = 42;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  let counter = 0;
  const base = 1_700_000_000_000;
  const runId = (time: number): string => `${time.toString(16).padStart(12, '0')}7${(counter++).toString(16).padStart(19, '0')}`;
  const insertExperiment = db.prepare('INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (?, ?, ?, ?)');
  const setLocation = db.prepare('UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?');
  const insertRun = db.prepare(
    `INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, artifact_uri, user_id, parent_run_id)
     VALUES (?, ?, ?, 'FINISHED', ?, ?, ?, 'bench', ?)`,
  );
  const values = (n: number, width: number): string => Array.from({ length: n }, () => `(${Array(width).fill('?').join(', ')})`).join(', ');
  const insertTags = (n: number) => db.prepare(`INSERT INTO tags (run_id, key, value) VALUES ${values(n, 3)}`);
  const trialTags = insertTags(7);
  const parentTags = insertTags(6);
  const insertParams = db.prepare(`INSERT INTO params (run_id, key, value) VALUES ${values(5, 3)}`);
  const insertHistory = db.prepare(`INSERT INTO metrics (run_id, key, step, timestamp, value) VALUES ${values(METRICS.length * STEPS, 5)}`);
  const insertLatest = db.prepare(`INSERT INTO latest_metrics (run_id, key, step, timestamp, value) VALUES ${values(METRICS.length, 5)}`);
  const insertParentLatest = db.prepare('INSERT INTO latest_metrics (run_id, key, step, timestamp, value) VALUES (?, ?, ?, ?, ?)');
  const insertStudy = db.prepare(
    `INSERT INTO studies (name, experiment_id, parent_run_id, directions, metric, space, sampler, pruner, seed, created_time, seq)
     VALUES (?, ?, ?, '["minimize"]', 'loss', ?, '{"name":"random"}', NULL, 1, ?, ?)`,
  );
  const insertTrial = db.prepare(
    `INSERT INTO trials (study_id, number, run_id, state, value, params, distributions, start_time, end_time, seq)
     VALUES (?, ?, ?, 'COMPLETE', ?, ?, ?, ?, ?, ?)`,
  );
  const opts = ['adam', 'sgd', 'rmsprop'];
  const space = JSON.stringify({
    batch: { $dist: 'choice', options: [16, 32, 64, 128] }, dropout: { $dist: 'uniform', high: 0.5, low: 0 },
    layers: { $dist: 'randint', high: 9, low: 1 }, lr: { $dist: 'loguniform', high: 0.1, low: 1e-5 }, opt: { $dist: 'choice', options: opts },
  });
  const distributions = JSON.stringify({
    opt: { kind: 'choice', n: 3, labels: opts, constants: opts },
    lr: { kind: 'loguniform', low: 1e-5, high: 0.1 },
    batch: { kind: 'choice', n: 4, labels: ['16', '32', '64', '128'], constants: [16, 32, 64, 128] },
    layers: { kind: 'randint', low: 1, high: 9 },
    dropout: { kind: 'uniform', low: 0, high: 0.5 },
  });
  const seedStudy = (s: number): void => {
    const t = base + s * 1_000_000;
    const name = `study-${s}`;
    const experimentId = Number(insertExperiment.run(name, '', t, t).lastInsertRowid);
    const location = join(tempDirectory, 'artifacts', String(experimentId));
    setLocation.run(location, experimentId);
    const parent = runId(t);
    insertRun.run(parent, experimentId, name, t, t + 900_000, join(location, parent, 'artifacts'), null);
    const metricArgs: (string | number)[] = [];
    const trialRows: [string, number, number, string, number][] = [];
    let best = { value: Infinity, number: 0 };
    for (let k = 0; k < TRIALS; k++) {
      const start = t + 1000 + k * 1000;
      const id = runId(start);
      insertRun.run(id, experimentId, `${name}-${k}`, start, start + 900, join(location, id, 'artifacts'), parent);
      trialTags.run(id, 'mlflow.runName', `${name}-${k}`, id, 'mlflow.parentRunId', parent, id, 'mlflow.user', 'bench',
        id, 'sweep.study', name, id, 'sweep.trial', String(k), id, 'sweep.role', 'trial', id, 'sweep.state', 'COMPLETE');
      const p = { opt: Math.floor(random() * 3), lr: 10 ** (-5 + 4 * random()), batch: Math.floor(random() * 4), layers: 1 + Math.floor(random() * 8), dropout: random() / 2 };
      insertParams.run(id, 'opt', opts[p.opt] as string, id, 'lr', String(p.lr), id, 'batch', ['16', '32', '64', '128'][p.batch] as string,
        id, 'layers', String(p.layers), id, 'dropout', String(p.dropout));
      metricArgs.length = 0;
      const finals: number[] = [];
      for (const key of METRICS) {
        const final = key === 'time' ? 10 + 50 * random() : random();
        finals.push(final);
        for (let step = 0; step < STEPS; step++) {
          const value = key === 'acc' ? final * (step + 1) / STEPS : final * (1 + (STEPS - 1 - step) / STEPS);
          metricArgs.push(id, key, step, start + step, value);
        }
      }
      insertHistory.run(...metricArgs);
      insertLatest.run(...METRICS.flatMap((key, i) => [id, key, STEPS - 1, start + STEPS - 1, finals[i] as number]));
      const loss = finals[0] as number;
      if (loss < best.value) best = { value: loss, number: k };
      trialRows.push([id, k, loss, JSON.stringify(p), start]);
    }
    insertParentLatest.run(parent, 'loss', best.number, t + 900_000, best.value);
    parentTags.run(parent, 'mlflow.runName', name, parent, 'mlflow.user', 'bench', parent, 'sweep.study', name,
      parent, 'sweep.role', 'study', parent, 'sweep.best_trial', String(best.number), parent, 'sweep.seeded', 'yes');
    const studyId = Number(insertStudy.run(name, experimentId, parent, space, t, TRIALS).lastInsertRowid);
    for (const [id, k, loss, params, startTime] of trialRows) {
      insertTrial.run(studyId, k, id, loss, params, distributions, startTime, startTime + 900, k + 1);
    }
  };
  const batch = db.transaction((from: number, to: number) => {
    for (let s = from; s < to; s++) seedStudy(s);
  });
  for (let s = 0; s < STUDIES; s += 50) batch(s, Math.min(STUDIES, s + 50));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  seedSeconds = (performance.now() - start) / 1000;
  log(`seeded ${counter} runs into ${file} in ${seedSeconds.toFixed(1)} s`);
}
