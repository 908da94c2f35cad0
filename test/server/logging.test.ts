// Writes to runs over HTTP: log-metric, log-parameter, log-batch (MLflow's limits), set-tag, delete-tag,
// and metrics/get-history; run_uuid beside run_id; NaN and infinities as strings.
import { describe, expect, it } from 'vitest';
import { makeRun, makeServer } from './helpers.js';

describe('logging endpoints', () => {
  it('logs metrics (run_uuid accepted, NaN as a string) and reads the history in order', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    for (const [step, value] of [[0, 1.5], [1, 'NaN'], [2, 0.5]] as const) {
      const res = await s.call('POST', '/runs/log-metric', { run_uuid: runId, key: 'loss', value, timestamp: String(100 + step), step });
      expect([res.status, res.body]).toEqual([200, {}]);
    }
    await s.call('POST', '/runs/log-metric', { run_id: runId, key: 'inf', value: 'Infinity', timestamp: 1 });
    const history = await s.call('GET', '/metrics/get-history', { run_id: runId, run_uuid: runId, metric_key: 'loss' });
    expect(history.body).toEqual({ metrics: [
      { key: 'loss', value: 1.5, timestamp: 100, step: 0 },
      { key: 'loss', value: 'NaN', timestamp: 101, step: 1 },
      { key: 'loss', value: 0.5, timestamp: 102, step: 2 },
    ] });
    const run = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect(run.data.metrics).toEqual(expect.arrayContaining([
      { key: 'loss', value: 0.5, timestamp: 102, step: 2 },
      { key: 'inf', value: 'Infinity', timestamp: 1, step: 0 },
    ]));
    const paged = await s.call('GET', '/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '2' });
    expect(paged.body.metrics).toHaveLength(2);
    const rest = await s.call('GET', '/metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '2', page_token: paged.body.next_page_token });
    expect(rest.body.metrics).toEqual([{ key: 'loss', value: 0.5, timestamp: 102, step: 2 }]);
    expect((await s.call('GET', '/metrics/get-history', { run_id: runId, metric_key: 'none' })).body).toEqual({ metrics: [] });
    expect((await s.call('GET', '/metrics/get-history', { run_id: 'a'.repeat(32), metric_key: 'loss' })).status).toBe(404);
  });

  it.each([
    ['no key', { value: 1, timestamp: 1 }, /required parameter 'key'/],
    ['no value', { key: 'm', timestamp: 1 }, /required parameter 'value'/],
    ['no timestamp', { key: 'm', value: 1 }, /required parameter 'timestamp'/],
    ['a boolean value', { key: 'm', value: true, timestamp: 1 }, /parameter 'value'/],
    ['a text value', { key: 'm', value: 'high', timestamp: 1 }, /parameter 'value'/],
    ['a negative timestamp', { key: 'm', value: 1, timestamp: -1 }, /timestamp/],
    ['a fractional step', { key: 'm', value: 1, timestamp: 1, step: 0.5 }, /parameter 'step'/],
    ['a key with ..', { key: 'a/../b', value: 1, timestamp: 1 }, /must not resolve to other names/],
    ['a key with a bad character', { key: 'a*b', value: 1, timestamp: 1 }, /Names may only contain/],
    ['a key over 250 characters', { key: 'k'.repeat(251), value: 1, timestamp: 1 }, /maximum length of 250/],
  ])('refuses a metric with %s (400 INVALID_PARAMETER_VALUE)', async (_what, body, message) => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/log-metric', { run_id: runId, ...body });
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(res.body.message).toMatch(message);
  });

  it('logs a param once: the same value again is fine, another value is 400 with MLflow\'s message', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    expect((await s.call('POST', '/runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'lr', value: '0.01' })).status).toBe(200);
    expect((await s.call('POST', '/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.01' })).status).toBe(200);
    const changed = await s.call('POST', '/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' });
    expect([changed.status, changed.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(changed.body.message).toMatch(/^Changing param values is not allowed. Param with key='lr' was already logged with value='0.01'/);
    const batch = await s.call('POST', '/runs/log-batch', { run_id: runId, params: [{ key: 'lr', value: '0.2' }] });
    expect([batch.status, batch.body.message]).toEqual([400, expect.stringMatching(/^Changing param values is not allowed. Params were already logged/)]);
    expect((await s.call('POST', '/runs/log-parameter', { run_id: runId, key: 'long', value: 'x'.repeat(6001) })).status).toBe(400);
    expect((await s.call('POST', '/runs/log-parameter', { run_id: runId, key: 'empty', value: '' })).status).toBe(200);
  });

  it('logs a batch of metrics, params and tags in one call; a runName tag renames the run', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'acc', value: 0.5, timestamp: 10 }, { key: 'acc', value: 0.7, timestamp: 11, step: 1 }],
      params: [{ key: 'opt', value: 'adam' }, { key: 'opt', value: 'adam' }],
      tags: [{ key: 'team', value: 'a' }, { key: 'team', value: 'b' }, { key: 'mlflow.runName', value: 'batched' }],
    });
    expect([res.status, res.body]).toEqual([200, {}]);
    const run = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect(run.info.run_name).toBe('batched');
    expect(run.data.metrics).toEqual([{ key: 'acc', value: 0.7, timestamp: 11, step: 1 }]);
    expect(run.data.params).toEqual([{ key: 'opt', value: 'adam' }]);
    expect(run.data.tags).toContainEqual({ key: 'team', value: 'b' });
  });

  const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
  const pairs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: 'v' }));

  it.each([
    ['1001 metrics', { metrics: metrics(1001) }, /at most 1000 metrics. Got 1001/],
    ['101 params', { params: pairs(101, 'p') }, /at most 100 params. Got 101/],
    ['101 tags', { tags: pairs(101, 't') }, /at most 100 tags. Got 101/],
    ['1001 items in all', { metrics: metrics(901), params: pairs(100, 'p') }, /at most 1000 total/],
    ['a param key twice with two values', { params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }] }, /Duplicate parameter keys/],
    ['a metric without timestamp', { metrics: [{ key: 'm', value: 1 }] }, /required parameter 'metrics\[0\].timestamp'/],
    ['metrics that are not a list', { metrics: { key: 'm' } }, /expected a list/],
  ])('refuses a batch with %s, writing nothing', async (_what, body, message) => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/log-batch', { run_id: runId, ...body });
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(res.body.message).toMatch(message);
    const run = await s.store.getRun(runId);
    expect([Object.keys(run.data.metrics), Object.keys(run.data.params)]).toEqual([[], []]);
  });

  it.each([
    ['a run_id given as a list', { run_id: ['RUN'], key: 'm', value: 1, timestamp: 1 }, "'run_id'"],
    ['a key given as a list', { run_id: 'RUN', key: ['m', 'n'], value: 1, timestamp: 1 }, "'key'"],
    ['a value given as a list', { run_id: 'RUN', key: 'm', value: ['1'], timestamp: 1 }, "'value'"],
    ['a value in hexadecimal', { run_id: 'RUN', key: 'm', value: '0x10', timestamp: 1 }, "'value'"],
    ['a value in binary', { run_id: 'RUN', key: 'm', value: '0b11', timestamp: 1 }, "'value'"],
  ])('log-metric refuses %s in a JSON body (400 naming the field), logging nothing', async (_what, body, field) => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/log-metric', JSON.parse(JSON.stringify(body).replaceAll('RUN', runId)) as Record<string, unknown>);
    expect([res.status, res.body.error_code, res.body.message]).toEqual([400, 'INVALID_PARAMETER_VALUE', expect.stringContaining(field)]);
    expect(Object.keys((await s.store.getRun(runId)).data.metrics)).toEqual([]);
  });

  it('still reads numeric text and a query key given twice (the first counts)', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    expect((await s.call('POST', '/runs/log-metric', { run_id: runId, key: 'm', value: ' -1.5e2 ', timestamp: '7' })).status).toBe(200);
    expect((await s.store.getMetricHistory(runId, 'm')).map((m) => m.value)).toEqual([-150]);
    const res = await s.app.inject({ method: 'GET', url: `/api/2.0/mlflow/runs/get?run_id=${runId}&run_id=other` });
    expect([res.statusCode, res.json().run.info.run_id]).toEqual([200, runId]);
  });

  it('accepts a batch at exactly the limits', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/log-batch', { run_id: runId, metrics: metrics(800), params: pairs(100, 'p'), tags: pairs(100, 't') });
    expect(res.status).toBe(200);
    expect(await s.store.getMetricHistory(runId, 'm')).toHaveLength(800);
  });

  it('sets and deletes tags; set-tag of mlflow.runName renames the run; a missing tag is 404', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    expect((await s.call('POST', '/runs/set-tag', { run_id: runId, run_uuid: runId, key: 'note', value: 'hi' })).status).toBe(200);
    expect((await s.call('POST', '/runs/set-tag', { run_id: runId, key: 'mlflow.runName', value: 'named' })).status).toBe(200);
    let run = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect(run.info.run_name).toBe('named');
    expect(run.data.tags).toContainEqual({ key: 'note', value: 'hi' });
    expect((await s.call('POST', '/runs/delete-tag', { run_id: runId, key: 'note' })).body).toEqual({});
    run = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect(run.data.tags).not.toContainEqual({ key: 'note', value: 'hi' });
    const missing = await s.call('POST', '/runs/delete-tag', { run_id: runId, key: 'note' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `No tag with name: note in run with id ${runId}` });
    expect((await s.call('POST', '/runs/set-tag', { run_id: runId, key: '' })).status).toBe(400);
    expect((await s.call('POST', '/runs/set-tag', { run_id: 'a'.repeat(32), key: 'k', value: 'v' })).status).toBe(404);
  });
});
