// PostgreSQL crashed mid-study (an immediate stop of a private cluster): the transactions it had not
// flushed are lost and their ids handed out again, so a sync cursor taken before the crash can be
// newer than the writes after it. A reader holding such a cursor still gets every trial written since.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { PgStore } from '../../src/tracking/postgres/pg-store.js';
import { PrivateCluster, privateClusterAvailable } from '../helpers/private-pg.js';

const available = privateClusterAvailable();
let cluster: PrivateCluster | undefined;
beforeAll(async () => {
  // The WAL writer waits 10 s between flushes, so what was committed just before the crash is lost with it.
  if (available) cluster = await PrivateCluster.create(['wal_writer_delay=10000']);
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
}, 60_000);

describe.runIf(available)('a trial sync across a crash of the server', () => {
  it('misses nothing written after the crash when its cursor was taken before it', async () => {
    const db = cluster as PrivateCluster;
    const uri = `${db.url}?schema=crash&retry_for=60`;
    const reader = new PgStore(uri);
    const writer = new PgStore(uri);
    const definition = { name: 'crash', space: { x: hp.uniform(0, 1) }, sampler: 'random', seed: 1 } as const;
    try {
      const study = await createStudy({ ...definition, storage: writer });
      await study.optimize((t) => t.params.x, { trials: 2 }); // durable: a finish waits for the disk
      // Transactions committed without waiting for the disk (as trial creations and reports are) are
      // lost in the crash, and their ids handed out again after it.
      await study.ask();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query('SET synchronous_commit TO off');
      for (let i = 0; i < 30; i++) await client.query('BEGIN; SELECT pg_current_xact_id(); COMMIT');
      await client.end();
      const before = await reader.syncTrials(study.record.studyId);
      expect(before.trials.map((t) => t.number)).toEqual([0, 1, 2]);

      await db.crash();
      await db.start();
      const again = await createStudy({ ...definition, storage: new PgStore(uri) });
      await again.optimize((t) => t.params.x, { trials: 3 });
      const numbers = [0, 1, 2, 3, 4];
      expect(again.trials.map((t) => [t.number, t.state])).toEqual(numbers.map((n) => [n, 'COMPLETE']));
      await again.close();
      await again.store.close();

      const after = await reader.syncTrials(study.record.studyId, before.cursor);
      const changed = new Map(after.trials.map((t) => [t.number, t.state]));
      expect(numbers.slice(2).map((n) => [n, changed.get(n)])).toEqual(numbers.slice(2).map((n) => [n, 'COMPLETE']));
    } finally {
      await reader.close();
      await writer.close();
    }
  }, 120_000);
});
