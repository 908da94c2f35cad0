// Model registry costs on SQLite (issue 13): a registry of 1,000 registered models with 5 versions
// each (plus one model with 200 versions), then the median of 20 repetitions of: searching registered
// models (a name LIKE filter, a page of 100), searching versions by run_id, getting one model, and
// the writes that rewrite a model's rows (a new version, a stage transition with
// archive_existing_versions, an alias) on a 5-version and on a 200-version model.
// Prints a markdown section; appends it to bench/RESULTS.md unless --no-append.
// Run: npm run bench:registry
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../src/tracking/sqlite/sqlite-store.js';

const MODELS = 1000;
const VERSIONS = 5;
const BIG = 200;
const REPS = 20;

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sweep-bench-registry-'));
const store = new SqliteStore(join(dir, 'sweep.db'));
const r = store.registry;
const nameOf = (m: number): string => `model-${String(m).padStart(4, '0')}${m % 10 === 0 ? '-gbm' : ''}`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function time(label: string, fn: (i: number) => Promise<unknown>): Promise<[string, number]> {
  const xs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const start = performance.now();
    await fn(i);
    xs.push(performance.now() - start);
  }
  return [label, median(xs)];
}

const seedStart = performance.now();
for (let m = 0; m < MODELS; m++) {
  const name = nameOf(m);
  await r.createRegisteredModel({ name, tags: { team: m % 2 === 0 ? 'a' : 'b' } });
  for (let v = 0; v < VERSIONS; v++) await r.createModelVersion({ name, source: `runs:/run${m}x${v}/model`, runId: `run${m}x${v}` });
}
await r.createRegisteredModel({ name: 'big' });
for (let v = 0; v < BIG; v++) await r.createModelVersion({ name: 'big', source: `runs:/big${v}/model`, runId: `big${v}` });
const seedMs = performance.now() - seedStart;

const results: [string, number][] = [];
results.push(await time(`searchRegisteredModels name LIKE '%gbm%' (${MODELS / 10} of ${MODELS + 1} match), first 100`, () => r.searchRegisteredModels({ filter: "name LIKE '%gbm%'", maxResults: 100 })));
results.push(await time(`searchModelVersions run_id = '...' (1 of ${MODELS * VERSIONS + BIG})`, (i) => r.searchModelVersions({ filter: `run_id = 'run${i}x1'` })));
results.push(await time('getRegisteredModel (5 versions)', (i) => r.getRegisteredModel(nameOf(i * 10 + 1))));
results.push(await time('createModelVersion on a 5-version model', (i) => r.createModelVersion({ name: nameOf(i * 10 + 3), source: 'mlflow-artifacts:/x' })));
results.push(await time(`createModelVersion on a ${BIG}-version model`, () => r.createModelVersion({ name: 'big', source: 'mlflow-artifacts:/x' })));
results.push(await time(`transition to Production, archive_existing_versions, ${BIG}-version model`, (i) => r.transitionModelVersionStage('big', i + 1, 'Production', true)));
results.push(await time(`setRegisteredModelAlias on a ${BIG}-version model`, (i) => r.setRegisteredModelAlias('big', 'champion', i + 1)));
await store.close();
rmSync(dir, { recursive: true, force: true });

const lines = [
  '',
  '## Model registry on SQLite (issue 13)',
  '',
  `- Command: \`npm run bench:registry\` (\`node --import tsx bench/registry.ts\`). Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  `  Machine: \`nproc\` ${cpus().length}, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; shared with other work`,
  `  (load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} at the end: the figures are upper bounds).`,
  `- Store: ${MODELS} registered models x ${VERSIONS} versions, plus one of ${BIG} versions, in a SQLite file (seeded through the`,
  `  store's API in ${(seedMs / 1000).toFixed(1)} s, one transaction per write). Median of ${REPS} repetitions.`,
  '',
  '| operation | median ms |',
  '|---|---:|',
  ...results.map(([label, ms]) => `| ${label} | ${ms.toFixed(2)} |`),
  '',
  'Registry search reads the whole registry (five queries, one per table) and filters in the process (the same code',
  'on every backend), so it grows with the registry; each write rewrites the changed model\'s version rows in its',
  'transaction, so it grows with that model\'s versions.',
];
process.stdout.write(`${lines.join('\n')}\n`);
if (!process.argv.includes('--no-append')) appendFileSync(join(root, 'bench/RESULTS.md'), `${lines.join('\n')}\n`);
