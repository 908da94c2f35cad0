// The registry's entities and dataset inputs in MLflow's JSON (model_registry.proto, service.proto's
// RunInputs field names), both ways: the server writes it, HttpStore reads it back.
import type { DatasetInput, ModelStage, ModelVersion, ModelVersionStatus, RegisteredModel } from './entities.js';

type Json = Record<string, unknown>;

export function modelVersionJson(v: ModelVersion): Json {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTime,
    last_updated_timestamp: v.lastUpdatedTime,
    user_id: v.userId,
    current_stage: v.stage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: v.status,
    ...(v.statusMessage !== '' && { status_message: v.statusMessage }),
    tags: Object.entries(v.tags).map(([key, value]) => ({ key, value })),
    run_link: v.runLink,
    aliases: [...v.aliases],
  };
}

export function registeredModelJson(m: RegisteredModel): Json {
  return {
    name: m.name,
    creation_timestamp: m.creationTime,
    last_updated_timestamp: m.lastUpdatedTime,
    user_id: m.userId,
    description: m.description,
    latest_versions: m.latestVersions.map(modelVersionJson),
    tags: Object.entries(m.tags).map(([key, value]) => ({ key, value })),
    aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version: String(version) })),
  };
}

export function datasetInputJson(input: DatasetInput): Json {
  const d = input.dataset;
  return {
    tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })),
    dataset: {
      name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source,
      ...(d.schema !== undefined && { schema: d.schema }), ...(d.profile !== undefined && { profile: d.profile }),
    },
  };
}

export function modelVersionFromJson(j: Json): ModelVersion {
  return {
    name: String(j['name']),
    version: Number(j['version']),
    creationTime: Number(j['creation_timestamp'] ?? 0),
    lastUpdatedTime: Number(j['last_updated_timestamp'] ?? 0),
    userId: String(j['user_id'] ?? ''),
    stage: String(j['current_stage'] ?? 'None') as ModelStage,
    description: String(j['description'] ?? ''),
    source: String(j['source'] ?? ''),
    runId: String(j['run_id'] ?? ''),
    runLink: String(j['run_link'] ?? ''),
    status: String(j['status'] ?? 'READY') as ModelVersionStatus,
    statusMessage: String(j['status_message'] ?? ''),
    tags: pairs(j['tags']),
    aliases: ((j['aliases'] as unknown[] | undefined) ?? []).map(String),
  };
}

export function registeredModelFromJson(j: Json): RegisteredModel {
  const aliases: Record<string, number> = {};
  for (const a of (j['aliases'] as Json[] | undefined) ?? []) aliases[String(a['alias'])] = Number(a['version']);
  return {
    name: String(j['name']),
    creationTime: Number(j['creation_timestamp'] ?? 0),
    lastUpdatedTime: Number(j['last_updated_timestamp'] ?? 0),
    userId: String(j['user_id'] ?? ''),
    description: String(j['description'] ?? ''),
    tags: pairs(j['tags']),
    aliases,
    latestVersions: ((j['latest_versions'] as Json[] | undefined) ?? []).map(modelVersionFromJson),
  };
}

export function datasetInputFromJson(j: Json): DatasetInput {
  const d = (j['dataset'] ?? {}) as Json;
  const optional = (key: string): string | undefined => (d[key] === undefined || d[key] === null ? undefined : String(d[key]));
  const schema = optional('schema');
  const profile = optional('profile');
  return {
    dataset: {
      name: String(d['name'] ?? ''), digest: String(d['digest'] ?? ''), sourceType: String(d['source_type'] ?? ''), source: String(d['source'] ?? ''),
      ...(schema !== undefined && { schema }), ...(profile !== undefined && { profile }),
    },
    tags: pairs(j['tags']),
  };
}

function pairs(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as Json[] | undefined) ?? []) out[String(item['key'])] = String(item['value'] ?? '');
  return out;
}
