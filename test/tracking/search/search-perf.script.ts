// Performance sanity check for run search (not a test): seeds 100,000 runs (1,000 studies x 100
// trials; 5 params, 3 metrics with 20-step histories), times one filtered, ordered search returning
// 100 runs and prints its EXPLAIN QUERY PLAN. Run: npx tsx test/tracking/search/search-perf.script.ts [db path]
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../../../src/tracking/sqlite/connection.js';
import { planSearch, searchRunIds, type SearchRunsQuery } from '../../../src/tracking/search/index.js';

const STUDIES = 1000;
const TRIALS = 100;
const STEPS = 20;

const path = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'sweep-search-perf-')), 'perf.db');
const isFresh = !existsSync(path);
const db = openDatabase(path);
if (isFresh) seed(db);

const allExperiments = (db.prepare('SELECT experiment_id FROM experiments').pluck().all() as number[]).map(String);
const cases: [string, SearchRunsQuery][] = [
  ['bench: loss < 0.5 and opt = adam, by loss, 100 of 100k (all 1,000 experiments)', {
    experimentIds: allExperiments, filter: 'metrics.loss < 0.5 and params.opt = \'adam\'', orderBy: ['metrics.loss'], maxResults: 100,
  }],
  ['same, ordered by metrics.loss DESC', {
    experimentIds: allExperiments, filter: 'metrics.loss < 0.5 and params.opt = \'adam\'', orderBy: ['metrics.loss DESC'], maxResults: 100,
  }],
  ['params.opt = adam only, by metrics.acc DESC (LEFT JOIN sort)', {
    experimentIds: allExperiments, filter: 'params.opt = \'adam\'', orderBy: ['metrics.acc DESC'], maxResults: 100,
  }],
  ['extension: params.lr < 0.001 OR metrics.acc > 0.99, default order', {
    experimentIds: allExperiments, filter: 'params.lr < 0.001 OR metrics.acc > 0.99', maxResults: 100,
  }],
  ['one study (100 runs): same filter and order', {
    experimentIds: allExperiments.slice(0, 1), filter: 'metrics.loss < 0.5 and params.opt = \'adam\'', orderBy: ['metrics.loss'], maxResults: 100,
  }],
  ['100 studies (10,000 runs): same filter and order', {
    experimentIds: allExperiments.slice(0, 100), filter: 'metrics.loss < 0.5 and params.opt = \'adam\'', orderBy: ['metrics.loss'], maxResults: 100,
  }],
];

for (const [name, query] of cases) {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    count = searchRunIds(db, query).runIds.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const { sql, args } = planSearch(db, query);
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
  console.log(`\n${name}\n  ${count} runs, median ${(times[6] as number).toFixed(2)} ms (min ${(times[0] as number).toFixed(2)} ms)`);
  for (const row of plan) console.log(`  plan: ${row.detail}`);
}
db.close();
console.log(`\ndatabase: ${path}`);

// --- internal ---

function seed(db: Db): void {
  const t0 = performance.now();
  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const insertExperiment = db.prepare(
    'INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (?, ?, 0, 0)',
  );
  const insertRun = db.prepare(
    `INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, artifact_uri, user_id, parent_run_id)
     VALUES (?, ?, ?, 'FINISHED', ?, ?, '/tmp/a', 'bench', ?)`,
  );
  const insertParam = db.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)');
  const insertTag = db.prepare('INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?)');
  const insertMetric = db.prepare('INSERT INTO metrics (run_id, key, step, timestamp, value) VALUES (?, ?, ?, ?, ?)');
  const insertLatest = db.prepare('INSERT INTO latest_metrics (run_id, key, step, timestamp, value) VALUES (?, ?, ?, ?, ?)');
  let n = 0;
  const id = (): string => (n++).toString(16).padStart(32, '0');
  db.transaction(() => {
    for (let s = 0; s < STUDIES; s++) {
      const experimentId = Number(insertExperiment.run(`study-${s}`, `/tmp/${s}`).lastInsertRowid);
      const parent = id();
      const t = 1_700_000_000_000 + s * 1_000_000;
      insertRun.run(parent, experimentId, `study-${s}`, t, t + 900_000, null);
      insertTag.run(parent, 'mlflow.runName', `study-${s}`);
      for (let k = 0; k < TRIALS; k++) {
        const runId = id();
        const start = t + k * 1000;
        insertRun.run(runId, experimentId, `study-${s}-${k}`, start, start + 900, parent);
        insertTag.run(runId, 'mlflow.runName', `study-${s}-${k}`);
        insertTag.run(runId, 'mlflow.parentRunId', parent);
        insertParam.run(runId, 'opt', ['adam', 'sgd', 'rmsprop'][Math.floor(random() * 3)]);
        insertParam.run(runId, 'lr', String(10 ** (-5 + 4 * random())));
        insertParam.run(runId, 'batch', String([16, 32, 64, 128][Math.floor(random() * 4)]));
        insertParam.run(runId, 'layers', String(1 + Math.floor(random() * 8)));
        insertParam.run(runId, 'dropout', String(Math.round(random() * 50) / 100));
        for (const key of ['loss', 'acc', 'time']) {
          let value = 0;
          for (let step = 0; step < STEPS; step++) {
            value = random();
            insertMetric.run(runId, key, step, start + step, value);
          }
          insertLatest.run(runId, key, STEPS - 1, start + STEPS - 1, value);
        }
      }
    }
  })();
  console.log(`seeded ${n} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
