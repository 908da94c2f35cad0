// GET /model-versions/get-artifact?name=&version=&path=: one file of a registered model version, as
// MLflow's server streams it (its UI downloads model files this way). The path is confined to the
// version's files (its source resolved as get-download-uri does).
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseVersion } from '../../tracking/registry/rules.js';
import { resolveExisting } from '../artifact-paths.js';
import type { ServerContext } from '../context.js';
import { invalidParameter } from '../errors.js';
import { Fields } from '../request.js';
import { contentType } from './artifacts.js';
import { downloadUri } from './registry.js';
import { USER_FILE_CSP } from './ui.js';

export function registerModelArtifactRoute(app: FastifyInstance, ctx: ServerContext, prefixes: readonly string[]): void {
  for (const prefix of ['', ...prefixes]) {
    app.get(`${prefix}/model-versions/get-artifact`, async (request, reply) => {
      const f = Fields.ofQuery(request.query);
      const name = f.requiredString('name');
      const version = await ctx.store.registry.getModelVersion(name, parseVersion(f.requiredString('version')));
      const uri = await downloadUri(ctx, version.source);
      const dir = ctx.artifacts.runDirectory(uri);
      if (dir === undefined) throw invalidParameter(`The files of model ${name} version ${version.version} are at ${uri}, not on this server`);
      const found = await resolveExisting(dir, f.requiredString('path'));
      if (found.isDir) throw invalidParameter(`Artifact path ${JSON.stringify(f.string('path'))} is a directory`);
      const file = basename(found.path);
      return reply
        .header('content-type', contentType(file))
        .header('content-length', String(found.size))
        .header('content-disposition', `attachment; filename="${file.replace(/["\\\r\n]/g, '_')}"`)
        .header('content-security-policy', USER_FILE_CSP)
        .send(createReadStream(found.path));
    });
  }
}
