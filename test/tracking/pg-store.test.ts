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

  it('refuses text with U+0000 (which PostgreSQL cannot hold) as bad input, not a storage fault', async () => {
    const store = new ScratchPgStore();
    await expect(store.createExperiment('e\u0000x')).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/\\u0000/) });
    const e = await store.createExperiment('e');
    const { info } = await store.createRun({ experimentId: e.experimentId });
    await expect(store.logBatch(info.runId, { tags: { note: 'a\u0000b' } })).rejects.toMatchObject({ code: 'E_CONFIG' });
    await store.close();
  });
});

describe('PostgreSQL storage URIs', () => {
  it('reads schema, pool, retry_for, query_timeout and artifacts, and hides the password', async () => {
    const { parsePgUri } = await import('../../src/tracking/postgres/connection.js');
    const o = parsePgUri('postgresql://u:secret@db:5433/sweep?schema=lab&pool=1&retry_for=5&query_timeout=2&artifacts=/mnt/a&sslmode=disable');
    expect(o).toMatchObject({ schema: 'lab', poolSize: 1, retryForMs: 5000, queryTimeoutMs: 2000, artifactRoot: '/mnt/a' });
    expect(o.displayUri).not.toContain('secret');
    expect(o.connectionString).toBe('postgresql://u:secret@db:5433/sweep?sslmode=disable');
    expect(parsePgUri('postgres://u@db/sweep')).toMatchObject({ schema: 'public', poolSize: 2, retryForMs: 120_000 });
  });

  it.each([
    ['postgresql://u@db/sweep?schema=pg_x', /schema "pg_x"/],
    ['postgresql://u@db/sweep?schema=a-b', /schema "a-b"/],
    ['postgresql://u@db/sweep?pool=0', /pool=0/],
    ['postgresql://u@db/sweep?retry_for=-1', /retry_for=-1/],
    ['postgresql://u@db/', /needs a database name/],
    ['postgresql://u@db/sweep?artifact=/mnt/a', /unknown parameter "artifact"/],
    ['postgresql://u@db/sweep?schema=s&retryfor=5', /unknown parameter "retryfor"/],
  ])('refuses %s with a one-line error naming the part', async (uri, message) => {
    const { parsePgUri } = await import('../../src/tracking/postgres/connection.js');
    expect(() => parsePgUri(uri)).toThrow(message);
  });
});

describe('PostgreSQL artifact locations', () => {
  it('takes a directory or a server for ?artifacts=, and refuses another scheme', async () => {
    const { parsePgUri } = await import('../../src/tracking/postgres/connection.js');
    const { PgStore } = await import('../../src/tracking/postgres/pg-store.js');
    expect(() => parsePgUri('postgresql://u@db/sweep?artifacts=s3://bucket/x')).toThrow(/must be a directory \(one every host mounts\) or a server/);
    const proxied = new PgStore('postgresql://u@db/sweep?artifacts=http://host:5000/');
    expect(proxied.artifactRoot).toBe('http://host:5000/api/2.0/mlflow-artifacts/artifacts');
    expect(proxied.checkArtifactLocation()).toBeUndefined();
    await proxied.close();
  });

  it('says at start when artifacts stay on this host, and checks a given directory is writable', async () => {
    const { PgStore } = await import('../../src/tracking/postgres/pg-store.js');
    const { tempDir } = await import('../helpers/tmp.js');
    const local = new PgStore('postgresql://u@db/sweep');
    expect(local.checkArtifactLocation()).toMatch(/on this host only/);
    const shared = new PgStore(`postgresql://u@db/sweep?artifacts=${tempDir()}/shared`);
    expect(shared.checkArtifactLocation()).toBeUndefined();
    const file = `${tempDir()}/a-file`;
    (await import('node:fs')).writeFileSync(file, '');
    const blocked = new PgStore(`postgresql://u@db/sweep?artifacts=${file}/artifacts`);
    expect(() => blocked.checkArtifactLocation()).toThrow(/not writable here/);
    for (const s of [local, shared, blocked]) await s.close();
  });
});
