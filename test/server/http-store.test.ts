// The TrackingStore contract run against HttpStore, through a real loopback server: each store the
// contract makes gets its own server app (and SQLite file), reached under its own path prefix.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpStore } from '../../src/tracking/http/http-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { describeStoreContract } from '../contracts/store.contract.js';
import { TenantServer } from '../helpers/tenant-server.js';
import { tempDir } from '../helpers/tmp.js';

const tenants = new TenantServer();
const stores: SqliteStore[] = [];
let lastUrl = '';

beforeAll(() => tenants.start());

afterAll(async () => {
  await tenants.close();
  for (const store of stores) await store.close();
});

function makeHttpStore(token?: string): HttpStore {
  const store = new SqliteStore(join(tempDir('sweep-http-'), 'sweep.db'));
  stores.push(store);
  lastUrl = tenants.add(store, token);
  return new HttpStore(lastUrl, token === undefined ? {} : { token });
}

describeStoreContract('HttpStore (through sweep server)', () => makeHttpStore());

describe('HttpStore', () => {
  it('sends the token, and turns a 401 into a one-line ConfigError', async () => {
    const good = makeHttpStore('t0k3n');
    expect((await good.ensureDefaultExperiment()).name).toBe('Default');
    const bad = new HttpStore(lastUrl, { token: 'wrong' });
    await expect(bad.listExperiments()).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/refused the request/) });
  });

  it('splits a batch over MLflow\'s limits into several requests', async () => {
    const store = makeHttpStore();
    const e = await store.createExperiment('big');
    const { info } = await store.createRun({ experimentId: e.experimentId });
    const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, String(i)]));
    const metrics = Array.from({ length: 2500 }, (_, i) => ({ key: 'm', value: i, step: i, timestamp: 1 }));
    await store.logBatch(info.runId, { params, metrics });
    expect(Object.keys((await store.getRun(info.runId)).data.params)).toHaveLength(250);
    expect(await store.getMetricHistory(info.runId, 'm')).toHaveLength(2500);
  });

  it('reports an unreachable server as a StorageError after bounded retries', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const store = new HttpStore(`http://127.0.0.1:${port}`, { retries: 1 });
    await expect(store.getRun('a'.repeat(32))).rejects.toMatchObject({ code: 'E_STORAGE', message: expect.stringMatching(/cannot reach the tracking server/) });
  });
});
