// Who gets in, over real loopback HTTP: the Host check against DNS rebinding, the bearer token for
// clients, and the browser login (one-time link or the token in a form) that sets an HttpOnly,
// SameSite=Strict session cookie the UI's own fetches then carry.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/server/guard.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start.js';
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

async function serve(options: Partial<StartOptions> = {}): Promise<RunningServer> {
  const store = new SqliteStore(join(tempDir('sweep-guard-'), 'sweep.db'));
  const server = await startServer({ store, port: 0, ...options });
  running.push({ server, store });
  return server;
}

describe('Host check (DNS rebinding)', () => {
  it('a loopback-bound server refuses a foreign Host with 403 and answers loopback names', async () => {
    const server = await serve();
    const port = new URL(server.url).port;
    for (const host of [`evil.example:${port}`, 'evil.example', `192.168.1.5:${port}`, `127.0.0.1.evil.example:${port}`, `localhost.evil.example`]) {
      const res = await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/search?max_results=1', { headers: { host } });
      expect([host, res.status]).toEqual([host, 403]);
      expect(JSON.parse(res.body)).toMatchObject({ error_code: 'PERMISSION_DENIED', message: expect.stringMatching(/DNS rebinding/) });
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`, `app.localhost:${port}`, '127.0.0.1']) {
      const res = await rawRequest(server.url, 'GET', '/api/2.0/mlflow/experiments/search?max_results=1', { headers: { host } });
      expect([host, res.status]).toEqual([host, 200]);
    }
  });

  it('hostCheck "any" (a server bound to another interface) answers any Host', async () => {
    const server = await serve({ hostCheck: 'any' });
    expect((await rawRequest(server.url, 'GET', '/health', { headers: { host: 'tracking.example:5000' } })).status).toBe(200);
  });

  it('tells loopback names from others', () => {
    expect(['localhost', 'localhost:80', '127.0.0.1', '127.1.2.3:9', '[::1]:5000', '[::1]', 'x.localhost:1'].every(isLoopbackHost)).toBe(true);
    expect(['evil.com', '0.0.0.0', '10.0.0.1', '127.0.0.1.nip.io', '[::2]:5', 'localhost.com', ''].some(isLoopbackHost)).toBe(false);
  });
});

describe('with a token', () => {
  const API = '/api/2.0/mlflow/experiments/get?experiment_id=0';

  it('keeps Authorization: Bearer for clients and sends a browser without credentials to /login', async () => {
    const server = await serve({ token: 's3cret' });
    expect((await rawRequest(server.url, 'GET', API)).status).toBe(401);
    expect((await rawRequest(server.url, 'GET', API, { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
    expect((await rawRequest(server.url, 'GET', '/api/ui/studies')).status).toBe(401);
    const page = await rawRequest(server.url, 'GET', '/');
    expect([page.status, page.headers.location]).toEqual([303, '/login']);
    const login = await rawRequest(server.url, 'GET', '/login');
    expect(login.status).toBe(200);
    expect(login.body).toContain('<form method="post" action="/login">');
  });

  it('trades a one-time login link for an HttpOnly, SameSite=Strict cookie that opens the UI and its API', async () => {
    const server = await serve({ token: 's3cret' });
    const link = new URL(server.loginUrl());
    expect(link.pathname).toBe('/login');
    expect(link.search).not.toContain('s3cret');
    const res = await rawRequest(server.url, 'GET', `${link.pathname}${link.search}`);
    expect([res.status, res.headers.location]).toEqual([303, '/']);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    const cookie = setCookie.split(';')[0] as string;
    for (const path of ['/api/ui/studies', API]) {
      expect([path, (await rawRequest(server.url, 'GET', path, { headers: { cookie } })).status]).toEqual([path, 200]);
    }
    expect((await rawRequest(server.url, 'GET', '/', { headers: { cookie } })).status).not.toBe(303);
    // the link works once; a made-up cookie opens nothing
    const again = await rawRequest(server.url, 'GET', `${link.pathname}${link.search}`);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    const forged = `${cookie.split('=')[0]}=${'A'.repeat(43)}`;
    expect((await rawRequest(server.url, 'GET', '/api/ui/studies', { headers: { cookie: forged } })).status).toBe(401);
  });

  it('logs in with the token pasted into the form; a wrong one gets no cookie', async () => {
    const server = await serve({ token: 's3cret' });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const wrong = await rawRequest(server.url, 'POST', '/login', { headers: form, body: 'token=nope' });
    expect([wrong.status, wrong.headers['set-cookie']]).toEqual([401, undefined]);
    const right = await rawRequest(server.url, 'POST', '/login', { headers: form, body: 'token=s3cret' });
    expect(right.status).toBe(303);
    const cookie = String(right.headers['set-cookie']).split(';')[0] as string;
    expect((await rawRequest(server.url, 'GET', '/api/ui/studies', { headers: { cookie } })).status).toBe(200);
  });

  it('without a token, the login URL is the plain UI URL', async () => {
    const server = await serve();
    expect(server.loginUrl()).toBe(`${server.url}/`);
  });
});
