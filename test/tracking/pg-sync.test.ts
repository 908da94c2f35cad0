// PostgreSQL's trial sync under writers that do not take turns: a change committed after a later
// one was already read still comes with the next sync, many concurrent writers leave a syncing
// reader with exactly the table, and a version-1 schema (a study-wide counter) migrates.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { PgStore } from '../../src/tracking/postgres/pg-store.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { PG_URL, ScratchPgStore, dropSchema, freshSchema, pgAvailable, pgUri } from '../helpers/pg.js';

const available = await pgAvailable();

const study = (name: string) => ({ name, directions: ['minimize' as const], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });

/** A reader that syncs as the study history does: merge by number, keep the higher seq. */
class Reader {
  readonly trials = new Map<number, TrialRecord>();
  private cursor: number | undefined;
  constructor(private readonly store: TrackingStore, private readonly studyId: number) {}
  async sync(): Promise<void> {
    const { trials, cursor } = await this.store.syncTrials(this.studyId, this.cursor);
    this.cursor = cursor;
    for (const t of trials) {
      const known = this.trials.get(t.number);
      if (known === undefined || known.seq < t.seq) this.trials.set(t.number, t);
    }
  }
  view(): TrialRecord[] {
    return [...this.trials.values()].sort((a, b) => a.number - b.number);
  }
}

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  return c;
}

describe.runIf(available)('PostgreSQL trial sync', () => {
  it('sees a finish that commits after a later finish was read', async () => {
    const a = new ScratchPgStore();
    const b = new PgStore(pgUri(a.schema));
    const readerStore = new PgStore(pgUri(a.schema));
    const blocker = await client();
    try {
      const s = await a.createStudy(study('late'));
      const slow = await a.createTrial(s.studyId, {});
      const fast = await a.createTrial(s.studyId, {});
      const reader = new Reader(readerStore, s.studyId);
      await reader.sync();
      // Hold the slow trial's run: its finish starts (its transaction has begun writing) and waits.
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM "${a.schema}".runs WHERE run_id = $1 FOR UPDATE`, [slow.runId]);
      const blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const slowFinish = a.finishTrial(slow.trialId, { state: 'COMPLETE', value: 2 });
      await waitUntilBlockedBy(blockerPid);
      // A later finish commits and is read while the first one is still running.
      expect(await b.finishTrial(fast.trialId, { state: 'COMPLETE', value: 1 })).toBe(true);
      await reader.sync();
      expect(reader.view().map((t) => t.state)).toEqual(['RUNNING', 'COMPLETE']);
      await blocker.query('ROLLBACK');
      expect(await slowFinish).toBe(true);
      await reader.sync();
      expect(reader.view().map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
    } finally {
      await blocker.end();
      await b.close();
      await readerStore.close();
      await a.close();
    }
  });

  it('leaves a reader syncing during many concurrent writers with exactly the table', async () => {
    const owner = new ScratchPgStore();
    const writers = Array.from({ length: 4 }, () => new PgStore(pgUri(owner.schema, '&pool=3')));
    const readerStore = new PgStore(pgUri(owner.schema));
    try {
      const s = await owner.createStudy(study('busy'));
      const reader = new Reader(readerStore, s.studyId);
      let done = false;
      let syncs = 0;
      const reading = (async () => {
        while (!done) {
          await reader.sync();
          syncs++;
        }
      })();
      // Each writer runs 3 trials at a time: create, report, finish; 4 x 45 trials in all.
      await Promise.all(writers.flatMap((w, i) => Array.from({ length: 3 }, async (_, j) => {
        for (let k = 0; k < 15; k++) {
          const t = await w.createTrial(s.studyId, { workerId: `w${i}.${j}` });
          await w.recordTrialProgress(t.trialId, { intermediate: [{ step: 0, value: k, timestamp: Date.now() }] });
          await w.finishTrial(t.trialId, k % 5 === 4 ? { state: 'FAIL' } : { state: 'COMPLETE', value: i * 100 + j * 10 + k });
        }
      })));
      done = true;
      await reading;
      await reader.sync();
      const table = await owner.getTrials(s.studyId);
      expect(table).toHaveLength(180);
      expect(reader.view()).toEqual(table);
      expect(syncs).toBeGreaterThan(0);
    } finally {
      for (const w of writers) await w.close();
      await readerStore.close();
      await owner.close();
    }
  });

  it('migrates a version-1 schema: its trials sync, new trials number on, seq only grows', async () => {
    const schema = freshSchema();
    const c = await client();
    try {
      await c.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
      await c.query(readFileSync(new URL('../fixtures/pg-schema-v1.sql', import.meta.url), 'utf8'));
      await c.query('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)');
      // A study with two trials written by version 1's own functions (seq from the study row).
      await c.query(`INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES ('old', '/a', 0, 0);
        INSERT INTO runs (run_id, experiment_id, name, status, start_time, artifact_uri, user_id) VALUES ('parent', 1, 'old', 'RUNNING', 0, '/a', 'u');
        INSERT INTO studies (name, experiment_id, parent_run_id, directions, metric, sampler, seed, created_time)
          VALUES ('old', 1, 'parent', '["minimize"]', 'loss', '{"name":"random"}', 1, 0)`);
      for (const run of ['r0', 'r1']) {
        await c.query(`SELECT * FROM sweep_create_trial(1, 'RUNNING', NULL, 'w', NULL, '{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, $1, 'u')`, [run]);
      }
      await c.query(`SELECT sweep_finish_trial(1, 'COMPLETE', 3, NULL, '{}', NULL, NULL, 'FINISHED', NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
      const oldSeq = (await c.query<{ seq: string }>('SELECT max(seq)::TEXT AS seq FROM trials')).rows[0]?.seq;
      expect(Number(oldSeq)).toBe(3);

      const store = new PgStore(pgUri(schema));
      try {
        const s = await store.getStudy('old');
        expect(s).toBeDefined();
        const first = await store.syncTrials(s?.studyId ?? -1);
        expect(first.trials.map((t) => [t.number, t.state, t.value])).toEqual([[0, 'COMPLETE', 3], [1, 'RUNNING', null]]);
        const next = await store.createTrial(s?.studyId ?? -1, {});
        expect(next.number).toBe(2);
        expect(next.seq).toBeGreaterThan(3);
        expect(await store.finishTrial(first.trials[1]?.trialId ?? -1, { state: 'COMPLETE', value: 1 })).toBe(true);
        const changed = await store.syncTrials(s?.studyId ?? -1, first.cursor);
        expect(changed.trials.find((t) => t.number === 1)).toMatchObject({ state: 'COMPLETE', value: 1 });
        expect(changed.trials.find((t) => t.number === 2)).toMatchObject({ state: 'RUNNING' });
        expect((await store.getRun('parent')).data.metrics['loss']?.value).toBe(1);
        const version = await c.query<{ version: number }>('SELECT version FROM schema_version');
        expect(version.rows).toEqual([{ version: 2 }]);
        const bump = await c.query("SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = 'sweep_bump'", [schema]);
        expect(bump.rowCount).toBe(0);
      } finally {
        await store.close();
      }
    } finally {
      await c.end();
      await dropSchema(schema);
    }
  });
});

/** Waits (on the database's answers, no timers) until a backend waits for the lock `pid` holds. */
async function waitUntilBlockedBy(pid: number | undefined): Promise<void> {
  const c = await client();
  try {
    for (;;) {
      const { rowCount } = await c.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid]);
      if ((rowCount ?? 0) > 0) return;
    }
  } finally {
    await c.end();
  }
}
