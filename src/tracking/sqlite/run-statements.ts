// Prepared statements that read and write MLflow run data; shared by the store's run and trial paths
// so that a trial and its child run are written with the same code in the same transaction.
import { ImmutableValueError, NotFoundError } from '../../errors.js';
import { putEntry } from '../own-entries.js';
import { experimentKey } from '../store-rules.js';
import type { Experiment, Metric, Run, RunBatch, RunInfo, RunStatus } from '../entities.js';
import type { Db } from './connection.js';
import { toExperiment, toMetric, toRunInfo, type ExperimentRowDb, type MetricRowDb, type RunRowDb } from '../rows.js';

export { toMetric } from '../rows.js';

export class RunStatements {
  private readonly insertRunStmt;
  private readonly selectRunStmt;
  private readonly updateStatusStmt;
  private readonly selectParamStmt;
  private readonly insertParamStmt;
  private readonly upsertTagStmt;
  private readonly insertMetricStmt;
  private readonly upsertLatestStmt;
  private readonly selectParamsStmt;
  private readonly selectTagsStmt;
  private readonly selectLatestStmt;
  private readonly selectLatestOneStmt;
  private readonly lastTimestampStmt;

  constructor(private readonly db: Db) {
    this.insertRunStmt = db.prepare(
      `INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage, artifact_uri, user_id, parent_run_id)
       VALUES (@runId, @experimentId, @runName, @status, @startTime, NULL, 'active', @artifactUri, @userId, @parentRunId)`,
    );
    this.selectRunStmt = db.prepare('SELECT * FROM runs WHERE run_id = ?');
    this.updateStatusStmt = db.prepare('UPDATE runs SET status = ?, end_time = ? WHERE run_id = ?');
    this.selectParamStmt = db.prepare('SELECT value FROM params WHERE run_id = ? AND key = ?').pluck();
    this.insertParamStmt = db.prepare('INSERT OR IGNORE INTO params (run_id, key, value) VALUES (?, ?, ?)');
    this.upsertTagStmt = db.prepare(
      'INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
    );
    // A point identical to one already logged (key, step, timestamp, value) is not kept twice: a
    // retried batch changes nothing, as MLflow's log_batch (its metrics' primary key).
    this.insertMetricStmt = db.prepare(
      `INSERT INTO metrics (run_id, key, step, timestamp, value, is_nan) SELECT @run, @key, @step, @timestamp, @value, @nan
       WHERE NOT EXISTS (SELECT 1 FROM metrics WHERE run_id = @run AND key = @key AND step = @step AND timestamp = @timestamp
         AND is_nan = @nan AND value IS @value)`,
    );
    this.upsertLatestStmt = db.prepare(
      `INSERT INTO latest_metrics (run_id, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, key) DO UPDATE SET
         step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
       WHERE excluded.step > latest_metrics.step
          OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
          OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
              AND (excluded.is_nan > latest_metrics.is_nan OR excluded.value >= latest_metrics.value))`,
    );
    this.selectParamsStmt = db.prepare('SELECT key, value FROM params WHERE run_id = ?');
    this.selectTagsStmt = db.prepare('SELECT key, value FROM tags WHERE run_id = ?');
    this.selectLatestStmt = db.prepare('SELECT key, step, timestamp, value, is_nan FROM latest_metrics WHERE run_id = ?');
    this.selectLatestOneStmt = db.prepare(
      'SELECT key, step, timestamp, value, is_nan FROM latest_metrics WHERE run_id = ? AND key = ?',
    );
    this.lastTimestampStmt = db.prepare('SELECT MAX(timestamp) FROM metrics WHERE run_id = ? AND key = ?').pluck();
  }

  /** Inserts a new run and its tags; returns its info. */
  insertRun(info: RunInfo, tags: Readonly<Record<string, string>>): RunInfo {
    this.insertRunStmt.run({ ...info, experimentId: Number(info.experimentId) });
    for (const [key, value] of Object.entries(tags)) this.upsertTagStmt.run(info.runId, key, value);
    return info;
  }

  /** @throws NotFoundError */
  runInfo(runId: string): RunInfo {
    const row = this.selectRunStmt.get(runId) as RunRowDb | undefined;
    if (!row) throw new NotFoundError(`run ${runId} does not exist`);
    return toRunInfo(row);
  }

  setStatus(runId: string, status: RunStatus, endTime: number | null): void {
    this.updateStatusStmt.run(status, endTime, runId);
  }

  /** Writes a batch; call inside a transaction. @throws ImmutableValueError */
  writeBatch(runId: string, batch: RunBatch): void {
    for (const [key, value] of Object.entries(batch.params ?? {})) {
      const old = this.selectParamStmt.get(runId, key) as string | undefined;
      if (old !== undefined && old !== value) {
        throw new ImmutableValueError(
          `param "${key}" of run ${runId} is already "${old}" and cannot change to "${value}"`,
          { hint: 'params are immutable once logged; log a metric or a tag for values that change' },
        );
      }
      if (old === undefined) this.insertParamStmt.run(runId, key, value);
    }
    for (const [key, value] of Object.entries(batch.tags ?? {})) this.upsertTagStmt.run(runId, key, value);
    for (const m of batch.metrics ?? []) {
      const isNan = Number.isNaN(m.value) ? 1 : 0;
      const value = isNan ? null : m.value;
      this.insertMetricStmt.run({ run: runId, key: m.key, step: m.step, timestamp: m.timestamp, value, nan: isNan });
      this.upsertLatestStmt.run(runId, m.key, m.step, m.timestamp, value, isNan);
    }
  }

  latest(runId: string, key: string): Metric | undefined {
    const row = this.selectLatestOneStmt.get(runId, key) as MetricRowDb | undefined;
    return row && toMetric(row);
  }

  lastTimestamp(runId: string, key: string): number {
    return (this.lastTimestampStmt.get(runId, key) as number | null) ?? 0;
  }

  /** The whole run: info, params, latest metrics, tags. @throws NotFoundError */
  run(runId: string): Run {
    const info = this.runInfo(runId);
    const params: Record<string, string> = {};
    for (const r of this.selectParamsStmt.all(runId) as { key: string; value: string }[]) putEntry(params, r.key, r.value);
    const tags: Record<string, string> = {};
    for (const r of this.selectTagsStmt.all(runId) as { key: string; value: string }[]) putEntry(tags, r.key, r.value);
    const metrics: Record<string, Metric> = {};
    for (const r of this.selectLatestStmt.all(runId) as MetricRowDb[]) putEntry(metrics, r.key, toMetric(r));
    return Object.freeze({ info, data: Object.freeze({ params, metrics, tags }) });
  }
}

/** The experiment of an id as handed out ('1'), none for another spelling ('01', '1.0'). */
export function readExperimentById(db: Db, experimentId: string): Experiment | undefined {
  const key = experimentKey(experimentId);
  return key === undefined ? undefined : readExperiment(db, 'experiment_id', key);
}

export function readExperiment(db: Db, where: 'experiment_id' | 'name', key: string | number): Experiment | undefined {
  const row = db.prepare(`SELECT * FROM experiments WHERE ${where} = ?`).get(key) as ExperimentRowDb | undefined;
  if (!row) return undefined;
  const tags: Record<string, string> = {};
  for (const t of db.prepare('SELECT key, value FROM experiment_tags WHERE experiment_id = ?').all(row.experiment_id) as { key: string; value: string }[]) {
    putEntry(tags, t.key, t.value);
  }
  return toExperiment(row, tags);
}
