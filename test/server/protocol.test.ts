// The wire rules every endpoint shares: JSON decoding, MLflow's error shape and statuses (never a 5xx
// for a client error, never a stack trace), unknown endpoints, body limits, the bearer token, /health.
import { describe, expect, it } from 'vitest';
import { API, makeRun, makeServer } from './helpers.js';

describe('protocol', () => {
  it('answers /health with 200 OK and /version with the version', async () => {
    const s = await makeServer();
    const health = await s.app.inject({ method: 'GET', url: '/health' });
    expect([health.statusCode, health.body]).toEqual([200, 'OK']);
    expect((await s.app.inject({ method: 'GET', url: '/version' })).body).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('answers an unknown endpoint or method with 404 ENDPOINT_NOT_FOUND in JSON', async () => {
    const s = await makeServer();
    for (const [method, url] of [['POST', `${API}/runs/frobnicate`], ['GET', `${API}/runs/create`], ['GET', '/other']] as const) {
      const res = await s.app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual({ error_code: 'ENDPOINT_NOT_FOUND', message: expect.stringContaining(url) });
    }
  });

  it('answers malformed JSON with 400 INVALID_PARAMETER_VALUE', async () => {
    const s = await makeServer();
    const res = await s.app.inject({ method: 'POST', url: `${API}/experiments/create`, payload: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/^Malformed JSON/) });
  });

  it('reads an empty body as {} (then required fields fail) and a double-encoded body as JSON', async () => {
    const s = await makeServer();
    const empty = await s.app.inject({ method: 'POST', url: `${API}/experiments/create`, payload: '', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(empty.body).message).toMatch(/Missing value for required parameter 'name'/);
    const twice = await s.app.inject({ method: 'POST', url: `${API}/experiments/create`, payload: JSON.stringify(JSON.stringify({ name: 'e' })), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(twice.statusCode).toBe(200);
  });

  it('refuses a body that is not a JSON object, and a content type other than JSON', async () => {
    const s = await makeServer();
    const list = await s.app.inject({ method: 'POST', url: `${API}/experiments/create`, payload: '[1]', headers: { 'content-type': 'application/json' } });
    expect(list.statusCode).toBe(400);
    const text = await s.app.inject({ method: 'POST', url: `${API}/experiments/create`, payload: 'name=e', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(400);
    expect(JSON.parse(text.body)).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: "Bad Request. Content-Type must be one of [application/json]. Got 'text/plain'." });
  });

  it('refuses a body over the limit with 413 and a JSON error', async () => {
    const s = await makeServer({ bodyLimitBytes: 1024 });
    const res = await s.app.inject({ method: 'POST', url: `${API}/experiments/create`, payload: { name: 'x'.repeat(2000) } });
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/too large/) });
  });

  it('serves the same API under /ajax-api (the web UI\'s prefix)', async () => {
    const s = await makeServer();
    const res = await s.call('GET', '/ajax-api/2.0/mlflow/experiments/get', { experiment_id: '0' });
    expect(res.body.experiment.name).toBe('Default');
  });

  it('never answers a client error with a 5xx, nor shows a stack trace', async () => {
    const s = await makeServer();
    const { runId } = await makeRun(s);
    const bad: [string, Record<string, unknown>][] = [
      ['/runs/create', { experiment_id: { nested: true } }],
      ['/runs/log-batch', { run_id: runId, metrics: [null, 3] }],
      ['/runs/log-batch', { run_id: runId, tags: 'x' }],
      ['/runs/log-metric', { run_id: runId, key: 'k', value: 1, timestamp: 1e300 }],
      ['/runs/search', { experiment_ids: [{}] }],
      ['/runs/search', { experiment_ids: ['0'], filter: '(((((' }],
      ['/runs/update', { run_id: runId, end_time: 'later' }],
      ['/experiments/search', { max_results: -1 }],
      ['/runs/get', { run_id: ['a', 'b'] }],
    ];
    for (const [path, body] of bad) {
      const res = await s.call('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      expect(res.raw.body).not.toMatch(/\n\s+at /);
    }
  });

  it('answers an internal failure with 500 INTERNAL_ERROR, a short message, and reports it to the operator', async () => {
    const seen: unknown[] = [];
    const s = await makeServer({ onInternalError: (e) => seen.push(e) });
    await s.store.close();
    const res = await s.call('GET', '/experiments/get', { experiment_id: '0' });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body.error_code).toMatch(/INTERNAL_ERROR|TEMPORARILY_UNAVAILABLE/);
    expect(res.raw.body).not.toMatch(/\n\s+at /);
    expect(seen.length).toBeGreaterThanOrEqual(res.status === 500 ? 1 : 0);
  });

  describe('with --token', () => {
    it('requires Authorization: Bearer <token> on every request but /health', async () => {
      const s = await makeServer({ token: 's3cret' });
      expect((await s.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic czNjcmV0' }, { authorization: 'Bearer s3cret2' }] as Record<string, string>[]) {
        const res = await s.call('GET', '/experiments/get', { experiment_id: '0' }, headers);
        expect(res.status).toBe(401);
        expect(res.body.error_code).toBe('UNAUTHENTICATED');
      }
      const put = await s.app.inject({ method: 'PUT', url: '/api/2.0/mlflow-artifacts/artifacts/0/x.txt', payload: 'x' });
      expect(put.statusCode).toBe(401);
      const missing = await s.app.inject({ method: 'GET', url: '/nowhere' });
      expect(missing.statusCode).toBe(401);
      const ok = await s.call('GET', '/experiments/get', { experiment_id: '0' }, { authorization: 'Bearer s3cret' });
      expect(ok.status).toBe(200);
    });
  });
});
