// Clients whose clocks are an hour off, through a sweep server: heartbeats and stale checks are on the
// server's clock (its store's), whatever a client's own clock says, so a host an hour ahead does not
// keep its dead trials alive and one an hour behind does not get its live trials reaped (nor reap, or
// spare, other hosts' trials by its own clock).
//
// Client and server share this process, so Date.now is shifted only for code run as the skewed client
// (an AsyncLocalStorage context); the server answers requests in its own context, on the real clock
// (checked: it stamps a new trial's start time with the real time).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { HttpStore } from '../../src/tracking/http/http-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { ScratchPgStore, pgAvailable, pgUri, queryStorage } from '../helpers/pg.js';
import { TenantServer } from '../helpers/tenant-server.js';
import { tempDir } from '../helpers/tmp.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const realNow = Date.now.bind(Date);
/** How far the clock of the code running in this context is off. */
const skew = new AsyncLocalStorage<number>();
const tenants = new TenantServer();
const closing: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  vi.spyOn(Date, 'now').mockImplementation(() => realNow() + (skew.getStore() ?? 0));
  await tenants.start();
});

afterEach(async () => {
  for (const item of closing.splice(0).reverse()) await item.close();
});

afterAll(async () => {
  await tenants.close();
  vi.restoreAllMocks();
});

type Party = 'owner' | 'reaper';

/** The server's store, and a way to move a trial's times back as if that much time had passed on its clock. */
interface Backend {
  readonly store: TrackingStore;
  age(trialId: number, ms: number, what: 'start_time, heartbeat' | 'heartbeat'): Promise<void>;
}

const backends: [string, () => Backend][] = [
  ['SQLite', () => {
    const file = join(tempDir('sweep-http-clock-'), 'sweep.db');
    const store = new SqliteStore(file);
    const db = new Database(file);
    closing.push(store, { close: async () => void db.close() });
    return { store, age: async (trialId, ms, what) => void db.prepare(`UPDATE trials SET ${aged(what)} WHERE trial_id = ${trialId}`).run({ ms }) };
  }],
  ...(await pgAvailable() ? [['PostgreSQL', () => {
    const store = new ScratchPgStore();
    closing.push(store);
    return { store, age: async (trialId, ms, what) => void await queryStorage(pgUri(store.schema), `UPDATE trials SET ${aged(what).replaceAll('@ms', String(ms))} WHERE trial_id = ${trialId}`) };
  }] as [string, () => Backend]] : []),
];

function aged(what: 'start_time, heartbeat' | 'heartbeat'): string {
  return what === 'heartbeat' ? 'heartbeat = heartbeat - @ms' : 'start_time = start_time - @ms, heartbeat = heartbeat - @ms';
}

describe.each(backends)('a sweep server on %s', (_backend, openBackend) => describe.each([
  ['an hour ahead', HOUR],
  ['an hour behind', -HOUR],
])('and a client whose clock runs %s', (_label, offset) => {
  it.each<[string, Party]>([
    ['runs the trials', 'owner'],
    ['checks for stale trials', 'reaper'],
  ])('(it %s): live trials are kept, a dead one is reaped stale-after past its last heartbeat', async (_role, skewed) => {
    const as = <T>(party: Party, fn: () => Promise<T>): Promise<T> => skew.run(party === skewed ? offset : 0, fn);
    const { store: serverStore, age } = openBackend();
    const url = tenants.add(serverStore);
    const study = (party: Party) => as(party, async () => {
      const store = new HttpStore(url);
      closing.push(store);
      const opened = await createStudy({ name: 'clock', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store });
      closing.push(opened);
      return opened;
    });

    // Three processes of the owner's host: one beats plainly, one reports progress, one will die.
    const [beats, reports, dies] = [await study('owner'), await study('owner'), await study('owner')];
    const before = realNow();
    const beaten = await as('owner', () => beats.ask());
    const reporting = await as('owner', () => reports.ask());
    const dead = await as('owner', () => dies.ask());
    const after = realNow();
    const stored = await serverStore.getTrials((await serverStore.getStudy('clock'))?.studyId ?? -1);
    const records = [beaten, reporting, dead].map((t) => stored.find((r) => r.number === t.number));
    for (const record of records) {
      // The server stamps a new trial on its store's clock (the real one here): the skew stays on the client.
      expect(record?.startTime).toBeGreaterThanOrEqual(before - 1000);
      expect(record?.startTime).toBeLessThanOrEqual(after + 1000);
    }
    const [beatenId, reportingId, deadId] = records.map((r) => r?.trialId ?? -1) as [number, number, number];
    // All three have run for two hours (on the server's clock) when their owners send heartbeats now.
    for (const id of [beatenId, reportingId, deadId]) await age(id, 2 * HOUR, 'start_time, heartbeat');
    await as('owner', () => beats.heartbeat());
    await as('owner', async () => {
      reporting.report(0.5, 1);
      await reporting.shouldPrune(); // flushes the report, and the heartbeat it carries
    });
    await as('owner', () => dies.heartbeat());
    // The third one's process died half an hour after that heartbeat.
    await age(deadId, 30 * MINUTE, 'heartbeat');

    const reaper = await study('reaper');
    const reaped = await as('reaper', () => reaper.failStaleTrials(10 * MINUTE));
    expect(reaped).toEqual([dead.number]);
    const states = Object.fromEntries(reaper.trials.map((t) => [t.number, t.state]));
    expect(states).toEqual({ [beaten.number]: 'RUNNING', [reporting.number]: 'RUNNING', [dead.number]: 'FAIL' });
  });
}));

describe.each(backends)('a sweep server on %s, called by an older client that stamps heartbeats itself', (_backend, openBackend) => {
  it.each([HOUR, -HOUR])('stores them on its own clock when the stamp is %i ms off', async (offset) => {
    const { store: serverStore } = openBackend();
    const client = new HttpStore(tenants.add(serverStore));
    closing.push(client);
    const study = await client.createStudy({ name: 'old', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
    const [plain, reported] = [await client.createTrial(study.studyId, {}), await client.createTrial(study.studyId, {})];
    const before = realNow();
    await client.heartbeat([plain.trialId], realNow() + offset);
    await client.recordTrialProgress(reported.trialId, { tags: { phase: 'warm-up' }, heartbeat: realNow() + offset });
    const after = realNow();
    for (const trial of await serverStore.getTrials(study.studyId)) {
      expect(trial.heartbeat).toBeGreaterThanOrEqual(before - 1000);
      expect(trial.heartbeat).toBeLessThanOrEqual(after + 1000);
    }
  });
});

describe('HttpStore.clock against an older sweep server without the clock endpoint', () => {
  it('uses this host\'s clock, asking the server once', async () => {
    let asked = 0;
    const old = createServer((req, res) => {
      asked++;
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 'ENDPOINT_NOT_FOUND', message: `No endpoint POST ${req.url}` }));
    });
    await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
    const store = new HttpStore(`http://127.0.0.1:${(old.address() as { port: number }).port}`);
    try {
      const before = realNow();
      const first = await store.clock();
      const second = await store.clock();
      expect(first).toBeGreaterThanOrEqual(before);
      expect(second).toBeLessThanOrEqual(realNow());
      expect(asked).toBe(1);
    } finally {
      await store.close();
      await new Promise((resolve) => old.close(resolve));
    }
  });
});
