// Opening SQLite files that are not what sweep expects: another application's database is refused
// untouched, a damaged schema is named, and a read-only file serves reads and refuses writes clearly.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { openStore } from '../../src/tracking/open-store.js';
import { openDatabase } from '../../src/tracking/sqlite/connection.js';
import { MIGRATIONS } from '../../src/tracking/sqlite/schema.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';

function foreignDb(file: string, build: (db: Database.Database) => void): void {
  const db = new Database(file);
  build(db);
  db.close();
}

async function sweepDb(file: string): Promise<void> {
  const store = new SqliteStore(file);
  await store.createExperiment('kept');
  await store.close();
}

function openError(uri: string): Error {
  try {
    const store = openStore(uri);
    void store.close();
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${uri} opened`);
}

describe('opening a SQLite file that is not a sweep database', () => {
  it('refuses another application\'s database without changing a byte of it', () => {
    const file = join(tempDir(), 'other.db');
    foreignDb(file, (db) => db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')"));
    const before = readFileSync(file);
    const error = openError(`sqlite:${file}`);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a sweep database.*notes/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('says what is wrong with a schema_version of 0, an empty one or a newer one', () => {
    const dir = tempDir();
    const zero = join(dir, 'zero.db');
    foreignDb(zero, (db) => db.exec('CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (0); CREATE TABLE experiments (x)'));
    expect(openError(`sqlite:${zero}`).message).toMatch(/zero\.db: damaged sweep database: schema_version is 0/);

    const empty = join(dir, 'empty.db');
    foreignDb(empty, (db) => db.exec('CREATE TABLE schema_version (version INTEGER); CREATE TABLE experiments (x)'));
    expect(openError(`sqlite:${empty}`).message).toMatch(/empty\.db: damaged sweep database: schema_version holds 0 rows/);

    const newer = join(dir, 'newer.db');
    foreignDb(newer, (db) => db.exec('CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (99)'));
    expect(openError(`sqlite:${newer}`).message).toMatch(/newer\.db: database schema version 99 is newer than this sweep/);
  });

  it('names the table a damaged sweep database lost', async () => {
    const file = join(tempDir(), 'dropped.db');
    await sweepDb(file);
    foreignDb(file, (db) => db.exec('DROP TABLE trials'));
    expect(openError(`sqlite:${file}`).message).toMatch(/dropped\.db: damaged sweep database: table trials of schema version \d+ missing/);
  });

  it('names a file that is not SQLite at all', () => {
    const file = join(tempDir(), 'garbage.db');
    writeFileSync(file, 'x'.repeat(4096));
    expect(openError(`sqlite:${file}`).message).toMatch(/garbage\.db: file is not a database/);
  });

  it('still creates a new database and reopens its own', async () => {
    const file = join(tempDir(), 'new.db');
    await sweepDb(file);
    const store = openStore(`sqlite:${file}`);
    expect((await store.getExperimentByName('kept'))?.name).toBe('kept');
    await store.close();
  });
});

describe('a read-only SQLite store (?mode=ro)', () => {
  it('reads what the file holds and refuses every write with a clear error', async () => {
    const file = join(tempDir(), 'ro.db');
    await sweepDb(file);
    const before = readFileSync(file);
    const store = openStore(`sqlite:${file}?mode=ro`);
    expect(store.uri).toBe(`sqlite:${file}?mode=ro`);
    expect((await store.getExperimentByName('kept'))?.name).toBe('kept');
    await expect(store.createExperiment('new')).rejects.toThrow(/create experiment "new" in .*ro\.db: the database is open read-only/);
    await store.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reads a WAL database SQLite cannot open in place (as on a read-only mount), from a copy', async () => {
    const file = join(tempDir(), 'mounted.db');
    await sweepDb(file);
    // SQLite cannot use the file's -wal path, as when the folder is mounted read-only and no -shm exists.
    mkdirSync(`${file}-wal`);
    const store = openStore(`sqlite:${file}?mode=ro`);
    expect((await store.getExperimentByName('kept'))?.name).toBe('kept');
    await expect(store.createExperiment('new')).rejects.toThrow(`create experiment "new" in ${file}: the database is open read-only`);
    await store.close();
  });

  it('reads a database of an older sweep, upgraded in a copy in memory, the file untouched', async () => {
    const file = join(tempDir(), 'old.db');
    foreignDb(file, (db) => {
      db.exec(MIGRATIONS[0] as string);
      db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)');
      db.prepare("INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES ('kept', '/a', 1, 1)").run();
    });
    const before = readFileSync(file);
    const store = openStore(`sqlite:${file}?mode=ro`);
    expect((await store.getExperimentByName('kept'))?.name).toBe('kept');
    await expect(store.createExperiment('new')).rejects.toThrow(`create experiment "new" in ${file}: the database is open read-only`);
    await store.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses an unknown URI option and a read-only file without sweep data', () => {
    const file = join(tempDir(), 'x.db');
    expect(openError(`sqlite:${file}?mode=bogus`).message).toMatch(/unknown option mode=bogus/);
    foreignDb(file, () => {});
    expect(openError(`sqlite:${file}?mode=ro`).message).toMatch(/x\.db: holds no sweep data yet/);
  });

  it('serves reads over the API and answers writes 403 with the reason', async () => {
    const file = join(tempDir(), 'served.db');
    await sweepDb(file);
    const store = openStore(`sqlite:${file}?mode=ro`);
    const app = buildServer({ store });
    try {
      await app.ready();
      const search = await app.inject({ method: 'GET', url: '/api/2.0/mlflow/experiments/search', query: { max_results: '10' } });
      expect(search.statusCode).toBe(200);
      expect(JSON.parse(search.body).experiments.map((e: { name: string }) => e.name)).toContain('kept');
      const create = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/experiments/create', payload: { name: 'n' } });
      expect(create.statusCode).toBe(403);
      expect(JSON.parse(create.body)).toMatchObject({ error_code: 'PERMISSION_DENIED', message: expect.stringMatching(/read-only/) });
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe('the WAL of a long-lived writer', () => {
  it('is cut back after a reader that held it open goes away', async () => {
    const file = join(tempDir(), 'wal.db');
    const db = openDatabase(file, { walCheckpointPages: 100, walSizeLimitBytes: 256 * 1024 });
    db.exec('CREATE TABLE IF NOT EXISTS t (x TEXT)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const write = (rows: number): void => db.transaction(() => { for (let i = 0; i < rows; i++) insert.run('x'.repeat(1000)); })();
    // Another process's long read keeps the WAL from restarting while the writer goes on.
    const reader = new Database(file, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    for (let i = 0; i < 200; i++) write(10);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1024 * 1024);
    reader.exec('COMMIT');
    reader.close();
    for (let i = 0; i < 30; i++) write(1);
    expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(256 * 1024);
    db.close();
  });
});

describe('a database damaged while the server runs', () => {
  it('is the server\'s fault (500 naming the problem), on the UI routes as on the API', async () => {
    const file = join(tempDir(), 'damaged.db');
    await sweepDb(file);
    const store = openStore(`sqlite:${file}`);
    const internal: unknown[] = [];
    const app = buildServer({ store, onInternalError: (error) => internal.push(error) });
    try {
      await app.ready();
      foreignDb(file, (db) => db.exec('DROP TABLE studies'));
      const ui = await app.inject({ method: 'GET', url: '/api/ui/studies' });
      expect(ui.statusCode).toBe(500);
      expect(JSON.parse(ui.body)).toMatchObject({ error_code: 'INTERNAL_ERROR', message: expect.stringMatching(/no such table: studies/) });
      expect(internal).toHaveLength(1);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
