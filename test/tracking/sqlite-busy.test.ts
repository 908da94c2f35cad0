// A write waits for another process's write lock in short naps (connection.ts withWriteLock), up to
// the busy timeout, and then fails saying the database stayed locked; reads never wait on a writer.
// The other process holds BEGIN IMMEDIATE for a while, then commits (or never, for the timeout case).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Another process that takes the write lock, says LOCKED, and commits after `holdMs` (never for -1). */
function holdWriteLock(db: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(db)});
    db.prepare('BEGIN IMMEDIATE').run();
    process.stdout.write('LOCKED\\n');
    if (${holdMs} >= 0) setTimeout(() => { db.prepare('COMMIT').run(); db.close(); }, ${holdMs});
    else setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('LOCKED')) resolve(child);
    });
  });
}

describe('SQLite writes under another writer', () => {
  it('waits for the lock and writes once it is free', async () => {
    const db = join(tempDir(), 's.db');
    const store = new SqliteStore(db);
    await store.createExperiment('before');
    await holdWriteLock(db, 300);
    // Busy at first: with the busy timeout off and no retry, this would fail at once.
    await expect(store.createExperiment('after')).resolves.toBeDefined();
    expect((await store.getExperimentByName('after'))?.name).toBe('after');
    await store.close();
  });

  it('gives up after the busy timeout, naming the lock, and reads go on', async () => {
    const db = join(tempDir(), 's.db');
    const store = new SqliteStore(db, { busyTimeoutMs: 200 });
    await store.createExperiment('before');
    await holdWriteLock(db, -1);
    await expect(store.createExperiment('after')).rejects.toThrow(/stayed locked by another process/);
    expect((await store.getExperimentByName('before'))?.name).toBe('before');
    await store.close();
  });
});
