// ModelRegistry: MLflow's model registry as a port of the TrackingStore (`store.registry`), and
// RegistryCore, its one implementation of the rules over a backend's RegistryTables (memory, SQLite,
// PostgreSQL): every change reads one model, applies a pure change from rules.ts and writes it back
// in one transaction. HttpRegistry (http/http-registry.ts) implements the port through the REST API.
import { ConfigError, NotFoundError } from '../../errors.js';
import type {
  ModelStage, ModelVersion, NewModelVersion, NewRegisteredModel, RegisteredModel, RegistryPage, RegistrySearchQuery,
} from './entities.js';
import {
  addVersion, canonicalStage, checkAlias, checkLength, checkModelName, checkRegistryTag, deleteVersion, latestVersions, modelExists,
  modelNotFound, newModelState, toModelVersion, toRegisteredModel, transition, versionOf, withVersion, type ModelState,
} from './rules.js';
import { searchModelStates, searchVersionStates } from './search.js';

/**
 * The registry half of the store contract. Unknown models and versions throw NotFoundError (the
 * server answers RESOURCE_DOES_NOT_EXIST), taken names DuplicateError (RESOURCE_ALREADY_EXISTS), bad
 * arguments ConfigError (INVALID_PARAMETER_VALUE). Returned objects are snapshots.
 */
export interface ModelRegistry {
  createRegisteredModel(model: NewRegisteredModel): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  /** The versions move with the model. */
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  updateRegisteredModel(name: string, update: { description: string }): Promise<RegisteredModel>;
  /** Deletes the model with its versions, tags and aliases. */
  deleteRegisteredModel(name: string): Promise<void>;
  searchRegisteredModels(query?: RegistrySearchQuery): Promise<RegistryPage<RegisteredModel>>;
  setRegisteredModelTag(name: string, key: string, value: string): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;
  /** Points the alias at the version (moving it from another one). */
  setRegisteredModelAlias(name: string, alias: string, version: number): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  /** @throws NotFoundError `Registered model alias <a> not found.` */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** The newest version of each stage (or of the stages given). */
  getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]>;

  /** The next number of the model; status READY, stage None. */
  createModelVersion(version: NewModelVersion): Promise<ModelVersion>;
  getModelVersion(name: string, version: number): Promise<ModelVersion>;
  updateModelVersion(name: string, version: number, update: { description: string }): Promise<ModelVersion>;
  deleteModelVersion(name: string, version: number): Promise<void>;
  searchModelVersions(query?: RegistrySearchQuery): Promise<RegistryPage<ModelVersion>>;
  /** With `archiveExisting`, the other versions in that stage become Archived in the same transaction. */
  transitionModelVersionStage(name: string, version: number, stage: string, archiveExisting: boolean): Promise<ModelVersion>;
  setModelVersionTag(name: string, version: number, key: string, value: string): Promise<void>;
  deleteModelVersionTag(name: string, version: number, key: string): Promise<void>;
}

/** What a backend provides: model states read and written in transactions. */
export interface RegistryTables {
  /**
   * In one write transaction: reads the model `name` (undefined when absent), calls `change`, and
   * when it returns `next`, writes it in place of the model (`undefined` deletes it; a state with
   * another name renames it, throwing DuplicateError when that name is taken). Resolves `result`.
   */
  mutate<T>(name: string, context: string, change: (current: ModelState | undefined) => Change<T>): Promise<T>;
  load(name: string): Promise<ModelState | undefined>;
  loadAll(): Promise<ModelState[]>;
}

export type Change<T> = { readonly next: ModelState | undefined; readonly result: T } | { readonly unchanged: true; readonly result: T };

export class RegistryCore implements ModelRegistry {
  constructor(private readonly tables: RegistryTables, private readonly clock: () => number = Date.now) {}

  async createRegisteredModel(model: NewRegisteredModel): Promise<RegisteredModel> {
    checkModelName(model.name);
    return this.tables.mutate(model.name, `create registered model "${model.name}"`, (current) => {
      if (current) throw modelExists(model.name);
      const next = newModelState(model.name, this.clock(), model);
      return { next, result: toRegisteredModel(next) };
    });
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return toRegisteredModel(await this.model(name));
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    checkModelName(newName, 'new_name');
    return this.change(name, 'rename', (s) => {
      if (newName === name) return s;
      return { ...s, name: newName, lastUpdatedTime: this.clock() };
    });
  }

  async updateRegisteredModel(name: string, update: { description: string }): Promise<RegisteredModel> {
    checkLength('description', update.description);
    return this.change(name, 'update', (s) => ({ ...s, description: update.description, lastUpdatedTime: this.clock() }));
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.tables.mutate(name, `delete registered model "${name}"`, (current) => {
      if (!current) throw modelNotFound(name);
      return { next: undefined, result: undefined };
    });
  }

