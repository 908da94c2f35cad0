// The access log: one line per request with method, path, status and duration, never a credential.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redactedPath } from '../../src/server/access-log.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';
import { rawRequest } from './raw-http.js';

const running: { server: RunningServer; store: SqliteStore }[] = [];
afterEach(async () => {
  for (const { server, store } of running.splice(0)) {
    await server.close();
    await store.close();
  }
});

describe('access log', () => {
  it('writes one line per request: time, client, method, path, status, duration; never the token or a login code', async () => {
    const lines: string[] = [];
    const store = new SqliteStore(join(tempDir('sweep-log-'), 'sweep.db'));
    const server = await startServer({ store, port: 0, token: 'TOPSECRET', accessLog: (line) => lines.push(line) });
    running.push({ server, store });
    const auth = { authorization: 'Bearer TOPSECRET' };
    await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', { headers: auth });
    await rawRequest(server.url, 'POST', '/api/2.0/mlflow/experiments/create', { headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":"e"}' });
    await rawRequest(server.url, 'GET', '/api/2.0/mlflow/runs/get?run_id=nope', { headers: auth });
    await rawRequest(server.url, 'GET', '/health');
    await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/get?experiment_id=0');
    const link = new URL(server.loginUrl());
    await rawRequest(server.url, 'GET', `${link.pathname}${link.search}`);
    await rawRequest(server.url, 'GET', '/login?token=TOPSECRET');
    // onResponse runs after the bytes are out: the lines may trail the answers by a tick
    await expect.poll(() => lines.length).toBe(7);
    const line = /^\d{4}-\d\d-\d\dT[\d:.]+Z 127\.0\.0\.1 (GET|POST) (\S+) (\d{3}) \d+(\.\d)?ms$/;
    expect(lines.map((l) => (line.exec(l) ?? [l]).slice(1, 4))).toEqual([
      ['GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', '200'],
      ['POST', '/api/2.0/mlflow/experiments/create', '200'],
      ['GET', '/api/2.0/mlflow/runs/get?run_id=nope', '404'],
      ['GET', '/health', '200'],
      ['GET', '/api/2.0/mlflow/experiments/get?experiment_id=0', '401'],
      ['GET', '/login?code=***', '303'],
      ['GET', '/login?token=***', '200'],
    ]);
    const all = lines.join('\n');
    expect(all).not.toContain('TOPSECRET');
    expect(all).not.toContain(link.searchParams.get('code'));
  });

  it('escapes what could forge a line', () => {
    expect(redactedPath('/a?x=1&Code=abc&token=t')).toBe('/a?x=1&Code=***&token=***');
    expect(redactedPath('/a\n127.0.0.1 GET /fake 200')).toBe('/a%0A127.0.0.1%20GET%20/fake%20200');
  });
});
