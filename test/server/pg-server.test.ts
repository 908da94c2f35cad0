// sweep server on PostgreSQL: the TrackingStore contract through HttpStore and a real loopback server
// whose store is a PgStore (each contract store its own server app and schema), and the UI and the
// MLflow search route answering from PostgreSQL.
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { HttpStore } from '../../src/tracking/http/http-store.js';
import { describeStoreContract } from '../contracts/store.contract.js';
import { ScratchPgStore, pgAvailable } from '../helpers/pg.js';

const available = await pgAvailable();
const tenants = new Map<string, Promise<FastifyInstance>>();
const stores: ScratchPgStore[] = [];
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

/** The client of one tenant; closing it also closes the tenant's store (and drops its schema), so connections do not pile up. */
class TenantHttpStore extends HttpStore {
  constructor(url: string, private readonly pg: ScratchPgStore) {
    super(url);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.pg.close();
    stores.splice(stores.indexOf(this.pg), 1);
  }
}

function tenant(): { http: HttpStore; url: string; pg: ScratchPgStore } {
  const id = String(tenants.size);
  const store = new ScratchPgStore();
  stores.push(store);
  const app = buildServer({ store });
  tenants.set(id, (async () => {
    await app.ready();
    return app;
  })());
  return { http: new TenantHttpStore(`${base}/t/${id}`, store), url: `${base}/t/${id}`, pg: store };
}

if (available) describeStoreContract('HttpStore (through sweep server on PostgreSQL)', () => tenant().http);

describe.runIf(available)('sweep server on PostgreSQL', () => {
  it('serves MLflow search and the UI from PostgreSQL', async () => {
    const { http, url, pg } = tenant();
    const study = await pg.createStudy({ name: 'served', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'random' }, seed: 1 });
    for (const value of [3, 1, 2]) {
      const t = await pg.createTrial(study.studyId, {});
      await pg.finishTrial(t.trialId, { state: 'COMPLETE', value });
    }
    const response = await fetch(`${url}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_ids: [study.experimentId], filter: "tags.`sweep.role` = 'trial' and metrics.loss < 2.5", order_by: ['metrics.loss ASC'] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { runs: { data: { metrics: { key: string; value: number }[] } }[] };
    expect(body.runs.map((r) => r.data.metrics.find((m) => m.key === 'loss')?.value)).toEqual([1, 2]);
    expect((await http.listStudies()).map((s) => s.study.name)).toEqual(['served']);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const bad = await fetch(`${url}/api/2.0/mlflow/runs/search`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ experiment_ids: [study.experimentId], filter: 'metrics.loss <' }),
    });
    expect(bad.status).toBe(400);
  });
});
