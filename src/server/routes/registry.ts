// registered-models/* and model-versions/*: MLflow's model registry REST API (model_registry.proto field
// names), answered by the store's registry. Errors: unknown model or version RESOURCE_DOES_NOT_EXIST
// (404), a taken name RESOURCE_ALREADY_EXISTS (400), bad arguments INVALID_PARAMETER_VALUE (400).
import { isAbsolute } from 'node:path';
import { isSweepError } from '../../errors.js';
import { modelVersionJson, registeredModelJson } from '../../tracking/registry/mlflow-json.js';
import { parseModelUri, parseRunsUri, resolveModelUri } from '../../tracking/registry/model-uri.js';
import { parseVersion } from '../../tracking/registry/rules.js';
import { runOr404, type ApiRoute, type ServerContext } from '../context.js';
import { ApiError, invalidParameter } from '../errors.js';
import type { Fields } from '../request.js';

export function registryRoutes(ctx: ServerContext): ApiRoute[] {
  const r = ctx.store.registry;
  const name = (f: Fields): string => {
    const value = f.string('name');
    if (value === undefined) throw invalidParameter('Registered model name cannot be empty.');
    return value;
  };
  const version = (f: Fields): number => parseVersion(f.requiredString('version'));
  const tags = (f: Fields): Record<string, string> => Object.fromEntries(f.keyValues('tags').map((t) => [t.key, t.value]));
  const search = (f: Fields) => {
    const filter = f.string('filter');
    const maxResults = f.int64('max_results');
    const pageToken = f.string('page_token');
    return {
      ...(filter !== undefined && { filter }), ...(maxResults !== undefined && { maxResults }),
      ...(pageToken !== undefined && { pageToken }), orderBy: f.stringList('order_by'),
    };
  };
  return [
    {
      method: 'POST', path: '/registered-models/create',
      handler: async (f) => {
        const description = f.text('description');
        const model = await r.createRegisteredModel({ name: name(f), tags: tags(f), ...(description !== undefined && { description }) });
        return { registered_model: registeredModelJson(model) };
      },
    },
    { method: 'GET', path: '/registered-models/get', handler: async (f) => ({ registered_model: registeredModelJson(await r.getRegisteredModel(name(f))) }) },
    {
      method: 'POST', path: '/registered-models/rename',
      handler: async (f) => {
        const newName = f.string('new_name');
        if (newName === undefined) throw invalidParameter('Registered model name cannot be empty.');
        return { registered_model: registeredModelJson(await r.renameRegisteredModel(name(f), newName)) };
      },
    },
    {
      method: 'PATCH', path: '/registered-models/update',
      handler: async (f) => ({ registered_model: registeredModelJson(await r.updateRegisteredModel(name(f), { description: f.text('description') ?? '' })) }),
    },
    {
      method: 'DELETE', path: '/registered-models/delete',
      handler: async (f) => {
        await r.deleteRegisteredModel(name(f));
        return {};
      },
    },
    {
      method: 'GET', path: '/registered-models/search',
      handler: async (f) => {
        const page = await r.searchRegisteredModels(search(f));
        return { registered_models: page.items.map(registeredModelJson), ...(page.nextPageToken !== undefined && { next_page_token: page.nextPageToken }) };
      },
    },
    ...(['POST', 'GET'] as const).map((method): ApiRoute => ({
      method, path: '/registered-models/get-latest-versions',
      handler: async (f) => ({ model_versions: (await r.getLatestVersions(name(f), f.stringList('stages'))).map(modelVersionJson) }),
    })),
    {
      method: 'POST', path: '/registered-models/set-tag',
      handler: async (f) => {
        await r.setRegisteredModelTag(name(f), f.requiredString('key'), f.text('value') ?? '');
        return {};
      },
    },
    {
      method: 'DELETE', path: '/registered-models/delete-tag',
      handler: async (f) => {
        await r.deleteRegisteredModelTag(name(f), f.requiredString('key'));
        return {};
      },
    },
    {
      method: 'POST', path: '/registered-models/alias',
      handler: async (f) => {
        await r.setRegisteredModelAlias(name(f), f.requiredString('alias'), version(f));
        return {};
      },
    },
    {
      method: 'DELETE', path: '/registered-models/alias',
      handler: async (f) => {
        await r.deleteRegisteredModelAlias(name(f), f.requiredString('alias'));
        return {};
      },
    },
    {
      method: 'GET', path: '/registered-models/alias',
      handler: async (f) => {
        const model = name(f);
        const alias = f.requiredString('alias');
        try {
          return { model_version: modelVersionJson(await r.getModelVersionByAlias(model, alias)) };
        } catch (error) {
          // MLflow answers an unknown alias (of a known model) with INVALID_PARAMETER_VALUE; sweep's
          // clients still see a NotFoundError (sweep_code).
          if (isSweepError(error) && error.code === 'E_NOT_FOUND' && error.message.startsWith('Registered model alias')) {
            throw new ApiError('INVALID_PARAMETER_VALUE', error.message, 400, 'E_NOT_FOUND');
          }
          throw error;
        }
      },
    },
    {
      method: 'POST', path: '/model-versions/create',
      handler: async (f) => {
        const model = name(f);
        const source = f.requiredString('source');
        const runId = f.string('run_id');
        await checkSource(ctx, source, runId);
        const runLink = f.string('run_link');
        const description = f.text('description');
        const created = await r.createModelVersion({
          name: model, source, tags: tags(f),
          ...(runId !== undefined && { runId }), ...(runLink !== undefined && { runLink }), ...(description !== undefined && { description }),
        });
        return { model_version: modelVersionJson(created) };
      },
    },
    { method: 'GET', path: '/model-versions/get', handler: async (f) => ({ model_version: modelVersionJson(await r.getModelVersion(name(f), version(f))) }) },
    {
      method: 'PATCH', path: '/model-versions/update',
      handler: async (f) => ({ model_version: modelVersionJson(await r.updateModelVersion(name(f), version(f), { description: f.text('description') ?? '' })) }),
    },
    {
      method: 'DELETE', path: '/model-versions/delete',
      handler: async (f) => {
        await r.deleteModelVersion(name(f), version(f));
        return {};
      },
    },
    {
      method: 'GET', path: '/model-versions/search',
      handler: async (f) => {
        const page = await r.searchModelVersions(search(f));
        return { model_versions: page.items.map(modelVersionJson), ...(page.nextPageToken !== undefined && { next_page_token: page.nextPageToken }) };
      },
    },
    {
      method: 'POST', path: '/model-versions/transition-stage',
      handler: async (f) => {
        const model = name(f);
        const v = version(f);
        const stage = f.requiredString('stage');
        const archive = f.boolean('archive_existing_versions');
        if (archive === undefined) throw f.missing('archive_existing_versions');
        return { model_version: modelVersionJson(await r.transitionModelVersionStage(model, v, stage, archive)) };
      },
    },
    {
      method: 'POST', path: '/model-versions/set-tag',
      handler: async (f) => {
        await r.setModelVersionTag(name(f), version(f), f.requiredString('key'), f.text('value') ?? '');
        return {};
      },
    },
    {
      method: 'DELETE', path: '/model-versions/delete-tag',
      handler: async (f) => {
        await r.deleteModelVersionTag(name(f), version(f), f.requiredString('key'));
        return {};
      },
    },
    {
      method: 'GET', path: '/model-versions/get-download-uri',
      handler: async (f) => {
        const v = await r.getModelVersion(name(f), version(f));
        return { artifact_uri: await downloadUri(ctx, v.source) };
      },
    },
  ];
}

