// ModelRegistry through a sweep (or MLflow) tracking server's REST API: registered-models/* and
// model-versions/*, so the server's validation and errors apply to library calls too.
import type {
  ModelVersion, NewModelVersion, NewRegisteredModel, RegisteredModel, RegistryPage, RegistrySearchQuery,
} from '../registry/entities.js';
import { modelVersionFromJson, registeredModelFromJson } from '../registry/mlflow-json.js';
import type { ModelRegistry } from '../registry/registry.js';
import type { Json } from './from-json.js';
import type { HttpTransport } from './transport.js';

export class HttpRegistry implements ModelRegistry {
  constructor(private readonly http: HttpTransport) {}

  async createRegisteredModel(model: NewRegisteredModel): Promise<RegisteredModel> {
    const body = await this.http.mlflow('POST', '/registered-models/create', {
      name: model.name, description: model.description, tags: pairs(model.tags ?? {}),
    });
    return registeredModelFromJson(body['registered_model'] as Json);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return registeredModelFromJson((await this.http.mlflow('GET', '/registered-models/get', { name }))['registered_model'] as Json);
  }

  async renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    const body = await this.http.mlflow('POST', '/registered-models/rename', { name, new_name: newName });
    return registeredModelFromJson(body['registered_model'] as Json);
  }

  async updateRegisteredModel(name: string, update: { description: string }): Promise<RegisteredModel> {
    const body = await this.http.mlflow('PATCH', '/registered-models/update', { name, description: update.description });
    return registeredModelFromJson(body['registered_model'] as Json);
  }

  async deleteRegisteredModel(name: string): Promise<void> {
    await this.http.mlflow('DELETE', '/registered-models/delete', { name });
  }

  async searchRegisteredModels(query: RegistrySearchQuery = {}): Promise<RegistryPage<RegisteredModel>> {
    const body = await this.http.mlflow('GET', '/registered-models/search', searchFields(query));
    return page(body, 'registered_models', registeredModelFromJson);
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.http.mlflow('POST', '/registered-models/set-tag', { name, key, value });
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    await this.http.mlflow('DELETE', '/registered-models/delete-tag', { name, key });
  }

  async setRegisteredModelAlias(name: string, alias: string, version: number): Promise<void> {
    await this.http.mlflow('POST', '/registered-models/alias', { name, alias, version: String(version) });
  }

  async deleteRegisteredModelAlias(name: string, alias: string): Promise<void> {
    await this.http.mlflow('DELETE', '/registered-models/alias', { name, alias });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return modelVersionFromJson((await this.http.mlflow('GET', '/registered-models/alias', { name, alias }))['model_version'] as Json);
  }

  async getLatestVersions(name: string, stages?: readonly string[]): Promise<ModelVersion[]> {
    const body = await this.http.mlflow('POST', '/registered-models/get-latest-versions', { name, stages: stages ?? [] });
    return ((body['model_versions'] as Json[] | undefined) ?? []).map(modelVersionFromJson);
  }

  async createModelVersion(v: NewModelVersion): Promise<ModelVersion> {
    const body = await this.http.mlflow('POST', '/model-versions/create', {
      name: v.name, source: v.source, run_id: v.runId, run_link: v.runLink, description: v.description, tags: pairs(v.tags ?? {}),
    });
    return modelVersionFromJson(body['model_version'] as Json);
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion> {
    return modelVersionFromJson((await this.http.mlflow('GET', '/model-versions/get', { name, version: String(version) }))['model_version'] as Json);
  }

  async updateModelVersion(name: string, version: number, update: { description: string }): Promise<ModelVersion> {
    const body = await this.http.mlflow('PATCH', '/model-versions/update', { name, version: String(version), description: update.description });
    return modelVersionFromJson(body['model_version'] as Json);
  }

  async deleteModelVersion(name: string, version: number): Promise<void> {
    await this.http.mlflow('DELETE', '/model-versions/delete', { name, version: String(version) });
  }

  async searchModelVersions(query: RegistrySearchQuery = {}): Promise<RegistryPage<ModelVersion>> {
    const body = await this.http.mlflow('GET', '/model-versions/search', searchFields(query));
    return page(body, 'model_versions', modelVersionFromJson);
  }

  async transitionModelVersionStage(name: string, version: number, stage: string, archiveExisting: boolean): Promise<ModelVersion> {
    const body = await this.http.mlflow('POST', '/model-versions/transition-stage', {
      name, version: String(version), stage, archive_existing_versions: archiveExisting,
    });
    return modelVersionFromJson(body['model_version'] as Json);
  }

  async setModelVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    await this.http.mlflow('POST', '/model-versions/set-tag', { name, version: String(version), key, value });
  }

  async deleteModelVersionTag(name: string, version: number, key: string): Promise<void> {
    await this.http.mlflow('DELETE', '/model-versions/delete-tag', { name, version: String(version), key });
  }
}

// --- internal ---

function pairs(record: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

function searchFields(query: RegistrySearchQuery): Json {
  return { filter: query.filter, max_results: query.maxResults, order_by: query.orderBy ? [...query.orderBy] : undefined, page_token: query.pageToken };
}

function page<T>(body: Json, key: string, from: (j: Json) => T): RegistryPage<T> {
  const items = ((body[key] as Json[] | undefined) ?? []).map(from);
  const next = body['next_page_token'] as string | undefined;
  return next === undefined || next === '' ? { items } : { items, nextPageToken: next };
}
