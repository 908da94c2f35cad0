// openStore(uri): the store registry keyed by URI scheme. `sqlite:<path>` (default), `memory:`,
// `http://host:port` (a sweep server, through HttpStore), `postgresql://…` (PgStore, many hosts on one
// study). A SQLite file sweep may not write, or a URI ending in `?mode=ro`, opens read-only: every read
// works, every write fails saying so.
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { HttpStore } from './http/http-store.js';
import { isPgUri } from './postgres/connection.js';
import { PgStore } from './postgres/pg-store.js';
import type { TrackingStore } from './store.js';

export const DEFAULT_STORAGE = 'sqlite:./sweep.db';

/** The storage URI in force: the explicit one, else SWEEP_TRACKING_URI, else the default. */
export function resolveStorageUri(explicit?: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromEnv = env['SWEEP_TRACKING_URI'];
  return explicit ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_STORAGE);
}

/**
 * The file of a `sqlite:` URI (not yet resolved), or undefined for another scheme. `sqlite:./x.db` and
 * `sqlite:/abs/x.db` are paths as written; MLflow's (SQLAlchemy's) form keeps its meaning: three
 * slashes are relative (`sqlite:///mlflow.db` is ./mlflow.db), four absolute (`sqlite:////srv/x.db`).
 */
export function sqlitePathOf(uri: string): string | undefined {
  return sqliteUriOf(uri)?.path;
}

/**
 * A `sqlite:` URI's file and whether it asks to be read-only (`?mode=ro`, as SQLite's own URIs say),
 * or undefined for another scheme. @throws ConfigError for another query option.
 */
export function sqliteUriOf(uri: string): { path: string; readonly: boolean } | undefined {
  if (!uri.startsWith('sqlite:')) return undefined;
  const query = uri.indexOf('?');
  const options = new URLSearchParams(query < 0 ? '' : uri.slice(query + 1));
  let readonly = false;
  for (const [key, value] of options) {
    if (key === 'mode' && (value === 'ro' || value === 'rw' || value === 'rwc')) readonly = value === 'ro';
    else throw new ConfigError(`storage "${uri}": unknown option ${key}=${value}`, { hint: 'the one option is ?mode=ro (read-only)' });
  }
  return { path: pathPart(query < 0 ? uri : uri.slice(0, query)), readonly };
}

function pathPart(uri: string): string {
  const rest = uri.slice('sqlite:'.length);
  if (rest.startsWith('///')) return rest.slice(3);
  if (rest.startsWith('//')) return rest.slice(2);
  return rest;
}

/**
 * Whether sweep may write the database: an existing file it may write in a folder it may write (SQLite
 * puts its -wal and -shm files beside it). A file that does not exist yet is created, so it counts as
 * writable, and the creation reports what stops it.
 */
function isWritable(file: string): boolean {
  if (!existsSync(file)) return true;
  try {
    accessSync(file, constants.W_OK);
    accessSync(dirname(file), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface OpenStoreOptions {
  /**
   * Where new experiments keep run artifacts: a directory, or a sweep/MLflow server whose artifact
   * proxy takes them (`http://host:5000`). Not for an http:// storage (its server keeps them).
   */
  readonly artifacts?: string;
}

/** @throws ConfigError for an unknown scheme; StorageError when the database cannot be opened. */
export function openStore(uri: string, options: OpenStoreOptions = {}): TrackingStore {
  const artifacts = options.artifacts === undefined || options.artifacts === '' ? {} : { artifactRoot: options.artifacts };
  if (uri === 'memory:' || uri === 'memory') return new MemoryStore(artifacts);
  const sqlite = sqliteUriOf(uri);
  if (sqlite !== undefined) {
    const { path } = sqlite;
    if (path === '') throw new ConfigError(`storage "${uri}": needs a file path, as in sqlite:./sweep.db`);
    if (path === ':memory:') return new SqliteStore(path, artifacts);
    const file = resolve(path);
    return new SqliteStore(file, { readonly: sqlite.readonly || !isWritable(file), ...artifacts });
  }
  if (isPgUri(uri)) return new PgStore(uri, artifacts);
  if (uri.startsWith('http://') || uri.startsWith('https://')) {
    if (artifacts.artifactRoot !== undefined) {
      throw new ConfigError(`--artifacts ${artifacts.artifactRoot}: the storage ${uri} is a sweep server, which keeps the artifacts of its runs`, {
        hint: 'leave --artifacts out; trials upload their files through that server',
      });
    }
    const token = process.env['SWEEP_TRACKING_TOKEN'] || process.env['MLFLOW_TRACKING_TOKEN'];
    return new HttpStore(uri, token ? { token } : {});
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) {
    // A bare path (./sweep.db, /srv/runs.db): say which URI it would be.
    throw new ConfigError(`storage "${uri}": a path needs the sqlite: scheme, as in sqlite:${uri}`, {
      hint: 'or postgresql://user@host:5432/database, http://host:port (a sweep server), memory:',
    });
  }
  const scheme = uri.slice(0, uri.indexOf(':'));
  throw new ConfigError(`storage "${uri}": unknown scheme "${scheme}"`, {
    hint: 'use sqlite:<path> (the default, sqlite:./sweep.db), postgresql://user@host:5432/database, http://host:port (a sweep server) or memory:',
  });
}
