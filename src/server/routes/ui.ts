// The web UI on the tracking server: its JSON routes (src/ui-data), artifact download, and the built
// front end (dist/ui) at / and /ui/<file>. UI errors keep sweep's codes: 404 unknown, 400 bad input.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSweepError } from '../../errors.js';
import { isInertImage, resolveArtifact, uiAssetsDir, UI_ROUTES, type UiQuery } from '../../ui-data/index.js';
import type { ServerContext } from '../context.js';
import { toErrorResponse } from '../errors.js';

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Sent with every user file (artifacts): no script, no plugins, no same-origin access even if opened. */
export const USER_FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

export function registerUi(app: FastifyInstance, ctx: ServerContext): void {
  const locate = (uri: string): string | undefined => ctx.artifacts.runDirectory(uri);
  // A client's mistake answers here (404 unknown, 400 bad input); the server's own faults (a damaged
  // database: 500) go to the app's error handler, which logs them, as every API route's do.
  const fail = (error: unknown): { status: number; body: Record<string, unknown> } => {
    if (!isSweepError(error) || error.code === 'E_STORAGE' || toErrorResponse(error).isInternal) throw error;
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
      // User files never act as this origin: sandboxed, never sniffed, and inline only when inert.
      const isInline = query['inline'] === '1' && isInertImage(artifact.contentType);
      const disposition = isInline ? 'inline' : `attachment; filename="${artifact.name.replace(/["\\\r\n]/g, '')}"`;
      return reply
        .header('content-security-policy', USER_FILE_CSP)
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
  const cached = assetCache();
  // Revalidated on every load (no-cache + ETag): a rebuild shows at once, and an unchanged bundle is a
  // 304 that lets the browser reuse its cached copy and the compiled code it keeps with it.
  const sendAsset = (file: string, request: FastifyRequest, reply: FastifyReply) => {
    const asset = assets && /^[\w.-]+$/.test(file) ? cached(join(assets, file)) : undefined;
    if (!asset) return reply.status(404).type('text/plain').send(assets ? 'not found' : 'the web UI is not built: run npm run build');
    reply.header('cache-control', 'no-cache').header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply.type(ASSET_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream').send(asset.bytes);
  };
  app.get('/', async (request, reply) => sendAsset('index.html', request, reply));
  app.get('/ui/:file', async (request, reply) => sendAsset((request.params as { file: string }).file, request, reply));
}

// --- internal ---

/**
 * The UI's files from memory with an ETag, re-read when their size or mtime changes (a rebuild while serving).
 * Sent in one write: a stream would wait behind a long request (a study page's first read) between
 * its chunks, and the page's bundle with it.
 */
function assetCache(): (file: string) => { bytes: Buffer; etag: string } | undefined {
  const files = new Map<string, { size: number; mtimeMs: number; bytes: Buffer; etag: string }>();
  return (file) => {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const hit = files.get(file);
    if (hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return hit;
    const entry = { size: stat.size, mtimeMs: stat.mtimeMs, bytes: readFileSync(file), etag: `"${stat.size.toString(36)}-${Math.round(stat.mtimeMs * 1000).toString(36)}"` };
    files.set(file, entry);
    return entry;
  };
}
