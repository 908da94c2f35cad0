// A full disk under SQLite (simulated with max_page_count, which makes SQLite answer SQLITE_FULL):
// the error names the trial as users number it and the file, says the disk is full and how to go on,
// and what was stored before stays readable.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { toSweepError } from '../../src/tracking/sqlite/connection.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';

/** Lets the store's database grow by no page: its next write that needs one fails SQLITE_FULL. */
function fillDisk(store: SqliteStore): void {
  const db = (store as unknown as { db: Database.Database }).db;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
}

describe('SQLite on a full disk', () => {
  it('names the trial by its number and study, the file, and the way on; earlier trials stay', async () => {
    const file = join(tempDir(), 'full.db');
    const store = new SqliteStore(file);
    const study = await store.createStudy({ name: 'heavy', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
    const first = await store.createTrial(study.studyId, {});
    await store.finishTrial(first.trialId, { state: 'COMPLETE', value: 1 });
    const trial = await store.createTrial(study.studyId, {});
    expect(trial.trialId).not.toBe(trial.number); // the store's id is not the number users see
    fillDisk(store);
    const metrics = Array.from({ length: 5000 }, (_, i) => ({ key: `m${i % 50}`, value: i, timestamp: 1, step: i }));
    const error = await store.finishTrial(trial.trialId, { state: 'COMPLETE', value: 2, metrics }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_STORAGE', hint: expect.stringMatching(/^free space there, then run the same command again/) });
    expect((error as Error).message).toBe(`finish trial #1 of study "heavy": the disk holding ${file} is full (database or disk is full)`);
    expect((await store.getTrials(study.studyId)).map((t) => t.state)).toEqual(['COMPLETE', 'RUNNING']);
    await store.close();
  });

  it('says an I/O error may be a full disk (SQLite cannot grow the -shm file there: SQLITE_IOERR_SHMSIZE)', () => {
    const cause = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_SHMSIZE' });
    const error = toSweepError(cause, 'cannot open SQLite database /d/sweep.db');
    expect(error).toMatchObject({ code: 'E_STORAGE', cause, hint: expect.stringMatching(/^a full disk or a failing device: check free space/) });
    expect(error.message).toBe('cannot open SQLite database /d/sweep.db: the disk holding the database failed a read or write (disk I/O error, SQLITE_IOERR_SHMSIZE)');
  });
});
