// The registry's rules, once for every backend: a registered model with its tags, aliases and versions
// is one ModelState; each change is a pure function from the old state to the new one, so a backend
// only reads a model, applies the change and writes the result in one transaction (registry-core.ts).
// Messages follow MLflow's SqlAlchemyStore wording.
import { ConfigError, DuplicateError, NotFoundError } from '../../errors.js';
import { putEntry } from '../own-entries.js';
import { MODEL_STAGES, type ModelStage, type ModelVersion, type RegisteredModel } from './entities.js';

/** A version as the registry keeps it: its model's name and aliases live on the ModelState. */
export type VersionState = Omit<ModelVersion, 'name' | 'aliases'>;

export interface ModelState {
  readonly name: string;
  readonly description: string;
  readonly creationTime: number;
  readonly lastUpdatedTime: number;
  readonly userId: string;
  /** The number the next version gets (numbers of deleted versions are not reused). */
  readonly nextVersion: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly aliases: Readonly<Record<string, number>>;
  /** By version number, ascending. */
  readonly versions: readonly VersionState[];
}

/** MLflow's limits (mlflow-rest.md §4). */
export const REGISTRY_LIMITS = { tagKey: 250, tagValue: 5000, alias: 255, name: 256, description: 5000, source: 500, runLink: 500 } as const;

/** @throws ConfigError when a text field is longer than MLflow's column */
export function checkLength(field: 'description' | 'source' | 'runLink', value: string | undefined): void {
  if (value === undefined) return;
  const limit = REGISTRY_LIMITS[field];
  if (typeof value !== 'string') throw new ConfigError(`${field} must be a string`);
  if (value.length > limit) throw new ConfigError(`${field} had length ${value.length}, which exceeded length limit of ${limit}`);
}

export function modelNotFound(name: string): NotFoundError {
  return new NotFoundError(`Registered Model with name=${name} not found`);
}

export function versionNotFound(name: string, version: number | string): NotFoundError {
  return new NotFoundError(`Model Version (name=${name}, version=${version}) not found`);
}

export function modelExists(name: string): DuplicateError {
  return new DuplicateError(`Registered Model (name=${name}) already exists.`);
}

/** @throws ConfigError */
export function checkModelName(name: string, label = 'name'): void {
  if (typeof name !== 'string' || name === '') throw new ConfigError('Registered model name cannot be empty.', { details: { field: label } });
  if (name.length > REGISTRY_LIMITS.name) throw new ConfigError(`Registered model name '${name.slice(0, 40)}...' is longer than ${REGISTRY_LIMITS.name} characters`);
}

/** @throws ConfigError */
export function checkRegistryTag(key: string, value: string, what: 'Registered model' | 'Model version'): void {
  if (typeof key !== 'string' || key === '') throw new ConfigError(`${what} tag key cannot be empty`);
  if (typeof value !== 'string') throw new ConfigError('Tag value cannot be None');
  if (key.length > REGISTRY_LIMITS.tagKey) throw new ConfigError(`${what} key '${key.slice(0, 40)}...' had length ${key.length}, which exceeded length limit of ${REGISTRY_LIMITS.tagKey}`);
  if (value.length > REGISTRY_LIMITS.tagValue) throw new ConfigError(`${what} value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ${REGISTRY_LIMITS.tagValue}`);
}

