// Requests a careless or hostile client sends: int64 values past what a double holds, ids spelt
// oddly, keys that are special to JavaScript objects. Each answers a 4xx naming the field, or
// round-trips exactly; none is a 5xx.
import { describe, expect, it } from 'vitest';
import { API, makeRun, makeServer } from './helpers.js';

const SAFE = Number.MAX_SAFE_INTEGER; // 2^53-1

describe('int64 fields past 2^53', () => {
  it('round-trips the largest steps a double holds exactly, both signs, through history and the latest metric', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    for (const step of [SAFE, -SAFE]) {
      expect((await s.call('POST', '/runs/log-metric', { run_id: runId, key: `m${step}`, value: 1, timestamp: 1, step: String(step) })).status).toBe(200);
      const history = await s.call('GET', '/metrics/get-history', { run_id: runId, metric_key: `m${step}` });
      expect(history.body.metrics).toEqual([{ key: `m${step}`, value: 1, timestamp: 1, step }]);
    }
    const raw = (await s.call('GET', '/runs/get', { run_id: runId })).raw.body;
    expect(raw).toContain(`"step":${SAFE}`);
    expect(raw).toContain(`"step":-${SAFE}`);
  });

  it.each([
    ['a JSON number', '9007199254740993', "'step'"],
    ['a decimal string', '"9007199254740993"', "'step'"],
    ['a negative string', '"-9223372036854775808"', "'step'"],
  ])('refuses a step past 2^53-1 sent as %s with a 400 naming the field and the range, storing nothing', async (_what, step, field) => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.app.inject({
      method: 'POST', url: `${API}/runs/log-metric`, headers: { 'content-type': 'application/json' },
      payload: `{"run_id":"${runId}","key":"m","value":1,"timestamp":1,"step":${step}}`,
    });
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body) as { error_code: string; message: string };
    expect(body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(body.message).toContain(`parameter ${field} supplied`);
    expect(body.message).toContain('9007199254740991 (2^53-1)');
    expect((await s.call('GET', '/metrics/get-history', { run_id: runId, metric_key: 'm' })).body.metrics ?? []).toEqual([]);
  });

  it('names the metric at fault in a log-batch, and keeps the batch out', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'a', value: 1, timestamp: 1, step: 1 }, { key: 'b', value: 1, timestamp: 1, step: '18446744073709551615' }],
    });
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(res.body.message).toMatch(/parameter 'metrics\[1\]\.step' supplied: sweep keeps integers exactly only/);
    expect((await s.call('GET', '/runs/get', { run_id: runId })).body.run.data.metrics ?? []).toEqual([]);
  });

  it('still calls a fraction or a word just not an integer', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    for (const step of [1.5, 'ten', 'Infinity']) {
      const res = await s.call('POST', '/runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 1, step });
      expect([res.status, res.body.message]).toEqual([400, expect.stringMatching(/parameter 'step' supplied: expected an integer$/)]);
    }
  });
});