  async searchRegisteredModels(query: RegistrySearchQuery = {}): Promise<RegistryPage<RegisteredModel>> {
    const page = searchModelStates(await this.tables.loadAll(), query);
    return { ...page, items: page.items.map(toRegisteredModel) };
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    checkRegistryTag(key, value, 'Registered model');
    await this.change(name, 'tag', (s) => ({ ...s, tags: { ...s.tags, [key]: value }, lastUpdatedTime: this.clock() }));
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.change(name, 'delete tag of', (s) => {
      if (!(key in s.tags)) throw new NotFoundError(`No tag with name: ${key} in registered model ${name}`);
      const { [key]: _gone, ...tags } = s.tags;
      return { ...s, tags, lastUpdatedTime: this.clock() };
    });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: number): Promise<void> {
    checkAlias(alias);
    await this.change(name, 'alias', (s) => {
      versionOf(s, version);
      return { ...s, aliases: { ...s.aliases, [alias]: version }, lastUpdatedTime: this.clock() };
    });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    checkAlias(alias);
    await this.change(name, 'delete alias of', (s) => {
      if (!(alias in s.aliases)) return s; // MLflow deletes an unknown alias quietly
      const { [alias]: _gone, ...aliases } = s.aliases;
      return { ...s, aliases, lastUpdatedTime: this.clock() };
    });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const s = await this.model(name);
    const version = s.aliases[alias];
    if (version === undefined) throw new NotFoundError(`Registered model alias ${alias} not found.`);
    return toModelVersion(s, versionOf(s, version));
  }

  async getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    const canonical = stages?.map(canonicalStage);
    const s = await this.model(name);
    return latestVersions(s, canonical).map((v) => toModelVersion(s, v));
  }

  async createModelVersion(input: NewModelVersion): Promise<ModelVersion> {
    checkModelName(input.name);
    return this.tables.mutate(input.name, `create a version of registered model "${input.name}"`, (current) => {
      if (!current) throw modelNotFound(input.name);
      const { state, version } = addVersion(current, this.clock(), input);
      return { next: state, result: toModelVersion(state, versionOf(state, version)) };
    });
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    const s = await this.model(name);
    return toModelVersion(s, versionOf(s, version));
  }

  async updateModelVersion(name: string, version: number, update: { description: string }): Promise<ModelVersion> {
    checkLength('description', update.description);
    return this.changeVersion(name, version, 'update', (s, now) => withVersion(s, { ...versionOf(s, version), description: update.description }, now));
  }

  async deleteModelVersion(name: string, version: number): Promise<void> {
    await this.changeVersion(name, version, 'delete', (s, now) => deleteVersion(s, version, now), false);
  }

  async searchModelVersions(query: RegistrySearchQuery = {}): Promise<RegistryPage<ModelVersion>> {
    const page = searchVersionStates(await this.tables.loadAll(), query);
    return { ...page, items: page.items.map(([s, v]) => toModelVersion(s, v)) };
  }

  async transitionModelVersionStage(name: string, version: number, stage: string, archiveExisting: boolean): Promise<ModelVersion> {
    const canonical: ModelStage = canonicalStage(stage);
    return this.changeVersion(name, version, 'transition', (s, now) => transition(s, version, canonical, archiveExisting, now));
  }

  async setModelVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    checkRegistryTag(key, value, 'Model version');
    await this.changeVersion(name, version, 'tag', (s, now) => {
      const v = versionOf(s, version);
      return withVersion(s, { ...v, tags: { ...v.tags, [key]: value } }, now);
    });
  }

  async deleteModelVersionTag(name: string, version: number, key: string): Promise<void> {
    await this.changeVersion(name, version, 'delete tag of', (s, now) => {
      const v = versionOf(s, version);
      if (!(key in v.tags)) throw new NotFoundError(`No tag with name: ${key} in model version ${name} version ${version}`);
      const { [key]: _gone, ...tags } = v.tags;
      return withVersion(s, { ...v, tags }, now);
    });
  }

  // --- internal ---

  private async model(name: string): Promise<ModelState> {
    checkModelName(name);
    const s = await this.tables.load(name);
    if (!s) throw modelNotFound(name);
    return s;
  }

  private async change(name: string, verb: string, apply: (s: ModelState) => ModelState): Promise<RegisteredModel> {
    checkModelName(name);
    return this.tables.mutate(name, `${verb} registered model "${name}"`, (current) => {
      if (!current) throw modelNotFound(name);
      const next = apply(current);
      return next === current ? { unchanged: true, result: toRegisteredModel(current) } : { next, result: toRegisteredModel(next) };
    });
  }

  private async changeVersion(
    name: string, version: number, verb: string, apply: (s: ModelState, now: number) => ModelState, returnsVersion = true,
  ): Promise<ModelVersion> {
    checkModelName(name);
    if (!Number.isSafeInteger(version) || version < 1) throw new ConfigError(`Model version must be an integer, got '${version}'`);
    return this.tables.mutate(name, `${verb} version ${version} of registered model "${name}"`, (current) => {
      if (!current) throw modelNotFound(name);
      const next = apply(current, this.clock());
      const result = returnsVersion ? toModelVersion(next, versionOf(next, version)) : (undefined as unknown as ModelVersion);
      return { next, result };
    });
  }
}
