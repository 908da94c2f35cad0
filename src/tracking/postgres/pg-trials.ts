// The PostgreSQL store's trial writes: each one call of a plpgsql function (schema-functions.ts), with
// messages that name the study and trial number users know (trial-labels.ts), not database ids.
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../errors.js';
import type { Direction, TrialParamInput, TrialRecord } from '../entities.js';
import type { NewTrial, TrialFinish, TrialProgress } from '../store.js';
import { checkFinish, currentUser, newRunId } from '../store-rules.js';
import { runStatusOf } from '../trial-state.js';
import { toTrial, type TrialRowDb } from '../rows.js';
import { toLiteral, type PgConnection } from './connection.js';
import { trialsOrThrow } from './pg-reads.js';
import { TRIAL_COLUMNS } from './pg-trial-sync.js';
import { intermediateArgs, metricArrays, paramArgs, tagArrays } from './pg-args.js';
import { TrialLabels } from './trial-labels.js';

export class PgTrials {
  readonly labels = new TrialLabels();

  /** @param clockOffset the database's clock minus this host's, as last measured */
  constructor(private readonly conn: PgConnection, private readonly clockOffset: () => number) {}

  async create(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    const token = randomUUID();
    const runId = newRunId();
    const attrs = JSON.stringify({ ...trial.systemAttrs, ...(trial.claimKey !== undefined && { claimKey: trial.claimKey }) });
    const p = paramArgs(trial.params ?? []);
    const [row] = await this.study(studyId, this.conn.call<TrialRowDb>(`create a trial of ${this.labels.study(studyId)}`, 'sweep_create_trial', [
      studyId, trial.state ?? 'RUNNING', trial.startTime ?? null, trial.workerId ?? null, trial.claimKey ?? null, attrs,
      trial.expectedNumber ?? null, ...p, trial.maxTrials ?? null, token, runId, currentUser(),
    ], TRIAL_COLUMNS));
    if (!row) throw new NotFoundError(`${this.labels.study(studyId)}: the new trial vanished`);
    return this.remember(toTrial(row));
  }

  async claimWaiting(studyId: number, workerId: string): Promise<TrialRecord | undefined> {
    // One round trip; sweep_claim_waiting raises NotFoundError's SQLSTATE for an unknown study.
    const [row] = await this.study(studyId, this.conn.call<TrialRowDb>(
      `claim a waiting trial of ${this.labels.study(studyId)}`, 'sweep_claim_waiting', [studyId, workerId], TRIAL_COLUMNS,
    ));
    return row && this.remember(toTrial(row));
  }

  async setParams(trialId: number, params: readonly TrialParamInput[]): Promise<void> {
    await this.trial(trialId, this.conn.call(`set params of ${this.labels.trial(trialId)}`, 'sweep_set_trial_params', [trialId, ...paramArgs(params)]));
  }

  async recordProgress(trialId: number, progress: TrialProgress): Promise<void> {
    await this.trial(trialId, this.conn.call(`record progress of ${this.labels.trial(trialId)}`, 'sweep_trial_progress', [
      trialId, ...intermediateArgs(progress.intermediate ?? []), ...metricArrays(progress.metrics ?? []), ...tagArrays(progress.tags ?? {}),
      // (stamped with this host's clock by the writer: put on the database's, as plain heartbeats are)
      progress.heartbeat === undefined ? null : progress.heartbeat + this.clockOffset(),
    ]));
  }

  async finish(trialId: number, finish: TrialFinish): Promise<boolean> {
    const context = `finish ${this.labels.trial(trialId)}`;
    // What can be checked without the study is checked here (one objective's rules, or the values'
    // own shape); the arity against the study's directions is checked by sweep_finish_trial.
    const objectives = finish.values?.length ?? 1;
    try {
      checkFinish(finish, -1, { directions: new Array(objectives).fill('minimize') });
    } catch {
      const row = await this.conn.run(context, async (q) =>
        (await q.query<{ number: number; study_id: number; name: string; directions: string }>(
          'SELECT t.number, s.study_id, s.name, s.directions FROM trials t JOIN studies s ON s.study_id = t.study_id WHERE t.trial_id = $1', [trialId],
        )).rows[0]);
      if (row === undefined) throw this.labels.relabel(new NotFoundError(`trial ${trialId} does not exist`), { trialId });
      this.labels.rememberStudy({ studyId: Number(row.study_id), name: row.name });
      this.labels.rememberTrial({ trialId, studyId: Number(row.study_id), number: row.number });
      try {
        checkFinish(finish, row.number, { directions: JSON.parse(row.directions) as Direction[] });
      } catch (error) {
        throw this.labels.relabel(error, { trialId });
      }
    }
    const token = randomUUID();
    const values = [
      trialId, finish.state, finish.value ?? null, finish.endTime ?? null, JSON.stringify(finish.systemAttrs ?? {}), token,
      finish.onlyIfHeartbeatBefore ?? null, runStatusOf(finish.state), ...metricArrays(finish.metrics ?? []), ...tagArrays(finish.tags ?? {}),
      ...paramArgs(finish.params ?? []), ...intermediateArgs(finish.intermediate ?? []),
      finish.values === undefined ? null : JSON.stringify(finish.values),
    ];
    const [row] = await this.trial(trialId, this.conn.call<{ ok: boolean }>(context, 'sweep_finish_trial', values, 'sweep_finish_trial AS ok'));
    if (row?.ok === true) this.labels.forgetTrial(trialId);
    return row?.ok === true;
  }

  async heartbeat(trialIds: readonly number[], at: number): Promise<void> {
    if (trialIds.length === 0) return;
    // Committed without waiting for the disk (one lost in a server crash is harmless), in one message.
    const update = `UPDATE trials SET heartbeat = greatest(coalesce(heartbeat, 0), ${toLiteral(at)}) ` +
      `WHERE trial_id = ANY(${toLiteral(trialIds)}) AND state IN ('RUNNING', 'WAITING')`;
    await this.trial(undefined, this.conn.run('heartbeat', async (q) => {
      const results = (await q.query(`BEGIN; SET LOCAL synchronous_commit TO off; ${update}; COMMIT`)) as unknown as { rowCount: number | null }[];
      const rowCount = results[2]?.rowCount;
      // Finished trials ignore a heartbeat; an unknown one is a NotFoundError.
      if ((rowCount ?? 0) < new Set(trialIds).size) await trialsOrThrow(q, trialIds);
    }));
  }

  // --- internal ---

  private remember(trial: TrialRecord): TrialRecord {
    this.labels.rememberTrial(trial);
    return trial;
  }

  private async trial<T>(trialId: number | undefined, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      throw this.labels.relabel(error, trialId === undefined ? {} : { trialId });
    }
  }

  private async study<T>(studyId: number, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      throw this.labels.relabel(error, { studyId });
    }
  }
}
