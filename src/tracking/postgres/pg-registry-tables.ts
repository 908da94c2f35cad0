// RegistryTables on PostgreSQL: a model's rows (registered_models, its tags and aliases, model_versions
// and their tags) read and rewritten in one transaction per change, the model's row locked FOR UPDATE so
// changes to one model from several hosts apply one after the other. Creating a name another host
// created at the same moment fails on the primary key: DuplicateError, as a taken name should.
import type { ModelStage, ModelVersionStatus } from '../registry/entities.js';
import type { Change, RegistryTables } from '../registry/registry.js';
import { assembleStates, modelExists, type ModelState } from '../registry/rules.js';
import type { PgConnection, Queryable } from './connection.js';
import { holdsNul } from './pg-reads.js';

interface ModelRow { name: string; description: string; creation_time: string | number; last_updated_time: string | number; user_id: string; next_version: number }
interface VersionRow {
  version: number; creation_time: string | number; last_updated_time: string | number; user_id: string; stage: string; description: string;
  source: string; run_id: string; run_link: string; status: string; status_message: string;
}

export class PgRegistryTables implements RegistryTables {
  constructor(private readonly conn: PgConnection) {}

  async mutate<T>(name: string, context: string, change: (current: ModelState | undefined) => Change<T>): Promise<T> {
    return this.conn.run(context, async (q) => {
      const current = await loadModel(q, name, true);
      const outcome = change(current);
      if ('unchanged' in outcome) return outcome.result;
      const { next } = outcome;
      if (next === undefined) {
        await q.query('DELETE FROM registered_models WHERE name = $1', [name]);
      } else if (current !== undefined && next.name === name) {
        // The model's row is updated in place, never deleted and inserted again: a writer waiting on
        // its FOR UPDATE lock then reads the new row (a deleted one would look like no model at all).
        await q.query(
          'UPDATE registered_models SET description = $2, creation_time = $3, last_updated_time = $4, user_id = $5, next_version = $6 WHERE name = $1',
          [name, next.description, next.creationTime, next.lastUpdatedTime, next.userId, next.nextVersion],
        );
        for (const table of ['registered_model_tags', 'registered_model_aliases', 'model_versions']) {
          await q.query(`DELETE FROM ${table} WHERE name = $1`, [name]); // version tags go by ON DELETE CASCADE
        }
        await insertChildren(q, next);
      } else {
        if (next.name !== name && (await loadRow(q, next.name, true))) throw modelExists(next.name);
        if (current !== undefined) await q.query('DELETE FROM registered_models WHERE name = $1', [name]);
        await insertModel(q, next);
      }
      return outcome.result;
    }, true);
  }

  async load(name: string): Promise<ModelState | undefined> {
    return this.conn.run('get registered model', (q) => loadModel(q, name, false));
  }

  /** The whole registry in five queries (one per table), not five per model. */
  async loadAll(): Promise<ModelState[]> {
    return this.conn.run('search the registry', (q) => loadModels(q, '', []));
  }
}

async function loadRow(q: Queryable, name: string, lock: boolean): Promise<ModelRow | undefined> {
  return (await q.query<ModelRow>(`SELECT * FROM registered_models WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name])).rows[0];
}

async function loadModel(q: Queryable, name: string, lock: boolean): Promise<ModelState | undefined> {
  if (holdsNul(name)) return undefined; // no stored name holds U+0000
  // The lock is taken on the model's row first; its other rows are read under it.
  if (!(await loadRow(q, name, lock))) return undefined;
  return (await loadModels(q, 'WHERE name = $1', [name]))[0];
}

/** Models (all, or those `where` selects by name) with their tags, aliases and versions. */
async function loadModels(q: Queryable, where: string, args: unknown[]): Promise<ModelState[]> {
  const rows = async <T extends object>(sql: string): Promise<T[]> => (await q.query<T>(sql, args)).rows;
  const [models, tags, aliases, versions, versionTags] = [
    await rows<ModelRow>(`SELECT * FROM registered_models ${where} ORDER BY name`),
    await rows<{ name: string; key: string; value: string }>(`SELECT name, key, value FROM registered_model_tags ${where}`),
    await rows<{ name: string; alias: string; version: number }>(`SELECT name, alias, version FROM registered_model_aliases ${where}`),
    await rows<VersionRow & { name: string }>(`SELECT * FROM model_versions ${where} ORDER BY name, version`),
    await rows<{ name: string; version: number; key: string; value: string }>(`SELECT name, version, key, value FROM model_version_tags ${where}`),
  ];
  return assembleStates({
    models: models.map((m) => ({
      name: m.name, description: m.description, creationTime: Number(m.creation_time), lastUpdatedTime: Number(m.last_updated_time),
      userId: m.user_id, nextVersion: m.next_version,
    })),
    tags,
    aliases,
    versions: versions.map((v) => ({
      name: v.name, version: v.version, creationTime: Number(v.creation_time), lastUpdatedTime: Number(v.last_updated_time), userId: v.user_id,
      stage: v.stage as ModelStage, description: v.description, source: v.source, runId: v.run_id, runLink: v.run_link,
      status: v.status as ModelVersionStatus, statusMessage: v.status_message,
    })),
    versionTags,
  });
}

async function insertModel(q: Queryable, s: ModelState): Promise<void> {
  await q.query(
    'INSERT INTO registered_models (name, description, creation_time, last_updated_time, user_id, next_version) VALUES ($1, $2, $3, $4, $5, $6)',
    [s.name, s.description, s.creationTime, s.lastUpdatedTime, s.userId, s.nextVersion],
  );
  await insertChildren(q, s);
}

/** The model's tags, versions (with their tags) and aliases. */
async function insertChildren(q: Queryable, s: ModelState): Promise<void> {
  const tagEntries = Object.entries(s.tags);
  if (tagEntries.length > 0) {
    await q.query('INSERT INTO registered_model_tags (name, key, value) SELECT $1, k, v FROM unnest($2::TEXT[], $3::TEXT[]) AS x(k, v)',
      [s.name, tagEntries.map(([k]) => k), tagEntries.map(([, v]) => v)]);
  }
  for (const v of s.versions) {
    await q.query(
      `INSERT INTO model_versions (name, version, creation_time, last_updated_time, user_id, stage, description, source, run_id, run_link, status, status_message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [s.name, v.version, v.creationTime, v.lastUpdatedTime, v.userId, v.stage, v.description, v.source, v.runId, v.runLink, v.status, v.statusMessage],
    );
    const vt = Object.entries(v.tags);
    if (vt.length > 0) {
      await q.query('INSERT INTO model_version_tags (name, version, key, value) SELECT $1, $2, k, val FROM unnest($3::TEXT[], $4::TEXT[]) AS x(k, val)',
        [s.name, v.version, vt.map(([k]) => k), vt.map(([, val]) => val)]);
    }
  }
  const aliases = Object.entries(s.aliases);
  if (aliases.length > 0) {
    await q.query('INSERT INTO registered_model_aliases (name, alias, version) SELECT $1, a, v FROM unnest($2::TEXT[], $3::INTEGER[]) AS x(a, v)',
      [s.name, aliases.map(([a]) => a), aliases.map(([, v]) => v)]);
  }
}
