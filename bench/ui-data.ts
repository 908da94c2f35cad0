// Timing the UI data functions at scale: the study page and trials table of a 5,000-trial study,
// and the runs table's first page with 100,000 runs in the store (SQLite, temp file).
//   node --import tsx bench/ui-data.ts [trials=5000] [runs=100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudy } from '../src/app/create-study.js';
import { hp } from '../src/space/hp.js';
import { SqliteStore } from '../src/tracking/sqlite/sqlite-store.js';
import { runsTable, studyPage, studyTrials } from '../src/ui-data/index.js';

const trials = Number(process.argv[2] ?? 5000);
const runs = Number(process.argv[3] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'sweep-ui-bench-'));
const store = new SqliteStore(join(dir, 'bench.db'));

async function time(label: string, fn: () => Promise<unknown>, repeat = 3): Promise<void> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    const out = await fn();
    ms.push(performance.now() - start);
    bytes = JSON.stringify(out).length;
  }
  process.stdout.write(`${label.padEnd(58)} ${ms.map((m) => m.toFixed(1).padStart(7)).join(' ')} ms   ${(bytes / 1024).toFixed(0)} KiB\n`);
}

try {
  let start = performance.now();
  const study = await createStudy({
    name: 'big', sampler: 'random', seed: 1, storage: store,
    space: { x: hp.uniform(-5, 5), y: hp.uniform(-5, 5), lr: hp.loguniform(1e-5, 1), depth: hp.quniform(1, 12, 1), opt: hp.choice(['adam', 'sgd']) },
  });
  await study.optimize((t) => {
    for (let s = 0; s < 10; s++) t.report((t.params.x - 1) ** 2 + 1 / (s + 1), s);
    return (t.params.x - 1) ** 2 + 0.1 * t.params.y ** 2;
  }, { trials });
  process.stdout.write(`filled ${trials} trials in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  const record = (await store.getStudy('big'))!;
  start = performance.now();
  for (let i = 0; i < runs; i++) {
    const run = await store.createRun({ experimentId: record.experimentId, runName: `run-${i}`, startTime: 1_700_000_000_000 + i });
    await store.logBatch(run.info.runId, { params: { model: i % 3 ? 'cnn' : 'mlp' }, metrics: [{ key: 'acc', value: (i % 997) / 997, timestamp: 1, step: 0 }] });
  }
  process.stdout.write(`filled ${runs} more runs in ${((performance.now() - start) / 1000).toFixed(1)} s\n\n`);
  process.stdout.write(`${'(first call is cold: it reads every trial once)'.padEnd(58)}   1st     2nd     3rd\n`);
  await time(`studyPage, ${trials} trials`, () => studyPage(store, 'big'));
  const { version } = (await studyPage(store, 'big')) as { version: number };
  await time('studyPage poll, nothing changed (?since=)', () => studyPage(store, 'big', { since: version }));
  await time('studyTrials first page (50, by number)', () => studyTrials(store, 'big'));
  await time('studyTrials by value DESC', () => studyTrials(store, 'big', { orderBy: 'value DESC' }));
  await time('studyTrials filter params.x > 0 (cached after 1st)', () => studyTrials(store, 'big', { filter: 'params.x > 0' }));
  await time(`runsTable first page (nested, ${trials + runs + 1} runs)`, () => runsTable(store, record.experimentId));
  await time('runsTable filter + order by metric', () => runsTable(store, record.experimentId, { filter: "params.model = 'mlp'", orderBy: ['metrics.acc DESC'] }));
  await time('runsTable flat (nested=false)', () => runsTable(store, record.experimentId, { nested: false }));
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
