// `sweep models list|get|versions|register|alias|stage|delete|download` and `sweep best --register`:
// the model registry of a store from the command line, tables or --json.
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigError, DuplicateError, NotFoundError, isSweepError } from '../../errors.js';
import { TAG_LOG_MODEL_HISTORY, type ModelVersion, type RegisteredModel } from '../../tracking/registry/entities.js';
import { parseRunsUri, resolveModelUri } from '../../tracking/registry/model-uri.js';
import { parseVersion } from '../../tracking/registry/rules.js';
import type { TrackingStore } from '../../tracking/store.js';
import { table } from '../format.js';
import { stringFlag, withStore, type CliIO } from '../io.js';
import { downloadProxied, downloadServed, proxyBaseOf } from '../proxied-download.js';

export interface ModelFlags {
  readonly storage?: unknown;
  readonly json?: boolean;
  readonly run?: unknown;
  readonly path?: unknown;
  readonly filter?: unknown;
  readonly archiveExisting?: boolean;
  readonly dst?: unknown;
  readonly description?: unknown;
}

const ACTIONS = 'list, get, versions, register, alias, stage, delete or download';

export async function modelsCommand(action: string, args: readonly string[], flags: ModelFlags, io: CliIO): Promise<number> {
  switch (action) {
    case 'list':
      return withStore(flags.storage, io, async (store) => {
        const filter = stringFlag('filter', flags.filter);
        const models = await allModels(store, filter);
        if (flags.json) return json(io, models);
        if (models.length === 0) {
          io.stdout.write(`${store.uri} holds no registered model${filter === undefined ? '' : ` matching ${filter}`}.\n`);
          return 0;
        }
        const rows = models.map((m) => [m.name, latestOf(m), aliasesOf(m), when(m.lastUpdatedTime), m.description]);
        io.stdout.write(`${table(['model', 'latest versions', 'aliases', 'updated', 'description'], rows)}\n`);
        return 0;
      });
    case 'get':
      return withStore(flags.storage, io, async (store) => {
        const model = await store.registry.getRegisteredModel(one(action, args, 'NAME'));
        const versions = await versionsOf(store, model.name);
        if (flags.json) return json(io, { ...model, versions });
        io.stdout.write(`Model "${model.name}"${model.description === '' ? '' : `: ${model.description}`}\n`);
        io.stdout.write(`created ${when(model.creationTime)}, updated ${when(model.lastUpdatedTime)}; aliases: ${aliasesOf(model) || 'none'}\n`);
        for (const [k, v] of Object.entries(model.tags)) io.stdout.write(`tag ${k}=${v}\n`);
        io.stdout.write(`${versionTable(versions)}\n`);
        return 0;
      });
    case 'versions':
      return withStore(flags.storage, io, async (store) => {
        const name = one(action, args, 'NAME');
        await store.registry.getRegisteredModel(name);
        const versions = await versionsOf(store, name);
        if (flags.json) return json(io, versions);
        io.stdout.write(`${versionTable(versions)}\n`);
        return 0;
      });
    case 'register': {
      const name = one(action, args, 'NAME');
      const runId = stringFlag('run', flags.run);
      if (runId === undefined) throw new ConfigError('sweep models register: --run RUN_ID is required', { hint: 'the run that logged the model (trial.logModel); see sweep best' });
      const path = stringFlag('path', flags.path) ?? 'model';
      return withStore(flags.storage, io, async (store) => {
        const version = await registerRunModel(store, name, runId, path, stringFlag('description', flags.description));
        if (flags.json) return json(io, version);
        io.stdout.write(`Registered ${version.source} as model "${name}" version ${version.version}\n`);
        return 0;
      });
    }
    case 'alias': {
      const [name, alias, versionText] = three(action, args, 'NAME', 'ALIAS', 'VERSION');
      const version = parseVersion(versionText);
      return withStore(flags.storage, io, async (store) => {
        await store.registry.setRegisteredModelAlias(name, alias, version);
        const mv = await store.registry.getModelVersion(name, version);
        if (flags.json) return json(io, mv);
        io.stdout.write(`Model "${name}" alias "${alias}" -> version ${version}\n`);
        return 0;
      });
    }
    case 'stage': {
      const [name, versionText, stage] = three(action, args, 'NAME', 'VERSION', 'STAGE');
      const version = parseVersion(versionText);
      return withStore(flags.storage, io, async (store) => {
        const mv = await store.registry.transitionModelVersionStage(name, version, stage, flags.archiveExisting === true);
        if (flags.json) return json(io, await versionsOf(store, name));
        io.stdout.write(`Model "${name}" version ${version} is now ${mv.stage}\n`);
        if (flags.archiveExisting) {
          const archived = (await versionsOf(store, name)).filter((v) => v.version !== version && v.stage === 'Archived');
          if (archived.length > 0) io.stdout.write(`Archived: ${archived.map((v) => `version ${v.version}`).join(', ')}\n`);
        }
        return 0;
      });
    }
    case 'delete': {
      // `delete NAME [VERSION]`: the version is positional (cac keeps --version for sweep's own).
      const [name, versionText] = args;
      if (name === undefined || args.length > 2) throw new ConfigError(`sweep models delete takes NAME [VERSION], got ${args.length} arguments`);
      const version = versionText === undefined ? undefined : parseVersion(versionText);
      return withStore(flags.storage, io, async (store) => {
        if (version === undefined) await store.registry.deleteRegisteredModel(name);
        else await store.registry.deleteModelVersion(name, version);
        io.stdout.write(version === undefined ? `Deleted model "${name}" and its versions\n` : `Deleted version ${version} of model "${name}"\n`);
        return 0;
      });
    }
    case 'download': {
      const uri = one(action, args, 'MODEL_URI');
      const dst = stringFlag('dst', flags.dst);
      if (dst === undefined) throw new ConfigError('sweep models download: --dst DIR is required');
      return withStore(flags.storage, io, async (store) => {
        const { version, dir, proxied, served } = await modelDirectory(store, uri);
        const token = io.env['SWEEP_TRACKING_TOKEN'] || io.env['MLFLOW_TRACKING_TOKEN'] || undefined;
        if (proxied !== undefined) {
          await downloadProxied(proxied.base, proxied.rel, dst, token);
        } else if (served !== undefined) {
          await downloadServed(store.uri, served, dst, token);
        } else {
          mkdirSync(dst, { recursive: true });
          cpSync(dir, dst, { recursive: true });
        }
        if (flags.json) return json(io, { ...version, dst });
        io.stdout.write(`Copied model "${version.name}" version ${version.version} (${version.source}) to ${dst}\n`);
        return 0;
      });
    }
    default:
      throw new ConfigError(`unknown action "models ${action}"`, { hint: `use ${ACTIONS}` });
  }
}