/** MLflow's alias rule: word characters and '-', not `latest`, not `v<digits>`. @throws ConfigError */
export function checkAlias(alias: string): void {
  if (typeof alias !== 'string' || alias === '') throw new ConfigError('Registered model alias name cannot be empty.');
  if (!/^[\w-]*$/.test(alias)) {
    throw new ConfigError(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  if (alias.length > REGISTRY_LIMITS.alias) throw new ConfigError(`Registered model alias name '${alias.slice(0, 40)}...' is longer than ${REGISTRY_LIMITS.alias} characters`);
  if (alias.toLowerCase() === 'latest') throw new ConfigError(`'${alias}' alias name (case insensitive) is reserved.`);
  if (/^v\d+$/i.test(alias)) throw new ConfigError(`Version alias name '${alias}' is reserved.`);
}

/** `production` -> `Production`, as MLflow accepts stages in any case. @throws ConfigError */
export function canonicalStage(stage: string): ModelStage {
  const found = MODEL_STAGES.find((s) => s.toLowerCase() === String(stage).toLowerCase());
  if (found === undefined) throw new ConfigError(`Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(', ')}.`);
  return found;
}

/** A version number from an API string: a positive integer. @throws ConfigError */
export function parseVersion(version: string | number): number {
  const n = typeof version === 'number' ? version : /^\s*\d+\s*$/.test(version) ? Number(version) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new ConfigError(`Model version must be an integer, got '${version}'`);
  return n;
}

export function newModelState(name: string, now: number, init: { description?: string; tags?: Readonly<Record<string, string>>; userId?: string }): ModelState {
  checkModelName(name);
  checkLength('description', init.description);
  for (const [k, v] of Object.entries(init.tags ?? {})) checkRegistryTag(k, v, 'Registered model');
  return {
    name, description: init.description ?? '', creationTime: now, lastUpdatedTime: now, userId: init.userId ?? '',
    nextVersion: 1, tags: { ...init.tags }, aliases: {}, versions: [],
  };
}

export function versionOf(state: ModelState, version: number): VersionState {
  const found = state.versions.find((v) => v.version === version);
  if (!found) throw versionNotFound(state.name, version);
  return found;
}

/** The state with one version replaced (its lastUpdatedTime set) and the model's lastUpdatedTime bumped. */
export function withVersion(state: ModelState, next: VersionState, now: number): ModelState {
  return {
    ...state,
    lastUpdatedTime: now,
    versions: state.versions.map((v) => (v.version === next.version ? { ...next, lastUpdatedTime: now } : v)),
  };
}

export function addVersion(
  state: ModelState, now: number,
  init: { source: string; runId?: string; runLink?: string; description?: string; tags?: Readonly<Record<string, string>>; userId?: string },
): { state: ModelState; version: number } {
  if (typeof init.source !== 'string' || init.source === '') throw new ConfigError('Model version source cannot be empty');
  checkLength('source', init.source);
  checkLength('runLink', init.runLink);
  checkLength('description', init.description);
  for (const [k, v] of Object.entries(init.tags ?? {})) checkRegistryTag(k, v, 'Model version');
  const version = state.nextVersion;
  const row: VersionState = {
    version, creationTime: now, lastUpdatedTime: now, userId: init.userId ?? '', stage: 'None', description: init.description ?? '',
    source: init.source, runId: init.runId ?? '', runLink: init.runLink ?? '', status: 'READY', statusMessage: '', tags: { ...init.tags },
  };
  return { state: { ...state, nextVersion: version + 1, lastUpdatedTime: now, versions: [...state.versions, row] }, version };
}

/**
 * Moves a version to `stage`; with `archiveExisting`, the other versions in that stage become Archived
 * (only for Staging and Production, as MLflow). @throws ConfigError, NotFoundError
 */
export function transition(state: ModelState, version: number, stage: ModelStage, archiveExisting: boolean, now: number): ModelState {
  const target = versionOf(state, version);
  if (archiveExisting && stage !== 'Staging' && stage !== 'Production') {
    throw new ConfigError(
      `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are Staging, Production`,
    );
  }
  let next = withVersion(state, { ...target, stage }, now);
  if (archiveExisting) {
    next = {
      ...next,
      versions: next.versions.map((v) => (v.version !== version && v.stage === stage ? { ...v, stage: 'Archived' as const, lastUpdatedTime: now } : v)),
    };
  }
  return next;
}

export function deleteVersion(state: ModelState, version: number, now: number): ModelState {
  versionOf(state, version);
  const aliases = Object.fromEntries(Object.entries(state.aliases).filter(([, v]) => v !== version));
  return { ...state, lastUpdatedTime: now, aliases, versions: state.versions.filter((v) => v.version !== version) };
}

/** The newest version in each stage (all stages, or those given), in MLflow's stage order. */
export function latestVersions(state: ModelState, stages?: readonly ModelStage[]): VersionState[] {
  const wanted = stages === undefined || stages.length === 0 ? MODEL_STAGES : stages;
  const out: VersionState[] = [];
  for (const stage of MODEL_STAGES) {
    if (!wanted.includes(stage)) continue;
    let best: VersionState | undefined;
    for (const v of state.versions) if (v.stage === stage && (best === undefined || v.version > best.version)) best = v;
    if (best) out.push(best);
  }
  return out;
}

export function toModelVersion(state: ModelState, v: VersionState): ModelVersion {
  const aliases = Object.entries(state.aliases).filter(([, n]) => n === v.version).map(([a]) => a).sort();
  return Object.freeze({ ...v, name: state.name, tags: Object.freeze({ ...v.tags }), aliases: Object.freeze(aliases) });
}

export function toRegisteredModel(state: ModelState): RegisteredModel {
  return Object.freeze({
    name: state.name,
    creationTime: state.creationTime,
    lastUpdatedTime: state.lastUpdatedTime,
    userId: state.userId,
    description: state.description,
    tags: Object.freeze({ ...state.tags }),
    aliases: Object.freeze({ ...state.aliases }),
    latestVersions: Object.freeze(latestVersions(state).map((v) => toModelVersion(state, v))),
  });
}

/** Flat rows of the registry tables, as SQL backends read them. */
export interface RegistryRows {
  readonly models: readonly { name: string; description: string; creationTime: number; lastUpdatedTime: number; userId: string; nextVersion: number }[];
  readonly tags: readonly { name: string; key: string; value: string }[];
  readonly aliases: readonly { name: string; alias: string; version: number }[];
  readonly versions: readonly (Omit<VersionState, 'tags'> & { name: string })[];
  readonly versionTags: readonly { name: string; version: number; key: string; value: string }[];
}

/** ModelStates from flat rows (versions in version order), so a backend reads a whole registry in five queries. */
export function assembleStates(rows: RegistryRows): ModelState[] {
  const tags = new Map<string, Record<string, string>>();
  for (const t of rows.tags) putEntry(tags.get(t.name) ?? tags.set(t.name, {}).get(t.name) as Record<string, string>, t.key, t.value);
  const aliases = new Map<string, Record<string, number>>();
  for (const a of rows.aliases) (aliases.get(a.name) ?? aliases.set(a.name, {}).get(a.name) as Record<string, number>)[a.alias] = a.version;
  const versionTags = new Map<string, Record<string, string>>();
  for (const t of rows.versionTags) {
    const key = `${t.name}\u0000${t.version}`;
    putEntry(versionTags.get(key) ?? versionTags.set(key, {}).get(key) as Record<string, string>, t.key, t.value);
  }
  const versions = new Map<string, VersionState[]>();
  for (const { name, ...v } of rows.versions) {
    const list = versions.get(name) ?? versions.set(name, []).get(name) as VersionState[];
    list.push({ ...v, tags: versionTags.get(`${name}\u0000${v.version}`) ?? {} });
  }
  return rows.models.map((m) => ({
    ...m,
    tags: tags.get(m.name) ?? {},
    aliases: aliases.get(m.name) ?? {},
    versions: (versions.get(m.name) ?? []).sort((a, b) => a.version - b.version),
  }));
}
