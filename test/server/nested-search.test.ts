// Nested search (sweep extension) through the server's runs/search (`nested`, `parent_run_id`, the
// `children` response field) and the built CLI's `sweep runs search --nested`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { sweep } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';
import { makeServer } from './helpers.js';

/** A study-like parent with trials r0 (adam), r1 (sgd), r2 (adam), and a top-level run "solo" (sgd). */
async function seed(store: SqliteStore): Promise<{ experimentId: string; parent: string; trials: string[] }> {
  const e = await store.createExperiment('exp');
  const parent = await store.createRun({ experimentId: e.experimentId, runName: 'study', startTime: 1000 });
  await store.logBatch(parent.info.runId, { metrics: [{ key: 'loss', value: 0.1, step: 0, timestamp: 1 }] });
  const trials: string[] = [];
  for (const [i, opt] of ['adam', 'sgd', 'adam'].entries()) {
    const run = await store.createRun({ experimentId: e.experimentId, runName: `r${i}`, startTime: 1001 + i, parentRunId: parent.info.runId });
    await store.logBatch(run.info.runId, { params: { opt }, metrics: [{ key: 'loss', value: 0.5 - i / 10, step: 0, timestamp: 1 }] });
    trials.push(run.info.runId);
  }
  const solo = await store.createRun({ experimentId: e.experimentId, runName: 'solo', startTime: 900 });
  await store.logBatch(solo.info.runId, { params: { opt: 'sgd' }, metrics: [{ key: 'loss', value: 0.2, step: 0, timestamp: 1 }] });
  return { experimentId: e.experimentId, parent: parent.info.runId, trials };
}

const names = (runs: { info: { run_name: string } }[]): string[] => runs.map((r) => r.info.run_name);

describe('runs/search with nested (sweep extension)', () => {
  it('returns top-level runs in `runs` and their matching children in `children`', async () => {
    const s = await makeServer();
    const { experimentId, parent } = await seed(s.store);
    const flat = await s.call('POST', '/runs/search', { experiment_ids: [experimentId], filter: "params.opt = 'adam'", order_by: ['metrics.loss'] });
    expect(names(flat.body.runs)).toEqual(['r2', 'r0']);
    expect(flat.body.children).toBeUndefined();
    const res = await s.call('POST', '/runs/search', {
      experiment_ids: [experimentId], filter: "params.opt = 'adam'", order_by: ['metrics.loss'], nested: true,
    });
    expect(res.status).toBe(200);
    expect(names(res.body.runs)).toEqual(['study']);
    expect(Object.keys(res.body.children)).toEqual([parent]);
    expect(names(res.body.children[parent])).toEqual(['r2', 'r0']);
    expect(res.body.children[parent][0].data.params).toEqual([{ key: 'opt', value: 'adam' }]);
  });

  it('pages the top-level runs, takes parent_run_id, and reads "true" from a query string', async () => {
    const s = await makeServer();
    const { experimentId, parent } = await seed(s.store);
    const first = await s.call('POST', '/runs/search', { experiment_ids: [experimentId], nested: 'true', max_results: 1 });
    expect(names(first.body.runs)).toEqual(['study']);
    expect(names(first.body.children[parent])).toEqual(['r2', 'r1', 'r0']);
    const second = await s.call('POST', '/runs/search', { experiment_ids: [experimentId], nested: true, max_results: 1, page_token: first.body.next_page_token });
    expect(names(second.body.runs)).toEqual(['solo']);
    expect(second.body.children).toEqual({});
    expect(second.body.next_page_token).toBeUndefined();
    const under = await s.call('POST', '/runs/search', { experiment_ids: [experimentId], nested: true, parent_run_id: parent, order_by: ['metrics.loss'] });
    expect(names(under.body.runs)).toEqual(['r2', 'r1', 'r0']);
  });

  it('refuses a nested value that is not a boolean with 400 INVALID_PARAMETER_VALUE', async () => {
    const s = await makeServer();
    const res = await s.call('POST', '/runs/search', { experiment_ids: ['0'], nested: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/nested/) });
  });
});

describe('sweep runs search --nested', () => {
  it('prints children under their parent in the table, as a tree in JSON, with parent_run_id in CSV', async () => {
    const dir = tempDir('sweep-cli-nested-');
    const path = join(dir, 'sweep.db');
    const store = new SqliteStore(path);
    const { parent, trials } = await seed(store);
    await store.close();
    const args = ['runs', 'search', '--experiment', 'exp', '--filter', "params.opt = 'adam'", '--order-by', 'metrics.loss', '--nested', '--storage', `sqlite:${path}`];
    const text = await sweep(args, dir);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/).slice(1, 3).join(' '))).toEqual(['study RUNNING', '└ r2', '└ r0']);
    const json = JSON.parse((await sweep([...args, '--json'], dir)).stdout) as { info: { runName: string }; children: { info: { runName: string } }[] }[];
    expect(json.map((r) => r.info.runName)).toEqual(['study']);
    expect(json[0]?.children.map((r) => r.info.runName)).toEqual(['r2', 'r0']);
    const csv = (await sweep([...args, '--csv'], dir)).stdout.trim().split('\n');
    expect(csv[0]).toBe('run_id,parent_run_id,run_name,status,start_time,metrics.loss,params.opt');
    expect(csv[1]).toMatch(new RegExp(`^${parent},,study,`));
    expect(csv[2]).toMatch(new RegExp(`^${trials[2]},${parent},r2,`));
  });
});
