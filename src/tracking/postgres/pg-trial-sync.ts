// Reading a study's trials from PostgreSQL, whole or since a sync cursor, in ONE query.
//
// Writers of a study do not take turns (schema-functions.ts), so no number they write is in commit
// order. The cursor is a transaction id instead: the oldest transaction still running when a read's
// snapshot was taken (pg_snapshot_xmin). Every transaction older than that had ended, so its writes
// were in the read; every change the read missed was made by a transaction at least that new, and
// each trial row carries its writer's id (`xid`), so the next read, of the rows with xid >= cursor,
// has it. A few unchanged rows come again (written after an older transaction that was still
// running); readers merge by seq.
import { NotFoundError } from '../../errors.js';
import type { TrialRecord } from '../entities.js';
import { toTrial, type TrialRowDb } from '../rows.js';
import type { TrialSync } from '../store.js';
import type { Queryable } from './connection.js';

const COLUMNS = ['trial_id', 'study_id', 'number', 'run_id', 'state', 'value', 'objective_values', 'params', 'distributions', 'intermediate',
  'system_attrs', 'start_time', 'end_time', 'heartbeat', 'worker_id', 'seq'];

/** The columns of a TrialRowDb, for functions that return trials. */
export const TRIAL_COLUMNS = COLUMNS.join(', ');

// The study row is the query's anchor: an unknown study has no row at all (NotFoundError), a study
// with nothing new one row without a trial; both in the same round trip as the changes.
const select = (since: string): string =>
  `SELECT pg_snapshot_xmin(pg_current_snapshot())::TEXT AS sync_cursor, pg_postmaster_start_time()::TEXT AS server_start,
     t.trial_id IS NOT NULL AS has_trial, ${COLUMNS.map((c) => `t.${c}`).join(', ')}
   FROM studies s LEFT JOIN trials t ON t.study_id = s.study_id${since} WHERE s.study_id = $1 ORDER BY t.number`;
const ALL = select('');
const SINCE = select(' AND t.xid >= $2::xid8');

type SyncRow = TrialRowDb & { sync_cursor: string; server_start: string; has_trial: boolean };

/**
 * The trials changed since `cursor` (all without one), and when the server answering was started:
 * a cursor taken before a crash of the server may be newer than transaction ids it hands out again
 * after it (see PgStore.syncTrials). @throws NotFoundError for an unknown study
 */
export async function syncTrials(q: Queryable, studyId: number, cursor: number | undefined): Promise<TrialSync & { serverStart: string }> {
  const { rows } = await q.query<SyncRow>(cursor === undefined
    ? { name: 'sweep_trials_all', text: ALL, values: [studyId] }
    : { name: 'sweep_trials_since', text: SINCE, values: [studyId, String(cursor)] });
  const first = rows[0];
  if (first === undefined) throw new NotFoundError(`study ${studyId} does not exist`);
  const trials: TrialRecord[] = [];
  for (const row of rows) if (row.has_trial) trials.push(toTrial(row));
  return { trials, cursor: Number(first.sync_cursor), serverStart: first.server_start };
}
