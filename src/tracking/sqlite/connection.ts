// Opening a SQLite database for sweep (WAL, busy timeout, schema migration) and mapping SQLite's
// errors to sweep's. The only place, with the other files of this folder, that imports better-sqlite3.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuplicateError, StorageError, isSweepError } from '../../errors.js';
import { migrate } from './schema.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a writer waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  readonly readonly?: boolean;
}

/** Opens (and creates) a database file, or ':memory:'. @throws StorageError */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  try {
    if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { readonly: options.readonly ?? false, timeout: options.busyTimeoutMs ?? 30_000 });
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Checkpoints fsync; at the default 1,000 pages they cost a third of a small trial's time.
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('foreign_keys = ON');
      migrate(db);
    }
    return db;
  } catch (error) {
    throw toSweepError(error, `cannot open SQLite database ${path}`);
  }
}

/** Wraps a SQLite error in a sweep error (unique violations become DuplicateError); keeps `cause`. */
export function toSweepError(error: unknown, context: string): Error {
  if (isSweepError(error)) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
    return new DuplicateError(`${context}: ${message}`, { cause: error });
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StorageError(`${context}: the database stayed locked by another process`, {
      cause: error,
      hint: 'another writer held the lock longer than the busy timeout; retry, or raise the timeout',
    });
  }
  return new StorageError(`${context}: ${message}`, { cause: error });
}

/** Runs `body` in a BEGIN IMMEDIATE transaction (the write lock is taken up front: no upgrade deadlocks). */
export function writeTransaction<T>(db: Db, context: string, body: () => T): T {
  try {
    return db.transaction(body).immediate();
  } catch (error) {
    throw toSweepError(error, context);
  }
}

/** Runs a read, mapping errors. */
export function read<T>(context: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw toSweepError(error, context);
  }
}
