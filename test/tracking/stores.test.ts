// Runs the store contract against every implementation, plus SQLite-only durability checks.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { openStore } from '../../src/tracking/open-store.js';
import { describeStoreContract } from '../contracts/store.contract.js';
import { tempDir } from '../helpers/tmp.js';

describeStoreContract('MemoryStore', () => new MemoryStore());
describeStoreContract('SqliteStore (:memory:)', () => new SqliteStore(':memory:'));
describeStoreContract('SqliteStore (file)', () => new SqliteStore(join(tempDir(), 'db', 'sweep.db')));

describe('SqliteStore files', () => {
  it('keeps everything across close and reopen', async () => {
    const path = join(tempDir(), 'sweep.db');
    const first = new SqliteStore(path);
    const s = await first.createStudy({ name: 's', directions: ['minimize'], metric: 'm', space: null, sampler: { name: 'random' }, seed: 3 });
    const t = await first.createTrial(s.studyId, {});
    await first.finishTrial(t.trialId, { state: 'COMPLETE', value: 4 });
    await first.close();
    const second = new SqliteStore(path);
    expect(await second.getStudy('s')).toEqual(s);
    expect((await second.getTrials(s.studyId))[0]).toMatchObject({ number: 0, state: 'COMPLETE', value: 4 });
    await second.close();
  });

  it('gives two connections to one file distinct trial numbers', async () => {
    const path = join(tempDir(), 'sweep.db');
    const a = new SqliteStore(path);
    const b = new SqliteStore(path);
    const s = await a.createStudy({ name: 's', directions: ['minimize'], metric: 'm', space: null, sampler: { name: 'random' }, seed: 3 });
    const numbers: number[] = [];
    for (let i = 0; i < 10; i++) {
      numbers.push((await a.createTrial(s.studyId, {})).number, (await b.createTrial(s.studyId, {})).number);
    }
    expect(new Set(numbers).size).toBe(20);
    await a.close();
    await b.close();
  });
});

describe('openStore', () => {
  it('opens memory: and sqlite: URIs', async () => {
    const mem = openStore('memory:');
    expect(mem).toBeInstanceOf(MemoryStore);
    const file = openStore(`sqlite:${join(tempDir(), 'x.db')}`);
    expect(file).toBeInstanceOf(SqliteStore);
    await file.close();
  });

  it('refuses an unknown scheme with a hint', () => {
    expect(() => openStore('mongodb://x')).toThrow(/unknown scheme "mongodb"/);
    expect(() => openStore('sqlite:')).toThrow(/needs a file path/);
  });
});
