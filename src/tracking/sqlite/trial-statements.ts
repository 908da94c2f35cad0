// Prepared statements for the study engine's tables (studies, trials) and their row mapping.
// Every change of a trial bumps the study's update sequence, so readers sync only what changed.
import { NotFoundError } from '../../errors.js';
import type { Direction, StudyRecord, StudySummary, TrialParamInput, TrialRecord } from '../entities.js';
import type { IntermediateValue, NewStudy, NewTrial, TrialFinish, TrialSync } from '../store.js';
import { isBetter } from '../store-rules.js';
import { TRIAL_STATES, type TrialState } from '../trial-state.js';
import { nanReplacer, toStudy, toTrial, type StudyRowDb, type TrialRowDb } from '../rows.js';
import type { Db } from './connection.js';

export class TrialStatements {
  private readonly studyByNameStmt;
  private readonly studyByIdStmt;
  private readonly bumpSeqStmt;
  private readonly nextNumberStmt;
  private readonly claimStmt;
  private readonly insertTrialStmt;
  private readonly trialByIdStmt;
  private readonly updateParamsStmt;
  private readonly updateProgressStmt;
  private readonly finishStmt;
  private readonly changedStmt;
  private readonly touchStmt;
  private readonly firstWaitingStmt;
  private readonly startStmt;

