// Opening a SQLite database for sweep (WAL, busy timeout, schema migration) and mapping SQLite's
// errors to sweep's. The only place, with the other files of this folder, that imports better-sqlite3.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuplicateError, StorageError, isSweepError } from '../../errors.js';
import { SCHEMA_VERSION, inspectSchema, migrate, type SchemaState } from './schema.js';

export type Db = Database.Database;
type Statement = Database.Statement;

export interface OpenOptions {
  /** How long a writer waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  readonly readonly?: boolean;
  /** WAL pages after which a commit checkpoints (default 10,000: about 40 MB at 4 KiB pages). */
  readonly walCheckpointPages?: number;
  /** Size the WAL file is cut back to when a checkpoint restarts it (default 4 MiB). */
  readonly walSizeLimitBytes?: number;
}

/**
 * Opens (and creates) a database file, or ':memory:'. The file is inspected before anything changes it:
 * another application's database, a damaged schema or a newer one is refused untouched. Read-only: no
 * WAL switch, no migration, and every write transaction fails with a StorageError saying so; a file
 * SQLite cannot open in place (a WAL database on a read-only mount) is read from a copy in memory, and
 * so is one written by an older sweep, upgraded there.
 * @throws StorageError naming the file
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const readonly = options.readonly ?? false;
  let db: Db | undefined;
  try {
    if (path !== ':memory:' && !readonly) mkdirSync(dirname(path), { recursive: true });
    let state: SchemaState;
    try {
      db = new Database(path, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? 30_000 });
      state = inspect(db);
    } catch (error) {
      if (!readonly || !CANNOT_OPEN_IN_PLACE.has(String((error as { code?: unknown }).code)) || !existsSync(path)) throw error;
      // A WAL database in a folder this user may not write (a read-only mount, another user's folder):
      // SQLite cannot create the -shm file it reads through, so the database is read from a copy in memory.
      if (db?.open) db.close();
      db = readOnlyCopy(path);
      state = inspect(db);
    }
    if (readonly && state.kind === 'empty') throw new Error('holds no sweep data yet, and read-only sweep cannot create its schema');
    if (readonly && state.kind === 'sweep' && state.version < SCHEMA_VERSION) {
      // Written by an older sweep: upgraded in a copy in memory, the file left as it is.
      db.close();
      db = readOnlyCopy(path, { upgrade: true });
      migrate(db);
    }
    const open = db;
    FILES.set(open, path);
    if (readonly) {
      READ_ONLY.add(open);
    } else {
      open.pragma('journal_mode = WAL');
      open.pragma('synchronous = NORMAL');
      // Checkpoints fsync; at the default 1,000 pages they cost a third of a small trial's time.
      open.pragma(`wal_autocheckpoint = ${options.walCheckpointPages ?? 10_000}`);
      // Without a limit the WAL file keeps the largest size it ever reached (a long read in another
      // process holds back the restart): it is cut back once a checkpoint restarts it.
      open.pragma(`journal_size_limit = ${options.walSizeLimitBytes ?? 4 * 1024 * 1024}`);
      open.pragma('foreign_keys = ON');
      migrate(open);
      const timeoutMs = options.busyTimeoutMs ?? 30_000;
      if (timeoutMs > 0) {
        BUSY.set(open, { timeoutMs, off: open.prepare('PRAGMA busy_timeout = 0'), on: open.prepare(`PRAGMA busy_timeout = ${timeoutMs}`) });
      }
    }
    return open;
  } catch (error) {
    if (db?.open) db.close();
    throw toSweepError(error, `cannot open SQLite database ${path}`);
  }
}

/**
 * What SQLite says when it cannot read a WAL database in place: CANTOPEN on a read-only mount (EROFS),
 * READONLY_DIRECTORY in a folder whose permissions refuse this user (EACCES).
 */
const CANNOT_OPEN_IN_PLACE = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY_DIRECTORY']);

/** The file each connection was opened on (a read-only copy in memory is named ':memory:' by SQLite). */
const FILES = new WeakMap<Db, string>();

/** Inspects the schema in one read transaction, so a writer creating it is seen before or after, never halfway. */
function inspect(db: Db): SchemaState {
  return db.transaction(() => inspectSchema(db))();
}

/** Connections opened read-only, the in-memory copies included (writable for SQLite, not for sweep). */
const READ_ONLY = new WeakSet<Db>();