describe('keys named like Object.prototype members', () => {
  const NAMES = ['constructor', 'toString', '__proto__'];

  it('log, read back and refuse changes to params, tags and metrics named constructor, toString and __proto__', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    for (const key of NAMES) {
      expect((await s.call('POST', '/runs/log-parameter', { run_id: runId, key, value: 'a' })).status).toBe(200);
      expect((await s.call('POST', '/runs/set-tag', { run_id: runId, key, value: 't' })).status).toBe(200);
    }
    const batch = await s.call('POST', '/runs/log-batch', { run_id: runId, metrics: NAMES.map((key) => ({ key, value: 1, timestamp: 1 })), params: NAMES.map((key) => ({ key, value: 'a' })) });
    expect(batch.status).toBe(200);
    const { data } = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect((data.params as { key: string }[]).map((p) => p.key).sort()).toEqual([...NAMES].sort());
    expect((data.metrics as { key: string }[]).map((p) => p.key).sort()).toEqual([...NAMES].sort());
    expect((data.tags as { key: string }[]).filter((t) => NAMES.includes(t.key))).toHaveLength(3);
    const changed = await s.call('POST', '/runs/log-parameter', { run_id: runId, key: 'constructor', value: 'b' });
    expect([changed.status, changed.body.message]).toEqual([400, expect.stringContaining("was already logged with value='a'")]);
  });

  it('answer 404 for deleting a tag named constructor that was never set', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const res = await s.call('POST', '/runs/delete-tag', { run_id: runId, key: 'constructor' });
    expect([res.status, res.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });

  it('match only experiments and models that have such a tag in searches (LIKE on __proto__ was a 500)', async () => {
    const s = await makeServer();
    await s.call('POST', '/experiments/create', { name: 'plain' });
    await s.call('POST', '/experiments/create', { name: 'tagged', tags: [{ key: '__proto__', value: 'x' }, { key: 'constructor', value: 'y' }] });
    await s.call('POST', '/registered-models/create', { name: 'plain' });
    await s.call('POST', '/registered-models/create', { name: 'tagged', tags: [{ key: 'constructor', value: 'y' }] });
    for (const filter of ["tags.__proto__ ILIKE '%'", "tags.constructor LIKE '%'", "tags.`constructor` = 'y'"]) {
      const res = await s.call('POST', '/experiments/search', { filter });
      expect([res.status, (res.body.experiments as { name: string }[] | undefined)?.map((e) => e.name)]).toEqual([200, ['tagged']]);
    }
    for (const filter of ["tags.constructor LIKE '%'", "tags.toString LIKE '%'"]) {
      const res = await s.call('GET', '/registered-models/search', { filter });
      expect([res.status, (res.body.registered_models as { name: string }[] | undefined ?? []).map((m) => m.name)])
        .toEqual([200, filter.includes('constructor') ? ['tagged'] : []]);
    }
  });
});

describe('artifact paths the file system refuses', () => {
  const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
  const put = (s: Awaited<ReturnType<typeof makeServer>>, url: string) =>
    s.app.inject({ method: 'PUT', url, payload: 'x', headers: { 'content-type': 'application/octet-stream' } });

  it('stores and serves a file whose name holds a % (sent as %25, as clients encode it)', async () => {
    const s = await makeServer();
    const { experimentId, runId } = await makeRun(s);
    const base = `${PROXY}/${experimentId}/${runId}/artifacts`;
    expect((await put(s, `${base}/100%25.txt`)).statusCode).toBe(200);
    const got = await s.app.inject({ method: 'GET', url: `${base}/100%25.txt` });
    expect([got.statusCode, got.body]).toEqual([200, 'x']);
    const listed = await s.call('GET', '/artifacts/list', { run_id: runId });
    expect(listed.body.files).toEqual([{ path: '100%.txt', is_dir: false, file_size: 1 }]);
    // a %-escape that decodes to ".." is still refused
    expect((await put(s, `${base}/%252e%252e/x.txt`)).statusCode).toBe(400);
  });

  it('answers 400 naming the path, not 500, for a name over 255 bytes and for a file used as a directory', async () => {
    const s = await makeServer();
    const { experimentId, runId } = await makeRun(s);
    const base = `${PROXY}/${experimentId}/${runId}/artifacts`;
    const long = await put(s, `${base}/${'x'.repeat(300)}.txt`);
    expect([long.statusCode, JSON.parse(long.body).message]).toEqual([400, expect.stringMatching(/a name in it is longer than the file system takes/)]);
    expect((await put(s, `${base}/a.txt`)).statusCode).toBe(200);
    for (const url of [`${base}/a.txt/b.txt`, `${base}/a.txt/c/d.txt`]) {
      const nested = await put(s, url);
      expect([nested.statusCode, JSON.parse(nested.body).message]).toEqual([400, expect.stringMatching(/a part of it is a file, where the path needs a directory/)]);
    }
    expect((await s.call('GET', '/artifacts/list', { run_id: runId })).body.files).toEqual([{ path: 'a.txt', is_dir: false, file_size: 1 }]);
  });
});