/** Where a version's files are, as clients see it: runs:/ and models:/ sources resolved. */
export async function downloadUri(ctx: ServerContext, source: string, depth = 0): Promise<string> {
  const runs = parseRunsUri(source);
  if (runs) {
    const run = await runOr404(ctx, runs.runId);
    const root = ctx.present(run.info.artifactUri).replace(/\/+$/, '');
    return runs.path === '' ? root : `${root}/${runs.path}`;
  }
  if (source.startsWith('models:/')) {
    if (depth > 8) throw invalidParameter(`model source ${source} refers to models too deeply`);
    parseModelUri(source);
    return downloadUri(ctx, (await resolveModelUri(ctx.store.registry, source)).source, depth + 1);
  }
  return source;
}

/**
 * MLflow's check on a new version's source: no `..` segments; a local path only inside the artifact
 * directory of the run given with it (a registered model must not expose other files of the server).
 */
async function checkSource(ctx: ServerContext, source: string, runId: string | undefined): Promise<void> {
  let path = source;
  try {
    path = decodeURIComponent(source);
  } catch {
    throw invalidParameter(`Invalid model version source: '${source}'.`);
  }
  if (path.split(/[\\/]/).includes('..')) throw invalidParameter(`Invalid model version source: '${source}'. Paths may not contain '..'.`);
  const scheme = /^([a-zA-Z][\w+.-]*):/.exec(source)?.[1]?.toLowerCase();
  const isLocal = scheme === undefined || scheme === 'file' || /^[a-zA-Z]$/.test(scheme);
  if (!isLocal) return;
  const local = scheme === 'file' ? path.replace(/^file:(\/\/)?/i, '') : path;
  if (runId !== undefined && isAbsolute(local)) {
    const run = await runOr404(ctx, runId);
    const root = run.info.artifactUri.replace(/\/+$/, '');
    if (local === root || local.startsWith(`${root}/`)) return;
  }
  throw invalidParameter(
    `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
  );
}