/**
 * Registers the model a run logged at `path` (checked against the run's mlflow.log-model.history),
 * creating the registered model when it does not exist yet. @throws ConfigError, NotFoundError
 */
export async function registerRunModel(store: TrackingStore, name: string, runId: string, path: string, description?: string): Promise<ModelVersion> {
  const run = await store.getRun(runId);
  const logged = loggedModelPaths(run.data.tags[TAG_LOG_MODEL_HISTORY]);
  if (!logged.includes(path.replace(/\/+$/, ''))) {
    throw new ConfigError(
      logged.length === 0
        ? `run ${runId} logged no model (its ${TAG_LOG_MODEL_HISTORY} tag is empty)`
        : `run ${runId} logged no model at "${path}" (it logged: ${logged.join(', ')})`,
      { hint: logged.length === 0 ? 'log one from the objective with trial.logModel(path) or a {"sweep": "model", "path": ...} line' : `pass --path ${logged[0]}` },
    );
  }
  try {
    await store.registry.createRegisteredModel({ name });
  } catch (error) {
    if (!(error instanceof DuplicateError || (isSweepError(error) && error.code === 'E_DUPLICATE'))) throw error;
  }
  return store.registry.createModelVersion({
    name, source: `runs:/${runId}/${path.replace(/\/+$/, '')}`, runId, ...(description !== undefined && { description }),
  });
}

