// RegistryTables on SQLite: a model's rows (registered_models, its tags and aliases, model_versions and
// their tags) read and rewritten in one BEGIN IMMEDIATE transaction per change.
import type { ModelStage, ModelVersionStatus } from '../registry/entities.js';
import type { Change, RegistryTables } from '../registry/registry.js';
import { modelExists, type ModelState, type VersionState } from '../registry/rules.js';
import { read, writeTransaction, type Db } from './connection.js';

interface ModelRow { name: string; description: string; creation_time: number; last_updated_time: number; user_id: string; next_version: number }
interface VersionRow {
  version: number; creation_time: number; last_updated_time: number; user_id: string; stage: string; description: string;
  source: string; run_id: string; run_link: string; status: string; status_message: string;
}

export class SqliteRegistryTables implements RegistryTables {
  constructor(private readonly db: Db) {}

  async mutate<T>(name: string, context: string, change: (current: ModelState | undefined) => Change<T>): Promise<T> {
    return writeTransaction(this.db, context, () => {
      const outcome = change(this.loadSync(name));
      if ('unchanged' in outcome) return outcome.result;
      const { next } = outcome;
      if (next !== undefined && next.name !== name && this.loadRow(next.name)) throw modelExists(next.name);
      this.remove(name);
      if (next !== undefined) this.insert(next);
      return outcome.result;
    });
  }

  async load(name: string): Promise<ModelState | undefined> {
    return read('get registered model', () => this.loadSync(name));
  }

  async loadAll(): Promise<ModelState[]> {
    return read('search the registry', () => {
      const names = this.db.prepare('SELECT name FROM registered_models').pluck().all() as string[];
      return names.map((n) => this.loadSync(n)).filter((s): s is ModelState => s !== undefined);
    });
  }

  // --- internal ---

  private loadRow(name: string): ModelRow | undefined {
    return this.db.prepare('SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
  }

  private loadSync(name: string): ModelState | undefined {
    const row = this.loadRow(name);
    if (!row) return undefined;
    const pairs = (sql: string, ...args: unknown[]): Record<string, string> =>
      Object.fromEntries((this.db.prepare(sql).raw().all(...args) as [string, string][]));
    const versionTags = new Map<number, Record<string, string>>();
    for (const t of this.db.prepare('SELECT version, key, value FROM model_version_tags WHERE name = ?').all(name) as { version: number; key: string; value: string }[]) {
      const tags = versionTags.get(t.version) ?? {};
      tags[t.key] = t.value;
      versionTags.set(t.version, tags);
    }
    const versions = (this.db.prepare('SELECT * FROM model_versions WHERE name = ? ORDER BY version').all(name) as VersionRow[]).map(
      (v): VersionState => ({
        version: v.version, creationTime: v.creation_time, lastUpdatedTime: v.last_updated_time, userId: v.user_id,
        stage: v.stage as ModelStage, description: v.description, source: v.source, runId: v.run_id, runLink: v.run_link,
        status: v.status as ModelVersionStatus, statusMessage: v.status_message, tags: versionTags.get(v.version) ?? {},
      }),
    );
    const aliases: Record<string, number> = {};
    for (const [alias, version] of this.db.prepare('SELECT alias, version FROM registered_model_aliases WHERE name = ?').raw().all(name) as [string, number][]) {
      aliases[alias] = version;
    }
    return {
      name: row.name, description: row.description, creationTime: row.creation_time, lastUpdatedTime: row.last_updated_time,
      userId: row.user_id, nextVersion: row.next_version, tags: pairs('SELECT key, value FROM registered_model_tags WHERE name = ?', name),
      aliases, versions,
    };
  }

  /** Deletes the model's rows (tags, aliases and versions go by ON DELETE CASCADE). */
  private remove(name: string): void {
    this.db.prepare('DELETE FROM registered_models WHERE name = ?').run(name);
  }

  private insert(s: ModelState): void {
    this.db
      .prepare('INSERT INTO registered_models (name, description, creation_time, last_updated_time, user_id, next_version) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.name, s.description, s.creationTime, s.lastUpdatedTime, s.userId, s.nextVersion);
    const tag = this.db.prepare('INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(s.tags)) tag.run(s.name, k, v);
    const version = this.db.prepare(
      `INSERT INTO model_versions (name, version, creation_time, last_updated_time, user_id, stage, description, source, run_id, run_link, status, status_message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const versionTag = this.db.prepare('INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)');
    for (const v of s.versions) {
      version.run(s.name, v.version, v.creationTime, v.lastUpdatedTime, v.userId, v.stage, v.description, v.source, v.runId, v.runLink, v.status, v.statusMessage);
      for (const [k, value] of Object.entries(v.tags)) versionTag.run(s.name, v.version, k, value);
    }
    const alias = this.db.prepare('INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)');
    for (const [a, v] of Object.entries(s.aliases)) alias.run(s.name, a, v);
  }
}