  constructor(private readonly db: Db) {
    this.studyByNameStmt = db.prepare('SELECT * FROM studies WHERE name = ?');
    this.studyByIdStmt = db.prepare('SELECT * FROM studies WHERE study_id = ?');
    this.bumpSeqStmt = db.prepare('UPDATE studies SET seq = seq + 1 WHERE study_id = ? RETURNING seq').pluck();
    this.nextNumberStmt = db.prepare('SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = ?').pluck();
    this.claimStmt = db.prepare('SELECT 1 FROM trials WHERE study_id = ? AND claim_key = ?').pluck();
    this.insertTrialStmt = db.prepare(
      `INSERT INTO trials (study_id, number, run_id, state, system_attrs, start_time, heartbeat, worker_id, claim_key, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.trialByIdStmt = db.prepare('SELECT * FROM trials WHERE trial_id = ?');
    this.updateParamsStmt = db.prepare('UPDATE trials SET params = ?, distributions = ?, seq = ? WHERE trial_id = ?');
    this.updateProgressStmt = db.prepare('UPDATE trials SET intermediate = ?, heartbeat = ?, seq = ? WHERE trial_id = ?');
    this.finishStmt = db.prepare(
      'UPDATE trials SET state = ?, value = ?, objective_values = ?, end_time = ?, system_attrs = ?, seq = ? WHERE trial_id = ?',
    );
    this.changedStmt = db.prepare('SELECT * FROM trials WHERE study_id = ? AND seq > ? ORDER BY number');
    this.firstWaitingStmt = db.prepare("SELECT * FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1");
    this.startStmt = db.prepare(
      "UPDATE trials SET state = 'RUNNING', worker_id = ?, start_time = ?, heartbeat = ?, seq = ? WHERE trial_id = ? AND state = 'WAITING'",
    );
    this.touchStmt = db.prepare("UPDATE trials SET heartbeat = MAX(COALESCE(heartbeat, 0), ?) WHERE trial_id = ? AND state IN ('RUNNING', 'WAITING')");
  }

  insertStudy(study: NewStudy, experimentId: string, parentRunId: string): StudyRecord {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO studies (name, experiment_id, parent_run_id, directions, metric, metrics, space, sampler, pruner, seed, created_time)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          study.name, Number(experimentId), parentRunId, JSON.stringify(study.directions), study.metric,
          study.metrics !== undefined && study.metrics.length > 1 ? JSON.stringify(study.metrics) : null, study.space,
          JSON.stringify(study.sampler), study.pruner ? JSON.stringify(study.pruner) : null, study.seed, Date.now(),
        ).lastInsertRowid,
    );
    return this.studyById(id);
  }

  studyByName(name: string): StudyRecord | undefined {
    const row = this.studyByNameStmt.get(name) as StudyRowDb | undefined;
    return row && toStudy(row);
  }

  /** @throws NotFoundError */
  studyById(studyId: number): StudyRecord {
    const row = this.studyByIdStmt.get(studyId) as StudyRowDb | undefined;
    if (!row) throw new NotFoundError(`study ${studyId} does not exist`);
    return toStudy(row);
  }

  allStudies(): StudyRecord[] {
    return (this.db.prepare('SELECT * FROM studies ORDER BY study_id').all() as StudyRowDb[]).map(toStudy);
  }

  nextNumber(studyId: number): number {
    return this.nextNumberStmt.get(studyId) as number;
  }

  isClaimed(studyId: number, claimKey: string): boolean {
    return this.claimStmt.get(studyId, claimKey) !== undefined;
  }

  insertTrial(study: StudyRecord, number: number, runId: string, state: TrialState, startTime: number, trial: NewTrial): TrialRecord {
    const attrs = { ...trial.systemAttrs, ...(trial.claimKey !== undefined && { claimKey: trial.claimKey }) };
    const seq = this.bumpSeqStmt.get(study.studyId) as number;
    const id = Number(
      this.insertTrialStmt.run(
        study.studyId, number, runId, state, JSON.stringify(attrs), startTime, startTime, trial.workerId ?? null, trial.claimKey ?? null, seq,
      ).lastInsertRowid,
    );
    return this.trialById(id);
  }

  /** @throws NotFoundError */
  trialById(trialId: number): TrialRecord {
    const row = this.trialByIdStmt.get(trialId) as TrialRowDb | undefined;
    if (!row) throw new NotFoundError(`trial ${trialId} does not exist`);
    return toTrial(row);
  }

  /** `trial #3 of study "name"`, as users number trials, for messages; the id if the trial cannot be read. */
  trialLabel(trialId: number): string {
    try {
      const trial = this.trialById(trialId);
      return `trial #${trial.number} of ${this.studyLabel(trial.studyId)}`;
    } catch {
      return `trial ${trialId}`;
    }
  }

  /** `study "name"` for messages; the id if the study cannot be read. */
  studyLabel(studyId: number): string {
    try {
      return `study "${this.studyById(studyId).name}"`;
    } catch {
      return `study ${studyId}`;
    }
  }

  mergeParams(trial: TrialRecord, params: readonly TrialParamInput[]): TrialRecord {
    const values: Record<string, number> = { ...trial.params };
    const dists: Record<string, unknown> = { ...trial.distributions };
    for (const p of params) {
      values[p.name] = p.value;
      dists[p.name] = p.distribution;
    }
    const seq = this.bump(trial.studyId);
    this.updateParamsStmt.run(JSON.stringify(values), JSON.stringify(dists), seq, trial.trialId);
    return Object.freeze({ ...trial, params: Object.freeze(values), distributions: Object.freeze(dists) as TrialRecord['distributions'], seq });
  }

  mergeProgress(trial: TrialRecord, points: readonly IntermediateValue[], heartbeat: number | undefined): TrialRecord {
    const intermediate: Record<number, number> = { ...trial.intermediate };
    for (const p of points) intermediate[p.step] = p.value;
    const seq = this.bump(trial.studyId);
    this.updateProgressStmt.run(JSON.stringify(intermediate, nanReplacer), heartbeat ?? trial.heartbeat, seq, trial.trialId);
    return Object.freeze({ ...trial, intermediate: Object.freeze(intermediate), heartbeat: heartbeat ?? trial.heartbeat, seq });
  }

  finish(trial: TrialRecord, finish: TrialFinish, endTime: number): void {
    const attrs = { ...trial.systemAttrs, ...finish.systemAttrs };
    const values = finish.values === undefined ? null : JSON.stringify(finish.values);
    this.finishStmt.run(finish.state, finish.value ?? null, values, endTime, JSON.stringify(attrs), this.bump(trial.studyId), trial.trialId);
  }

  /** @throws NotFoundError for an unknown study */
  firstWaiting(studyId: number): TrialRecord | undefined {
    const row = this.firstWaitingStmt.get(studyId) as TrialRowDb | undefined;
    if (!row) this.studyById(studyId);
    return row && toTrial(row);
  }

  /** WAITING -> RUNNING for `workerId`. */
  start(trial: TrialRecord, workerId: string, at: number): TrialRecord {
    const seq = this.bump(trial.studyId);
    this.startStmt.run(workerId, at, at, seq, trial.trialId);
    return this.trialById(trial.trialId);
  }

  /** A running or waiting trial takes the heartbeat, a finished one ignores it. @throws NotFoundError for an unknown trial */
  touch(trialId: number, at: number): void {
    if (this.touchStmt.run(at, trialId).changes === 0) this.trialById(trialId);
  }

  /**
   * Trials changed after seq `cursor`. Writers take turns (the write lock) and bump the study's seq
   * inside it, so the highest seq read is a cursor that misses nothing.
   * @throws NotFoundError for an unknown study (checked only when nothing changed: no extra read per sync)
   */
  sync(studyId: number, cursor: number): TrialSync {
    const rows = this.changedStmt.all(studyId, cursor) as TrialRowDb[];
    if (rows.length === 0) this.studyById(studyId);
    return { trials: rows.map(toTrial), cursor: rows.reduce((max, row) => Math.max(max, row.seq), cursor) };
  }

  private bump(studyId: number): number {
    return this.bumpSeqStmt.get(studyId) as number;
  }
}

/** Trial counts by state, best value and last activity of one study. */
export function summarize(db: Db, study: StudyRecord): StudySummary {
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>;
  const rows = db
    .prepare('SELECT state, COUNT(*) AS n, MAX(COALESCE(end_time, start_time)) AS last FROM trials WHERE study_id = ? GROUP BY state')
    .all(study.studyId) as { state: TrialState; n: number; last: number }[];
  let last: number | null = null;
  for (const r of rows) {
    counts[r.state] = r.n;
    last = Math.max(last ?? 0, r.last);
  }
  // Several objectives have a front, not one best value.
  if (study.directions.length > 1) return { study, counts, bestValue: null, lastActivity: last };
  const direction: Direction = study.directions[0] ?? 'minimize';
  const best = db
    // Infeasible trials (a stored constraint > 0) are never the best.
    .prepare(
      `SELECT ${direction === 'minimize' ? 'MIN' : 'MAX'}(value) FROM trials WHERE study_id = ? AND state = 'COMPLETE'
       AND NOT EXISTS (SELECT 1 FROM json_each(system_attrs, '$.constraints') c WHERE c.type NOT IN ('integer', 'real') OR c.value > 0)`,
    )
    .pluck()
    .get(study.studyId) as number | null;
  return { study, counts, bestValue: best !== null && isBetter(best, null, direction) ? best : null, lastActivity: last };
}