/** The artifact paths of the models in a history tag. */
export function loggedModelPaths(history: string | undefined): string[] {
  if (history === undefined) return [];
  try {
    const list = JSON.parse(history) as unknown;
    if (!Array.isArray(list)) return [];
    return list.map((m) => (m as { artifact_path?: unknown }).artifact_path).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

// --- internal ---

/**
 * Where the files a models:/ URI names are: a local directory, or a directory behind the artifact
 * proxy of the server the store uploads to (`--storage http://server`, `?artifacts=http://server`).
 * @throws NotFoundError, ConfigError
 */
async function modelDirectory(store: TrackingStore, uri: string): Promise<{
  version: ModelVersion; dir: string; proxied?: { base: string; rel: string }; served?: { name: string; version: number; runId: string; path: string };
}> {
  const version = await resolveModelUri(store.registry, uri);
  const runs = parseRunsUri(version.source);
  const base = proxyBaseOf(store.artifactRoot);
  let dir: string | undefined;
  if (runs) {
    const run = await store.getRun(runs.runId);
    if (isAbsolute(run.info.artifactUri)) dir = runs.path === '' ? run.info.artifactUri : join(run.info.artifactUri, ...runs.path.split('/'));
    // Through a server, such a path is the server's own (maybe not mounted here, maybe another file here): fetched from it.
    if (dir !== undefined && /^https?:\/\//i.test(store.uri)) {
      return { version, dir, served: { name: version.name, version: version.version, runId: runs.runId, path: runs.path.replace(/^\/+|\/+$/g, '') } };
    }
    else if (run.info.artifactUri.startsWith('mlflow-artifacts:/') && base !== undefined) {
      const rel = [run.info.artifactUri.slice('mlflow-artifacts:/'.length), runs.path].filter((p) => p !== '').join('/').replace(/\/+$/, '');
      return { version, dir: `${base}/${rel}`, proxied: { base, rel } };
    }
  } else if (version.source.startsWith('mlflow-artifacts:/') && base !== undefined) {
    const rel = version.source.slice('mlflow-artifacts:/'.length).replace(/^\/+|\/+$/g, '');
    return { version, dir: `${base}/${rel}`, proxied: { base, rel } };
  } else if (version.source.startsWith('mlflow-artifacts:/') && isAbsolute(store.artifactRoot)) {
    // What MLflow clients register through a sweep server: the proxy's path, kept under the store's artifact root.
    const segments = version.source.slice('mlflow-artifacts:/'.length).split('/').filter((s) => s !== '' && s !== '.');
    if (!segments.includes('..')) dir = join(store.artifactRoot, ...segments);
  } else if (isAbsolute(version.source)) {
    dir = version.source;
  }
  if (dir === undefined) {
    throw new ConfigError(`model "${version.name}" version ${version.version} is at ${version.source}, which is not on this machine`, {
      hint: 'pass --storage http://SERVER (the sweep server that keeps it), or add ?artifacts=http://SERVER to a PostgreSQL URI',
    });
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new NotFoundError(`the files of model "${version.name}" version ${version.version} are missing: ${dir}`);
  return { version, dir };
}

async function allModels(store: TrackingStore, filter: string | undefined): Promise<RegisteredModel[]> {
  const out: RegisteredModel[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.registry.searchRegisteredModels({ maxResults: 1000, ...(filter !== undefined && { filter }), ...(pageToken !== undefined && { pageToken }) });
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return out;
}

async function versionsOf(store: TrackingStore, name: string): Promise<ModelVersion[]> {
  const filter = `name = '${name.replace(/'/g, '')}'`;
  if (name.includes('\'')) return (await store.registry.searchModelVersions({ orderBy: ['version_number ASC'] })).items.filter((v) => v.name === name);
  return (await store.registry.searchModelVersions({ filter, orderBy: ['version_number ASC'] })).items;
}

function versionTable(versions: readonly ModelVersion[]): string {
  if (versions.length === 0) return 'no versions yet';
  const rows = versions.map((v) => [String(v.version), v.stage, v.aliases.join(', '), v.runId || '-', v.source, when(v.creationTime)]);
  return table(['version', 'stage', 'aliases', 'run', 'source', 'created'], rows);
}

function latestOf(m: RegisteredModel): string {
  return m.latestVersions.map((v) => `${v.version} (${v.stage})`).join(', ') || '-';
}

function aliasesOf(m: RegisteredModel): string {
  return Object.entries(m.aliases).map(([a, v]) => `${a}=${v}`).join(', ');
}

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function json(io: CliIO, value: unknown): number {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  return 0;
}

function one(action: string, args: readonly string[], name: string): string {
  const [first] = args;
  if (first === undefined || args.length !== 1) throw new ConfigError(`sweep models ${action} takes ${name}, got ${args.length} arguments`);
  return first;
}

function three(action: string, args: readonly string[], a: string, b: string, c: string): [string, string, string] {
  if (args.length !== 3) throw new ConfigError(`sweep models ${action} takes ${a} ${b} ${c}, got ${args.length} arguments`);
  return [args[0] as string, args[1] as string, args[2] as string];
}
