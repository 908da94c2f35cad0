// MLflow's model URIs: `models:/<name>/<version>`, `models:/<name>/<stage>`, `models:/<name>/latest`,
// `models:/<name>@<alias>`, and version sources `runs:/<run_id>/<path>`, resolved through a store.
import { ConfigError, NotFoundError } from '../../errors.js';
import type { ModelVersion } from './entities.js';
import type { ModelRegistry } from './registry.js';
import { canonicalStage } from './rules.js';

export type ModelRef =
  | { readonly name: string; readonly version: number }
  | { readonly name: string; readonly alias: string }
  | { readonly name: string; readonly stage: string }
  | { readonly name: string; readonly latest: true };

/** @throws ConfigError for anything but a models:/ URI MLflow accepts */
export function parseModelUri(uri: string): ModelRef {
  const m = /^models:\/(?!\/)(.+)$/.exec(uri);
  const body = m?.[1];
  const bad = (): never => {
    throw new ConfigError(`Not a proper models:/ URI: ${uri}. Models URIs must be of the form 'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is a registered model alias.`);
  };
  if (body === undefined) return bad();
  const at = body.lastIndexOf('@');
  if (at > 0 && !body.slice(at).includes('/')) return { name: body.slice(0, at), alias: body.slice(at + 1) };
  const slash = body.lastIndexOf('/');
  if (slash <= 0 || slash === body.length - 1) return bad();
  const name = body.slice(0, slash);
  const suffix = body.slice(slash + 1);
  if (/^\d+$/.test(suffix)) return { name, version: Number(suffix) };
  if (suffix.toLowerCase() === 'latest') return { name, latest: true };
  return { name, stage: canonicalStage(suffix) };
}

/** The version a models:/ URI names. @throws ConfigError, NotFoundError */
export async function resolveModelUri(registry: ModelRegistry, uri: string): Promise<ModelVersion> {
  const ref = parseModelUri(uri);
  if ('version' in ref) return registry.getModelVersion(ref.name, ref.version);
  if ('alias' in ref) return registry.getModelVersionByAlias(ref.name, ref.alias);
  const candidates = 'stage' in ref ? await registry.getLatestVersions(ref.name, [ref.stage]) : await registry.getLatestVersions(ref.name);
  const newest = candidates.sort((a, b) => b.version - a.version)[0];
  if (!newest) throw new NotFoundError(`No versions of model with name '${ref.name}' ${'stage' in ref ? `and stage '${ref.stage}' ` : ''}found`);
  return newest;
}

/** `runs:/<run_id>/<path>` split, or undefined for any other source. */
export function parseRunsUri(source: string): { runId: string; path: string } | undefined {
  const m = /^runs:\/+([^/]+)\/?(.*)$/.exec(source);
  if (!m) return undefined;
  return { runId: m[1] as string, path: (m[2] as string).replace(/\/+$/, '') };
}
