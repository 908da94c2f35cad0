// Hostile requests are client errors with bounded work: deep JSON, huge id lists, deep or long filters
// answer 400 with MLflow's error JSON (they answered 500 before), and a LIKE pattern built to make a
// backtracking matcher explode neither hangs the search nor /health beside it.
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { stalledRequestAnswer } from '../helpers/stalled-request.js';
import { tempDir } from '../helpers/tmp.js';
import { makeServer } from './helpers.js';

const ors = (n: number, key = 'params.a'): string => Array.from({ length: n }, (_, i) => `${key} = '${i}'`).join(' OR ');
const parens = (n: number): string => `${'('.repeat(n)}params.a = 'x'${')'.repeat(n)}`;

describe('request limits', () => {
  it.each([
    ['100,000 nested arrays', '/api/2.0/mlflow/runs/search', `{"experiment_ids": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['100,000 nested objects', '/api/2.0/mlflow/runs/log-batch', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
    ['10,000 levels on the RPC routes', '/api/2.0/sweep/store/getTrials', `{"args": [${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}]}`],
    ['a double-encoded deep body', '/api/2.0/mlflow/runs/search', JSON.stringify(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)],
  ])('%s: 400 INVALID_PARAMETER_VALUE', async (_name, url, payload) => {
    const s = await makeServer({ onInternalError: (e) => { throw e; } });
    const res = await s.app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
    expect([res.statusCode, res.json().error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(res.json().message).toMatch(/nests deeper than/);
  });

  it('keeps ordinary nesting working (strings with brackets do not count)', async () => {
    const s = await makeServer();
    const res = await s.call('POST', '/experiments/create', { name: '[[[[{{{{'.repeat(40), tags: [{ key: 'k', value: ']]]]}}}}'.repeat(100) }] });
    expect(res.status).toBe(200);
  });

  it.each([
    ['40,000 experiment ids', { experiment_ids: Array.from({ length: 40_000 }, (_, i) => String(i)) }, /experiment_ids: 40000 ids/],
    ['5,000 parentheses', { experiment_ids: ['0'], filter: parens(5000) }, /parentheses nest deeper/],
    ['2,000 ORs', { experiment_ids: ['0'], filter: ors(2000) }, /more than 200 comparisons/],
    ['a 200,000-character filter', { experiment_ids: ['0'], filter: `params.a LIKE '${'x'.repeat(200_000)}'` }, /longer than the limit/],
    ['2,000 run ids in IN', { experiment_ids: ['0'], filter: `attributes.run_id IN (${Array.from({ length: 2000 }, (_, i) => `'r${i}'`).join(',')})` }, /more than 1000 run ids/],
    ['100 order_by keys', { experiment_ids: ['0'], order_by: Array.from({ length: 100 }, (_, i) => `metrics.m${i}`) }, /order_by/],
  ])('runs/search with %s: 400 with MLflow\'s error JSON', async (_name, body, message) => {
    const s = await makeServer({ onInternalError: (e) => { throw e; } });
    const res = await s.call('POST', '/runs/search', body);
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(res.body.message).toMatch(message);
  });

  it('the largest filter inside the limits still runs', async () => {
    const s = await makeServer({ onInternalError: (e) => { throw e; } });
    expect((await s.call('POST', '/runs/search', { experiment_ids: ['0'], filter: ors(200, 'tags.t') })).status).toBe(200);
    expect((await s.call('POST', '/runs/search', { experiment_ids: ['0'], filter: parens(32) })).status).toBe(200);
    expect((await s.call('POST', '/runs/search', { experiment_ids: ['0'], filter: `(${ors(100, 'metrics.m').replace(/'/g, '')}) AND (${ors(99)})` })).status).toBe(200);
  });

  it.each([
    ['5,000 parentheses', parens(5000)],
    ['2,000 ORs', ors(2000)],
  ])('the UI runs table with %s: the filter error shown inline, as for any bad filter', async (_name, filter) => {
    const s = await makeServer({ onInternalError: (e) => { throw e; } });
    const res = await s.app.inject({ method: 'GET', url: '/api/ui/runs', query: { experiment_id: '0', filter } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ error: expect.stringMatching(/parentheses nest deeper|more than 200 comparisons/) });
  });

  it('experiments/search with 2,000 clauses: 400', async () => {
    const s = await makeServer();
    const res = await s.call('POST', '/experiments/search', { filter: Array.from({ length: 2000 }, (_, i) => `name = '${i}'`).join(' AND ') });
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });
});

describe('LIKE on a real server', () => {
  let running: { server: RunningServer; store: SqliteStore } | undefined;
  afterEach(async () => {
    await running?.server.close();
    await running?.store.close();
    running = undefined;
  });

  it('answers a pathological experiment-name LIKE at once, and /health while it runs', async () => {
    const store = new SqliteStore(join(tempDir('sweep-like-'), 'sweep.db'));
    const server = await startServer({ store, port: 0 });
    running = { server, store };
    const name = 'a'.repeat(500);
    await store.createExperiment(name);
    const post = (filter: string) => fetch(`${server.url}/api/2.0/mlflow/experiments/search`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ filter, max_results: 10 }),
    });
    // Before: a backtracking regex held the event loop for over 120 s here, /health included.
    const [search, health] = await Promise.all([post(`name LIKE '${'%a'.repeat(10)}%b'`), fetch(`${server.url}/health`)]);
    expect([search.status, await search.json()]).toEqual([200, { experiments: [] }]);
    expect(health.status).toBe(200);
    const found = await (await post(`name ILIKE '%A%a%A%'`)).json() as { experiments: { name: string }[] };
    expect(found.experiments.map((e) => e.name)).toEqual([name]);
  });
});

describe('slow requests', () => {
  let running: { server: RunningServer; store: SqliteStore } | undefined;
  afterEach(async () => {
    await running?.server.close();
    await running?.store.close();
    running = undefined;
  });

  it('answers 408 and closes the connection of a client that never finishes sending its body', async () => {
    const store = new SqliteStore(join(tempDir('sweep-slow-'), 'sweep.db'));
    const server = await startServer({ store, port: 0, requestTimeoutMs: 300 });
    running = { server, store };
    // Waits on the server closing the connection: before, nothing bounded a request and this never came.
    const answer = await stalledRequestAnswer(Number(new URL(server.url).port));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ error_code: 'BAD_REQUEST', message: expect.stringContaining('in time') });
  });
});

