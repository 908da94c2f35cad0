// The web UI on the tracking server: its JSON routes (src/ui-data), artifact download, and the built
// front end (dist/ui) at / and /ui/<file>. UI errors keep sweep's codes: 404 unknown, 400 bad input.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { isSweepError } from '../../errors.js';
import { resolveArtifact, uiAssetsDir, UI_ROUTES, type UiQuery } from '../../ui-data/index.js';
import type { ServerContext } from '../context.js';

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export function registerUi(app: FastifyInstance, ctx: ServerContext): void {
  const locate = (uri: string): string | undefined => ctx.artifacts.runDirectory(uri);
  const fail = (error: unknown): { status: number; body: Record<string, unknown> } => {
    if (!isSweepError(error)) throw error;
    const status = error.code === 'E_NOT_FOUND' ? 404 : 400;
    return { status, body: { error_code: status === 404 ? 'RESOURCE_DOES_NOT_EXIST' : 'INVALID_PARAMETER_VALUE', message: error.message } };
  };

  for (const route of UI_ROUTES) {
    app.get(route.path, async (request, reply) => {
      try {
        const body = await route.handle({ store: ctx.store, locate }, request.query as UiQuery);
        return reply.header('cache-control', 'no-store').type('application/json').send(body);
      } catch (error) {
        const { status, body } = fail(error);
        return reply.status(status).type('application/json').send(body);
      }
    });
  }

  app.get('/api/ui/artifact', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    try {
      const artifact = await resolveArtifact(ctx.store, String(query['run_id'] ?? ''), String(query['path'] ?? ''), locate);
      const disposition = query['inline'] === '1' ? 'inline' : `attachment; filename="${artifact.name.replace(/["\\\r\n]/g, '')}"`;
      return reply
        .header('content-disposition', disposition)
        .header('content-length', artifact.size)
        .type(artifact.contentType)
        .send(createReadStream(artifact.file));
    } catch (error) {
      const { status, body } = fail(error);
      return reply.status(status).type('application/json').send(body);
    }
  });

  const assets = uiAssetsDir();
  const sendAsset = (file: string, reply: import('fastify').FastifyReply) => {
    if (!assets || !/^[\w.-]+$/.test(file) || !existsSync(join(assets, file))) {
      return reply.status(404).type('text/plain').send(assets ? 'not found' : 'the web UI is not built: run npm run build');
    }
    return reply.type(ASSET_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream').send(createReadStream(join(assets, file)));
  };
  app.get('/', async (_request, reply) => sendAsset('index.html', reply));
  app.get('/ui/:file', async (request, reply) => sendAsset((request.params as { file: string }).file, reply));
}
