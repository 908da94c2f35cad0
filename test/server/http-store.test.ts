// The TrackingStore contract run against HttpStore, through a real loopback server: each store the
// contract makes gets its own server app (and SQLite file), reached under its own path prefix.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { HttpStore } from '../../src/tracking/http/http-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { describeStoreContract } from '../contracts/store.contract.js';
import { tempDir } from '../helpers/tmp.js';

const tenants = new Map<string, Promise<FastifyInstance>>();
const stores: SqliteStore[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const match = /^\/t\/(\d+)(\/.*)$/.exec(req.url ?? '');
    const tenant = match ? tenants.get(match[1] as string) : undefined;
    if (!match || !tenant) {
      res.writeHead(404).end();
      return;
    }
    req.url = match[2] as string;
    void tenant.then((app) => app.routing(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  for (const app of tenants.values()) await (await app).close();
  for (const store of stores) await store.close();
  await new Promise((resolve) => server.close(resolve));
});

function makeHttpStore(token?: string): HttpStore {
  const id = String(tenants.size);
  const store = new SqliteStore(join(tempDir('sweep-http-'), 'sweep.db'));
  stores.push(store);
  const app = buildServer({ store, ...(token !== undefined && { token }) });
  tenants.set(id, (async () => {
    await app.ready();
    return app;
  })());
  return new HttpStore(`${base}/t/${id}`, token === undefined ? {} : { token });
}

describeStoreContract('HttpStore (through sweep server)', () => makeHttpStore());

describe('HttpStore', () => {
  it('sends the token, and turns a 401 into a one-line ConfigError', async () => {
    const good = makeHttpStore('t0k3n');
    expect((await good.ensureDefaultExperiment()).name).toBe('Default');
    const id = String(tenants.size - 1);
    const bad = new HttpStore(`${base}/t/${id}`, { token: 'wrong' });
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
