// A small store of real rows, written twice: into SQLite through the store's own RunStatements, and
// into in-memory RunRows through the MemoryStore's logBatchToRow. Run ids are the run names below.
import { openDatabase, type Db } from '../../../src/tracking/sqlite/connection.js';
import { RunStatements } from '../../../src/tracking/sqlite/run-statements.js';
import { logBatchToRow, type RunRow } from '../../../src/tracking/memory-runs.js';
import type { Metric, RunInfo, RunStatus } from '../../../src/tracking/entities.js';

interface FixtureRun {
  id: string;
  experimentId?: string;
  name: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  userId: string;
  parentRunId?: string;
  isDeleted?: boolean;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  /** [key, step, value] in logging order. */
  metrics?: [string, number, number][];
}

/*
 * Experiment 1, active: p1 (a study's parent) with children r1..r4, and top-level r5, r7, r8.
 * r6 is deleted; r9 lives in experiment 2. r3's loss is NaN; r5's latest loss is step 2 (0.3) although
 * step 1 (0.1) was logged after it; r3 and r4 start at the same time (run_id breaks the tie).
 */
export const RUNS: FixtureRun[] = [
  { id: 'p1', name: 'study-a', status: 'RUNNING', startTime: 1000, endTime: null, userId: 'alice', tags: { 'sweep.role': 'study' } },
  {
    id: 'r1', name: 'study-a-0', status: 'FINISHED', startTime: 1100, endTime: 1150, userId: 'alice', parentRunId: 'p1',
    params: { opt: 'adam', lr: '0.01', batch: '32' }, tags: { team: 'ml', pat: 'axb1' },
    metrics: [['loss', 0, 0.9], ['loss', 1, 0.3], ['acc', 1, 0.8]],
  },
  {
    id: 'r2', name: 'study-a-1', status: 'FINISHED', startTime: 1200, endTime: 1250, userId: 'alice', parentRunId: 'p1',
    params: { opt: 'sgd', lr: '1e-3', batch: '64' }, tags: { team: 'ML' }, metrics: [['loss', 0, 0.6], ['acc', 0, 0.7]],
  },
  {
    id: 'r3', name: 'study-a-2', status: 'FAILED', startTime: 1300, endTime: 1310, userId: 'alice', parentRunId: 'p1',
    params: { opt: 'adam', lr: '0.1' }, metrics: [['loss', 0, Number.NaN], ['acc', 0, 0.9]],
  },
  {
    id: 'r4', name: 'study-a-3', status: 'KILLED', startTime: 1300, endTime: 1320, userId: 'bob', parentRunId: 'p1',
    params: { opt: 'adam', lr: 'abc' }, metrics: [['acc', 0, 0.95], ['f1-score', 0, 0.5]],
  },
  {
    id: 'r5', name: 'baseline', status: 'FINISHED', startTime: 900, endTime: 990, userId: 'bob',
    params: { opt: 'rmsprop', lr: '0.001', 'my key': 'v' }, tags: { 'run group': 'g1', team: 'ml' },
    metrics: [['loss', 2, 0.3], ['loss', 1, 0.1]],
  },
  {
    id: 'r6', name: 'gone', status: 'FINISHED', startTime: 1400, endTime: 1401, userId: 'alice', isDeleted: true,
    params: { opt: 'adam' }, metrics: [['loss', 0, 0.1]],
  },
  {
    id: 'r7', name: 'Ünïcode_run', status: 'FINISHED', startTime: 800, endTime: 850, userId: 'carol',
    params: { opt: 'ADAM', lr: '5' }, tags: { pat: 'a*b[1]' }, metrics: [['loss', 0, -1]],
  },
  {
    id: 'r8', name: 'inject', status: 'RUNNING', startTime: 700, endTime: null, userId: 'carol',
    params: { x: '\'; DROP TABLE runs; --', opt: 'adam' },
  },
  {
    id: 'r9', experimentId: '2', name: 'other-exp', status: 'FINISHED', startTime: 1500, endTime: 1600, userId: 'alice',
    params: { opt: 'adam' }, metrics: [['loss', 0, 0.2]],
  },
];

export interface Fixture {
  db: Db;
  rows: RunRow[];
}

export function makeFixture(): Fixture {
  const db = openDatabase(':memory:');
  const insertExperiment = db.prepare(
    'INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (?, ?, ?, 0, 0)',
  );
  insertExperiment.run(1, 'e1', '/artifacts/1');
  insertExperiment.run(2, 'e2', '/artifacts/2');
  const statements = new RunStatements(db);
  const rows: RunRow[] = [];
  for (const run of RUNS) {
    const info: RunInfo = {
      runId: run.id,
      experimentId: run.experimentId ?? '1',
      runName: run.name,
      status: run.status,
      startTime: run.startTime,
      endTime: run.endTime,
      lifecycleStage: run.isDeleted ? 'deleted' : 'active',
      artifactUri: `/artifacts/${run.experimentId ?? '1'}/${run.id}`,
      userId: run.userId,
      parentRunId: run.parentRunId ?? null,
    };
    const tags = { 'mlflow.runName': run.name, ...run.tags };
    const metrics: Metric[] = (run.metrics ?? []).map(([key, step, value], i) => ({ key, step, value, timestamp: run.startTime + i }));
    const batch = { params: run.params ?? {}, metrics };
    db.transaction(() => {
      statements.insertRun({ ...info, lifecycleStage: 'active', endTime: null }, tags);
      statements.setStatus(run.id, run.status, run.endTime);
      statements.writeBatch(run.id, batch);
      if (run.isDeleted) db.prepare('UPDATE runs SET lifecycle_stage = \'deleted\' WHERE run_id = ?').run(run.id);
    })();
    const row: RunRow = { info, params: new Map(), tags: new Map(Object.entries(tags)), latest: new Map(), history: new Map() };
    logBatchToRow(row, batch);
    rows.push(row);
  }
  return { db, rows };
}
