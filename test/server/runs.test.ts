// runs/* through the server's routes (fastify inject, no socket): create (run names), get, update,
// delete, restore, search with filter/order/pages.
import { describe, expect, it } from 'vitest';
import { makeRun, makeServer } from './helpers.js';

describe('runs endpoints', () => {
  it('creates a run named by the mlflow.runName tag and returns it in MLflow\'s shape', async () => {
    const s = await makeServer();
    const id = (await s.call('POST', '/experiments/create', { name: 'exp' })).body.experiment_id as string;
    const res = await s.call('POST', '/runs/create', {
      experiment_id: id, user_id: 'alice', start_time: '1717000000000', tags: [{ key: 'mlflow.runName', value: 'trial-7' }, { key: 'a', value: 'b' }],
    });
    expect(res.status).toBe(200);
    const run = res.body.run;
    expect(run.info).toEqual({
      run_id: expect.stringMatching(/^[0-9a-f]{32}$/), run_uuid: run.info.run_id, run_name: 'trial-7', experiment_id: id, user_id: 'alice',
      status: 'RUNNING', start_time: 1717000000000, artifact_uri: `mlflow-artifacts:/${id}/${run.info.run_id}/artifacts`, lifecycle_stage: 'active',
    });
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'mlflow.runName', value: 'trial-7' }, { key: 'a', value: 'b' }]));
    expect(run.data.metrics).toEqual([]);
    expect(run.inputs).toEqual({});
    const got = await s.call('GET', '/runs/get', { run_uuid: run.info.run_id });
    expect(got.body.run).toEqual(run);
  });

  it('names a run from run_name and adds the tag; refuses a run_name that contradicts the tag', async () => {
    const s = await makeServer();
    const res = await s.call('POST', '/runs/create', { experiment_id: '0', run_name: 'r1' });
    expect(res.body.run.info.run_name).toBe('r1');
    expect(res.body.run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'r1' });
    const clash = await s.call('POST', '/runs/create', { experiment_id: '0', run_name: 'r1', tags: [{ key: 'mlflow.runName', value: 'r2' }] });
    expect([clash.status, clash.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(clash.body.message).toMatch(/Both 'run_name' argument and 'mlflow.runName' tag/);
  });

  it('puts a run without experiment_id into the Default experiment, and records the parent of a nested run', async () => {
    const s = await makeServer();
    const parent = (await s.call('POST', '/runs/create', {})).body.run.info;
    expect(parent.experiment_id).toBe('0');
    const child = await s.call('POST', '/runs/create', { experiment_id: '0', tags: [{ key: 'mlflow.parentRunId', value: parent.run_id }] });
    const found = await s.store.searchRuns({ experimentIds: ['0'], parentRunId: parent.run_id });
    expect(found.items.map((r) => r.info.runId)).toEqual([child.body.run.info.run_id]);
  });

  it.each([
    ['an unknown experiment', { experiment_id: '77' }, 404, 'RESOURCE_DOES_NOT_EXIST'],
    ['a bad start_time', { experiment_id: '0', start_time: 'soon' }, 400, 'INVALID_PARAMETER_VALUE'],
    ['a tag without key', { experiment_id: '0', tags: [{ value: 'x' }] }, 400, 'INVALID_PARAMETER_VALUE'],
    ['a tag value over 8000 characters', { experiment_id: '0', tags: [{ key: 'k', value: 'x'.repeat(8001) }] }, 400, 'INVALID_PARAMETER_VALUE'],
  ])('refuses to create a run in %s', async (_what, body, status, code) => {
    const s = await makeServer();
    const res = await s.call('POST', '/runs/create', body);
    expect([res.status, res.body.error_code]).toEqual([status, code]);
  });

  it('updates status, end time and name, returning run_info', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/update', { run_id: runId, run_uuid: runId, status: 'FINISHED', end_time: 5000, run_name: 'renamed' });
    expect(res.status).toBe(200);
    expect(res.body.run_info).toMatchObject({ run_id: runId, status: 'FINISHED', end_time: 5000, run_name: 'renamed' });
    const run = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'renamed' });
    // status as the proto number works too; an unknown status does not
    expect((await s.call('POST', '/runs/update', { run_id: runId, status: 4 })).body.run_info.status).toBe('FAILED');
    expect((await s.call('POST', '/runs/update', { run_id: runId, status: 'DONE' })).status).toBe(400);
  });

  it('answers 404 for an unknown run and 400 for a missing run id', async () => {
    const s = await makeServer();
    const unknown = await s.call('GET', '/runs/get', { run_id: 'f'.repeat(32) });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'f'.repeat(32)} not found` });
    for (const path of ['/runs/update', '/runs/delete', '/runs/restore']) {
      expect((await s.call('POST', path, { run_id: 'f'.repeat(32) })).status).toBe(404);
      const missing = await s.call('POST', path, {});
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/^Missing value for required parameter 'run_id'/);
    }
    expect((await s.call('GET', '/runs/get')).status).toBe(400);
  });

  it('soft-deletes and restores a run; a deleted run is readable but refuses writes', async () => {
    const s = await makeServer();
    const { experimentId, runId } = await makeRun(s);
    expect((await s.call('POST', '/runs/delete', { run_id: runId })).body).toEqual({});
    expect((await s.call('GET', '/runs/get', { run_id: runId })).body.run.info.lifecycle_stage).toBe('deleted');
    expect((await s.call('POST', '/runs/search', { experiment_ids: [experimentId] })).body.runs).toEqual([]);
    expect((await s.call('POST', '/runs/search', { experiment_ids: [experimentId], run_view_type: 'DELETED_ONLY' })).body.runs).toHaveLength(1);
    for (const [path, body] of [
      ['/runs/log-metric', { key: 'm', value: 1, timestamp: 1 }],
      ['/runs/log-parameter', { key: 'p', value: '1' }],
      ['/runs/set-tag', { key: 't', value: '1' }],
      ['/runs/update', { status: 'FINISHED' }],
      ['/runs/log-batch', { metrics: [] }],
    ] as const) {
      const res = await s.call('POST', path, { run_id: runId, ...body });
      expect([path, res.status, res.body.message]).toEqual([path, 400, `The run ${runId} must be in the 'active' state. Current state is deleted.`]);
    }
    expect((await s.call('POST', '/runs/restore', { run_id: runId })).status).toBe(200);
    expect((await s.call('POST', '/runs/search', { experiment_ids: [experimentId] })).body.runs).toHaveLength(1);
  });

  describe('search', () => {
    async function seeded() {
      const s = await makeServer();
      const id = (await s.call('POST', '/experiments/create', { name: 'exp' })).body.experiment_id as string;
      for (const [i, opt] of ['adam', 'sgd', 'adam', 'adam'].entries()) {
        const run = (await s.call('POST', '/runs/create', { experiment_id: id, run_name: `r${i}`, start_time: 1000 + i })).body.run.info;
        await s.call('POST', '/runs/log-batch', { run_id: run.run_id, params: [{ key: 'opt', value: opt }], metrics: [{ key: 'loss', value: 1 / (i + 1), timestamp: 1, step: 0 }] });
      }
      return { s, id };
    }
    const names = (body: Record<string, any>): string[] => (body.runs as { info: { run_name: string } }[]).map((r) => r.info.run_name);

    it('filters, orders and pages like MLflow', async () => {
      const { s, id } = await seeded();
      const query = { experiment_ids: [id], filter: "params.opt = 'adam' and metrics.loss < 0.9", order_by: ['metrics.loss ASC'], max_results: 1 };
      const first = await s.call('POST', '/runs/search', query);
      expect(first.status).toBe(200);
      expect(names(first.body)).toEqual(['r3']);
      expect(first.body.runs[0].data.metrics).toEqual([{ key: 'loss', value: 0.25, timestamp: 1, step: 0 }]);
      expect(first.body.runs[0].data.params).toEqual([{ key: 'opt', value: 'adam' }]);
      const next = await s.call('POST', '/runs/search', { ...query, page_token: first.body.next_page_token });
      expect(names(next.body)).toEqual(['r2']);
      expect(next.body.next_page_token).toBeUndefined();
      // default order: newest start_time first
      expect(names((await s.call('POST', '/runs/search', { experiment_ids: [id] })).body)).toEqual(['r3', 'r2', 'r1', 'r0']);
      expect(names((await s.call('POST', '/runs/search', { experiment_ids: [id], filter: "tags.`mlflow.runName` LIKE 'r%' AND attributes.status = 'RUNNING'", order_by: ['params.opt DESC', 'attributes.start_time'] })).body))
        .toEqual(['r1', 'r0', 'r2', 'r3']);
    });

    it.each([
      ['metrics.loss <', /filter: expected .* at column 15/],
      ["metrics.loss > '1'", /column/],
      ['params.opt = adam', /column/],
      ['metrics.a < 1 ; drop table runs', /column/],
    ])('refuses the filter %s with 400 INVALID_PARAMETER_VALUE naming the column', async (filter, message) => {
      const { s, id } = await seeded();
      const res = await s.call('POST', '/runs/search', { experiment_ids: [id], filter });
      expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(res.body.message).toMatch(message);
    });

    it.each([
      [{ max_results: 50_001 }, /at most 50000/],
      [{ max_results: 'many' }, /max_results/],
      [{ page_token: 'not-a-token' }, /page token/],
      [{ order_by: ['metrics.loss SIDEWAYS'] }, /order_by/],
      [{ run_view_type: 'SOME' }, /run_view_type/],
    ])('refuses %j with 400', async (body, message) => {
      const { s, id } = await seeded();
      const res = await s.call('POST', '/runs/search', { experiment_ids: [id], ...body });
      expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
      expect(res.body.message).toMatch(message);
    });
  });
});
