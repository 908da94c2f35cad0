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

  it('shares one deeply frozen distributions object among the trials of one space', async () => {
    const store = new SqliteStore(':memory:');
    const s = await store.createStudy({ name: 's', directions: ['minimize'], metric: 'm', space: null, sampler: { name: 'random' }, seed: 3 });
    const distribution = { kind: 'choice', n: 2, labels: ['a', 'b'], constants: ['a', 'b'] } as const;
    for (let i = 0; i < 3; i++) {
      const t = await store.createTrial(s.studyId, {});
      await store.setTrialParams(t.trialId, [{ name: 'opt', value: i % 2, label: i % 2 ? 'b' : 'a', distribution }]);
    }
    const [first, ...others] = await store.getTrials(s.studyId);
    for (const t of others) expect(t.distributions).toBe(first?.distributions);
    const shared = first?.distributions as unknown as Record<string, { labels: string[] }>;
    expect(() => {
      (shared as Record<string, unknown>)['x'] = 1;
    }).toThrow(TypeError);
    expect(() => {
      shared['opt']?.labels.push('c');
    }).toThrow(TypeError);
    await store.close();
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
    // A bare path is named as one, with the URI it would be (not "unknown scheme \"/srv/runs.db\"").
    expect(() => openStore('/srv/runs.db')).toThrow(/^storage "\/srv\/runs\.db": a path needs the sqlite: scheme, as in sqlite:\/srv\/runs\.db$/);
    expect(() => openStore('runs.db')).toThrow(/^storage "runs\.db": a path needs the sqlite: scheme, as in sqlite:runs\.db$/);
    expect(() => openStore('sqlite:')).toThrow(/needs a file path/);
  });
});
