// sweep server on PostgreSQL: the TrackingStore contract through HttpStore and a real loopback server
// whose store is a PgStore (each contract store its own server app and schema), and the UI and the
// MLflow search route answering from PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpStore } from '../../src/tracking/http/http-store.js';
import { describeStoreContract } from '../contracts/store.contract.js';
import { ScratchPgStore, pgAvailable } from '../helpers/pg.js';
import { TenantServer } from '../helpers/tenant-server.js';

const available = await pgAvailable();
const tenants = new TenantServer();
const stores: ScratchPgStore[] = [];

beforeAll(() => tenants.start());

afterAll(async () => {
  await tenants.close();
  for (const store of stores) await store.close();
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
  const store = new ScratchPgStore();
  stores.push(store);
  const url = tenants.add(store);
  return { http: new TenantHttpStore(url, store), url, pg: store };
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