/**
 * The file's bytes as an in-memory database, its header switched from WAL to rollback mode; read-only
 * unless it is to be upgraded (the file never changes either way).
 */
function readOnlyCopy(path: string, options: { upgrade?: boolean } = {}): Db {
  const bytes = readFileSync(path);
  // Header bytes 18 and 19 (file format write and read version): 2 means WAL, which needs a -shm file.
  if (bytes.length >= 20) bytes.fill(1, 18, 20);
  return new Database(bytes, { readonly: options.upgrade !== true });
}

/**
 * Wraps a SQLite error in a sweep error (unique violations become DuplicateError); keeps `cause`.
 * `file` names the database in the message of a full disk.
 */
export function toSweepError(error: unknown, context: string, file?: string): Error {
  if (isSweepError(error)) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_FULL') {
    return new StorageError(`${context}: the disk holding ${file ?? 'the database'} is full (${message})`, {
      cause: error,
      hint: 'free space there, then run the same command again: what was stored is kept (a run resumes its study)',
    });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT_UNIQUE')) {
    return new DuplicateError(`${context}: ${message}`, { cause: error });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) {
    // Growing the -shm or -wal file on a full disk fails as an I/O error (SQLITE_IOERR_SHMSIZE, _WRITE).
    return new StorageError(`${context}: the disk holding ${file ?? 'the database'} failed a read or write (${message}, ${code})`, {
      cause: error,
      hint: 'a full disk or a failing device: check free space (df); then run the same command again: what was stored is kept',
    });
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) return readOnlyError(context, error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new StorageError(`${context}: the database stayed locked by another process`, {
      cause: error,
      hint: 'another writer held the lock longer than the busy timeout; retry, or raise the timeout',
    });
  }
  return new StorageError(`${context}: ${message}`, { cause: error });
}

/**
 * Runs `body` in a BEGIN IMMEDIATE transaction (the write lock is taken up front: no upgrade deadlocks).
 * `context` says what was written, in errors; a function is called only then (it may read the database).
 */
export function writeTransaction<T>(db: Db, context: string | (() => string), body: () => T): T {
  const say = (): string => (typeof context === 'string' ? context : context());
  if (db.readonly || READ_ONLY.has(db)) throw readOnlyError(`${say()} in ${FILES.get(db) ?? db.name}`);
  try {
    return withWriteLock(db, () => db.transaction(body).immediate());
  } catch (error) {
    throw toSweepError(error, say(), FILES.get(db) ?? db.name);
  }
}

/** Per writable connection: its busy timeout, and the statements that turn it off and back on. */
const BUSY = new WeakMap<Db, { readonly timeoutMs: number; readonly off: Statement; readonly on: Statement }>();
/** A blocking wait of a fraction of a millisecond (Atomics.wait on memory nobody notifies). */
const NAP = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs a write that starts with BEGIN IMMEDIATE, waiting for another connection's write lock in short
 * naps rather than SQLite's own busy handler, which sleeps 1, 2, 5, 10... ms: a trial's write holds
 * the lock a fraction of a millisecond, and the worker threads of one run (or processes sharing a file)
 * each waited a millisecond or more for it. The connection's busy timeout is off while the write is
 * tried (a write that got the lock meets no other) and on again for every read; the naps end at the
 * same timeout. A busy write changed nothing (it is rolled back), so it is tried again whole.
 */
function withWriteLock<T>(db: Db, write: () => T): T {
  const busy = BUSY.get(db);
  if (busy === undefined || db.inTransaction) return write();
  const { timeoutMs } = busy;
  const deadline = performance.now() + timeoutMs;
  let napMs = 0.05;
  for (;;) {
    busy.off.get();
    try {
      return write();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || performance.now() >= deadline) throw error;
    } finally {
      busy.on.get();
    }
    Atomics.wait(NAP, 0, 0, napMs);
    napMs = Math.min(napMs * 2, 5);
  }
}

/** A write refused because the database is open read-only; `details.readOnly` marks it for the server. */
export function readOnlyError(context: string, cause?: unknown): StorageError {
  return new StorageError(`${context}: the database is open read-only`, {
    ...(cause !== undefined && { cause }),
    details: { readOnly: true },
    hint: 'the file (or its folder) is not writable, or the storage URI ends in ?mode=ro; reads still work',
  });
}

/** Runs a read, mapping errors. */
export function read<T>(context: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw toSweepError(error, context);
  }
}
