// openStore(uri): the store registry keyed by URI scheme. `sqlite:<path>` (default), `memory:`,
// `http://host:port` (a sweep server, through HttpStore), `postgresql://…` (PgStore, many hosts on one study).
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { HttpStore } from './http/http-store.js';
import { isPgUri } from './postgres/connection.js';
import { PgStore } from './postgres/pg-store.js';
import type { TrackingStore } from './store.js';

export const DEFAULT_STORAGE = 'sqlite:./sweep.db';

/** The storage URI in force: the explicit one, else SWEEP_TRACKING_URI, else the default. */
export function resolveStorageUri(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['SWEEP_TRACKING_URI'];
  return explicit ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_STORAGE);
}

/**
 * The file of a `sqlite:` URI (not yet resolved), or undefined for another scheme. `sqlite:./x.db` and
 * `sqlite:/abs/x.db` are paths as written; MLflow's (SQLAlchemy's) form keeps its meaning: three
 * slashes are relative (`sqlite:///mlflow.db` is ./mlflow.db), four absolute (`sqlite:////srv/x.db`).
 */
export function sqlitePathOf(uri: string): string | undefined {
  if (!uri.startsWith('sqlite:')) return undefined;
  const rest = uri.slice('sqlite:'.length);
  if (rest.startsWith('///')) return rest.slice(3);
  if (rest.startsWith('//')) return rest.slice(2);
  return rest;
}

/** @throws ConfigError for an unknown scheme; StorageError when the database cannot be opened. */
export function openStore(uri: string): TrackingStore {
  if (uri === 'memory:' || uri === 'memory') return new MemoryStore();
  const path = sqlitePathOf(uri);
  if (path !== undefined) {
    if (path === '') throw new ConfigError(`storage "${uri}": needs a file path, as in sqlite:./sweep.db`);
    return new SqliteStore(path === ':memory:' ? path : resolve(path));
  }
  if (isPgUri(uri)) return new PgStore(uri);
  if (uri.startsWith('http://') || uri.startsWith('https://')) {
    const token = process.env['SWEEP_TRACKING_TOKEN'] || process.env['MLFLOW_TRACKING_TOKEN'];
    return new HttpStore(uri, token ? { token } : {});
  }
  const scheme = uri.includes(':') ? uri.slice(0, uri.indexOf(':')) : uri;
  throw new ConfigError(`storage "${uri}": unknown scheme "${scheme}"`, {
    hint: 'use sqlite:<path> (the default, sqlite:./sweep.db), postgresql://user@host:5432/database, http://host:port (a sweep server) or memory:',
  });
}