describe('requests refused before any route', () => {
  let running: { server: RunningServer; store: SqliteStore } | undefined;
  afterEach(async () => {
    await running?.server.close();
    await running?.store.close();
    running = undefined;
  });

  /** Writes `request` on a fresh connection; resolves with everything the server sent before closing. */
  const exchange = async (request: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const store = new SqliteStore(join(tempDir('sweep-raw-'), 'sweep.db'));
    const server = await startServer({ store, port: 0 });
    running = { server, store };
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (/\r\n\r\n\{.*\}$/s.test(answer)) socket.end();
    });
    socket.write(request);
    await new Promise((resolve) => socket.once('close', resolve));
    return { status: Number(answer.split(' ')[1]), body: JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown> };
  };

  it.each([
    ['unparsable HTTP', 'GARBAGE\r\n\r\n', 400, 'BAD_REQUEST'],
    ['both Content-Length and chunked', 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n', 400, 'BAD_REQUEST'],
    ['headers over the limit', `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'BAD_REQUEST'],
    ['bad %-encoding in the path', 'GET /api/2.0/mlflow-artifacts/artifacts/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 400, 'INVALID_PARAMETER_VALUE'],
  ])('%s: answered in MLflow\'s error shape', async (_name, request, status, errorCode) => {
    const { status: got, body } = await exchange(request);
    expect([got, body['error_code'], typeof body['message']]).toEqual([status, errorCode, 'string']);
  });
});
