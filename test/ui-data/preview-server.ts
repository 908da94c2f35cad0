// A minimal node:http server for the UI data routes and the built assets (dist/ui), for trying the
// UI and for browser tests until src/server mounts UI_ROUTES. Shows how to mount them:
//   node --import tsx test/ui-data/preview-server.ts sqlite:./sweep.db 5055
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { isSweepError } from '../../src/errors.js';
import { openStore } from '../../src/tracking/open-store.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { resolveArtifact, uiAssetsDir, UI_ROUTES, type UiQuery } from '../../src/ui-data/index.js';

const ASSET_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.map': 'application/json' };

export function startPreviewServer(store: TrackingStore, port = 0): Promise<Server> {
  const assets = uiAssetsDir();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length === 1 ? (all[0] as string) : all;
    }
    const fail = (error: unknown): void => {
      const status = isSweepError(error) ? (error.code === 'E_NOT_FOUND' ? 404 : error.code === 'E_CONFIG' ? 400 : 500) : 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: status, message: (error as Error).message }));
    };
    const route = UI_ROUTES.find((r) => r.path === url.pathname && r.method === req.method);
    if (route) {
      route.handle({ store }, query as UiQuery).then((body) => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
      }, fail);
      return;
    }
    if (url.pathname === '/api/ui/artifact') {
      resolveArtifact(store, String(query['run_id'] ?? ''), String(query['path'] ?? '')).then((a) => {
        const disposition = query['inline'] === '1' ? 'inline' : `attachment; filename="${a.name.replace(/"/g, '')}"`;
        res.writeHead(200, { 'content-type': a.contentType, 'content-length': a.size, 'content-disposition': disposition });
        createReadStream(a.file).pipe(res);
      }, fail);
      return;
    }
    const file = url.pathname === '/' ? 'index.html' : url.pathname.startsWith('/ui/') ? url.pathname.slice(4) : undefined;
    if (assets && file && /^[\w.-]+$/.test(file) && existsSync(join(assets, file))) {
      res.writeHead(200, { 'content-type': ASSET_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' });
      createReadStream(join(assets, file)).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1]?.endsWith('preview-server.ts')) {
  const store = openStore(process.argv[2] ?? 'sqlite:./sweep.db');
  const server = await startPreviewServer(store, Number(process.argv[3] ?? 5055));
  const address = server.address();
  process.stdout.write(`sweep UI preview on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}/\n`);
}
