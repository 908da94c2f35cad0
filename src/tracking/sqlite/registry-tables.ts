// RegistryTables on SQLite: a model's rows (registered_models, its tags and aliases, model_versions and
// their tags) read and rewritten in one BEGIN IMMEDIATE transaction per change.
import type { ModelStage, ModelVersionStatus } from '../registry/entities.js';
import type { Change, RegistryTables } from '../registry/registry.js';
import type Database from 'better-sqlite3';
import { assembleStates, modelExists, type ModelState } from '../registry/rules.js';
import { read, writeTransaction, type Db } from './connection.js';

interface ModelRow { name: string; description: string; creation_time: number; last_updated_time: number; user_id: string; next_version: number }
interface VersionRow {
  version: number; creation_time: number; last_updated_time: number; user_id: string; stage: string; description: string;
  source: string; run_id: string; run_link: string; status: string; status_message: string;
}

export class SqliteRegistryTables implements RegistryTables {
  private readonly statements = new Map<string, Database.Statement>();

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

  /** The whole registry in five queries (one per table). */
  async loadAll(): Promise<ModelState[]> {
    return read('search the registry', () => this.loadWhere('', []));
  }

  // --- internal ---

  private loadRow(name: string): ModelRow | undefined {
    return this.statement('SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
  }

  private loadSync(name: string): ModelState | undefined {
    return this.loadWhere('WHERE name = ?', [name])[0];
  }

  /** Models (all, or those `where` selects by name) with their tags, aliases and versions. */
  private loadWhere(where: string, args: unknown[]): ModelState[] {
    const all = <T>(sql: string): T[] => this.statement(sql).all(...args) as T[];
    return assembleStates({
      models: all<ModelRow>(`SELECT * FROM registered_models ${where}`).map((m) => ({
        name: m.name, description: m.description, creationTime: m.creation_time, lastUpdatedTime: m.last_updated_time, userId: m.user_id, nextVersion: m.next_version,
      })),
      tags: all(`SELECT name, key, value FROM registered_model_tags ${where}`),
      aliases: all(`SELECT name, alias, version FROM registered_model_aliases ${where}`),
      versions: all<VersionRow & { name: string }>(`SELECT * FROM model_versions ${where} ORDER BY name, version`).map((v) => ({
        name: v.name, version: v.version, creationTime: v.creation_time, lastUpdatedTime: v.last_updated_time, userId: v.user_id,
        stage: v.stage as ModelStage, description: v.description, source: v.source, runId: v.run_id, runLink: v.run_link,
        status: v.status as ModelVersionStatus, statusMessage: v.status_message,
      })),
      versionTags: all(`SELECT name, version, key, value FROM model_version_tags ${where}`),
    });
  }

  /** A prepared statement, kept per SQL text (the registry's are few and fixed). */
  private statement(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  /** Deletes the model's rows (tags, aliases and versions go by ON DELETE CASCADE). */
  private remove(name: string): void {
    this.statement('DELETE FROM registered_models WHERE name = ?').run(name);
  }

  private insert(s: ModelState): void {
    this
      .statement('INSERT INTO registered_models (name, description, creation_time, last_updated_time, user_id, next_version) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.name, s.description, s.creationTime, s.lastUpdatedTime, s.userId, s.nextVersion);
    const tag = this.statement('INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(s.tags)) tag.run(s.name, k, v);
    const version = this.statement(
      `INSERT INTO model_versions (name, version, creation_time, last_updated_time, user_id, stage, description, source, run_id, run_link, status, status_message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const versionTag = this.statement('INSERT INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)');
    for (const v of s.versions) {
      version.run(s.name, v.version, v.creationTime, v.lastUpdatedTime, v.userId, v.stage, v.description, v.source, v.runId, v.runLink, v.status, v.statusMessage);
      for (const [k, value] of Object.entries(v.tags)) versionTag.run(s.name, v.version, k, value);
    }
    const alias = this.statement('INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)');
    for (const [a, v] of Object.entries(s.aliases)) alias.run(s.name, a, v);
  }
}
