// Artifacts: the tracking-side listing (`/api/2.0/mlflow/artifacts/list`) and MLflow's artifact proxy
// (`/api/2.0/mlflow-artifacts/artifacts/<path>`: PUT upload, GET download, DELETE, list) that
// `mlflow.log_artifact` uses. Bytes stream to and from disk; every path is confined to the root.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, extname, join, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import { isSweepError } from '../../errors.js';
import { entryToDelete, listDirectory, normalizedPath, openForWrite, resolveExisting, safeSegments } from '../artifact-paths.js';
import { runOr404, type ApiRoute, type ServerContext } from '../context.js';
import { ApiError, invalidParameter } from '../errors.js';
import { Fields } from '../request.js';
import { USER_FILE_CSP } from './ui.js';

export const PROXY_PREFIX = '/api/2.0/mlflow-artifacts';

export function artifactListRoute(ctx: ServerContext): ApiRoute {
  return {
    method: 'GET',
    path: '/artifacts/list',
    handler: async (f) => {
      const run = await runOr404(ctx, f.runId());
      const path = normalizedPath(f.string('path'));
      const root = ctx.artifacts.runDirectory(run.info.artifactUri);
      const files = root === undefined ? [] : await listDirectory(root, path, path);
      return { root_uri: ctx.present(run.info.artifactUri), files };
    },
  };
}

/** The proxy routes, in their own scope: uploads take any content type as a raw stream. */
export function registerArtifactProxy(app: FastifyInstance, ctx: ServerContext, maxArtifactBytes: number): void {
  const root = ctx.artifacts.destination;
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    scope.get(`${PROXY_PREFIX}/artifacts`, async (request) => {
      const path = normalizedPath(Fields.ofQuery(request.query).string('path'));
      const files = await listDirectory(root, path, '');
      return { files: files.map((file) => ({ ...file, path: basename(file.path) })) };
    });

    scope.put(`${PROXY_PREFIX}/artifacts/*`, async (request) => {
      const rel = wildcard(request.params);
      const upload = await openForWrite(root, rel);
      const body = request.body as Readable | undefined;
      try {
        if (body !== undefined && typeof (body as { pipe?: unknown }).pipe === 'function') {
          await pipeline(body, limitBytes(maxArtifactBytes), upload.handle.createWriteStream());
        }
        await upload.commit();
      } catch (error) {
        await upload.discard();
        throw error;
      } finally {
        await upload.handle.close().catch(() => undefined);
      }
      return {};
    });

    scope.get(`${PROXY_PREFIX}/artifacts/*`, async (request, reply) => {
      const rel = wildcard(request.params);
      const found = await resolveExisting(root, rel);
      if (found.isDir) throw invalidParameter(`Artifact path ${JSON.stringify(rel)} is a directory; list it with ${PROXY_PREFIX}/artifacts?path=...`);
      const name = basename(found.path);
      return reply
        .header('content-type', contentType(name))
        .header('content-length', String(found.size))
        .header('content-disposition', `attachment; filename="${name.replace(/["\\\r\n]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', USER_FILE_CSP)
        .send(createReadStream(found.path));
    });

    scope.delete(`${PROXY_PREFIX}/artifacts/*`, async (request) => {
      const rel = wildcard(request.params);
      const runDir = await assertInsideOneRun(ctx, root, rel);
      await rm(await entryToDelete(root, rel, runDir), { recursive: true, force: true });
      return {};
    });

    scope.post(`${PROXY_PREFIX}/mpu/*`, async () => {
      throw new ApiError('NOT_IMPLEMENTED', 'Multipart upload is not supported for the current artifact repository');
    });
  });
}

// --- internal ---

/**
 * A delete names a path inside one run's artifacts (`<experiment>/<run id>/artifacts[/...]`, the run's
 * own folder at most): never the root, an experiment's folder, or files no run owns. @throws 400
 */
async function assertInsideOneRun(ctx: ServerContext, root: string, rel: string): Promise<string> {
  const segments = safeSegments(rel);
  const refuse = (why: string): ApiError =>
    invalidParameter(`Cannot delete artifact path ${JSON.stringify(rel)}: ${why}; name a path inside one run's artifacts, as <experiment id>/<run id>/artifacts/<path>`);
  if (segments.length === 0) throw refuse('it is the artifact root');
  const runId = segments[1];
  if (runId === undefined) throw refuse('it is not inside a run');
  let runDir: string | undefined;
  try {
    runDir = ctx.artifacts.runDirectory((await ctx.store.getRun(runId)).info.artifactUri);
  } catch (error) {
    if (isSweepError(error) && error.code === 'E_NOT_FOUND') throw refuse(`no run has the id ${JSON.stringify(runId)}`);
    throw error;
  }
  const target = join(root, ...segments);
  if (runDir === undefined || (target !== runDir && !target.startsWith(runDir + sep))) throw refuse(`it is not inside the artifacts of run ${runId}`);
  return runDir;
}

function wildcard(params: unknown): string {
  return (params as Record<string, string | undefined>)['*'] ?? '';
}

function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(new ApiError('INVALID_PARAMETER_VALUE', `artifact is larger than the limit of ${max} bytes`, 413));
      else callback(null, chunk);
    },
  });
}

const TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json', '.txt': 'text/plain', '.log': 'text/plain', '.csv': 'text/csv', '.html': 'text/html',
  '.yaml': 'text/yaml', '.yml': 'text/yaml', '.md': 'text/markdown', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.pdf': 'application/pdf',
};

export function contentType(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}
