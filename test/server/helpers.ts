// A server on a fresh SQLite store in a temp dir, driven through fastify's inject (no socket).
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach } from 'vitest';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';

export const API = '/api/2.0/mlflow';

export interface TestServer {
  readonly app: FastifyInstance;
  readonly store: SqliteStore;
  readonly dir: string;
  /** GET with a query object, or POST with a JSON body; paths without /api... are under API. */
  call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, fields?: Record<string, unknown>, headers?: Record<string, string>): Promise<ApiResult>;
}

export interface ApiResult {
  readonly status: number;
  readonly body: Record<string, any>;
  readonly raw: LightMyRequestResponse;
}

const open: TestServer[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.app.close();
    await s.store.close();
  }
});

export async function makeServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = tempDir('sweep-server-');
  const store = new SqliteStore(join(dir, 'sweep.db'));
  const app = buildServer({ store, ...options });
  await app.ready();
  const server: TestServer = {
    app,
    store,
    dir,
    async call(method, path, fields = {}, headers = {}) {
      const url = /^\/(api|ajax-api|health|version|other)\b/.test(path) ? path : `${API}${path}`;
      const raw = method === 'GET'
        ? await app.inject({ method, url, query: fields as Record<string, string>, headers })
        : await app.inject({ method, url, payload: fields, headers });
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(raw.body) as Record<string, any>;
      } catch {
        body = { text: raw.body };
      }
      return { status: raw.statusCode, body, raw };
    },
  };
  open.push(server);
  return server;
}

/** Creates an experiment and a run in it; returns their ids. */
export async function makeRun(server: TestServer, name = 'exp', tags: { key: string; value: string }[] = []): Promise<{ experimentId: string; runId: string }> {
  let experimentId = (await server.call('GET', '/experiments/get-by-name', { experiment_name: name })).body.experiment?.experiment_id as string | undefined;
  experimentId ??= (await server.call('POST', '/experiments/create', { name })).body.experiment_id as string;
  const created = await server.call('POST', '/runs/create', { experiment_id: experimentId, start_time: 1000, tags });
  return { experimentId, runId: created.body.run.info.run_id as string };
}
