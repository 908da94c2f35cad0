// Schema migration 2 (several objectives) on a database written by schema 1: existing studies and
// trials keep their data and read as single-objective, and the database then takes several objectives.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { SCHEMA_VERSION } from '../../src/tracking/sqlite/schema.js';
import { tempDir } from '../helpers/tmp.js';

describe('SQLite migration to several objectives', () => {
  it('keeps the data of a schema-1 database and then stores several values', async () => {
    const path = join(tempDir(), 'old.db');
    const first = new SqliteStore(path);
    const s = await first.createStudy({ name: 'old', directions: ['maximize'], metric: 'acc', space: null, sampler: { name: 'tpe' }, seed: 3 });
    const t = await first.createTrial(s.studyId, {});
    await first.finishTrial(t.trialId, { state: 'COMPLETE', value: 0.75 });
    await first.close();
    // Turn the file back into what schema 1 wrote: without the columns migration 2 adds, nor the tables of
    // migration 3 (the registry).
    const raw = new Database(path);
    raw.exec(`DROP TABLE model_version_tags; DROP TABLE model_versions; DROP TABLE registered_model_aliases;
      DROP TABLE registered_model_tags; DROP TABLE registered_models; DROP TABLE run_inputs`);
    raw.exec('ALTER TABLE studies DROP COLUMN metrics; ALTER TABLE trials DROP COLUMN objective_values; UPDATE schema_version SET version = 1');
    expect(raw.prepare('SELECT name FROM pragma_table_info(\'trials\')').pluck().all()).not.toContain('objective_values');
    raw.close();

    const reopened = new SqliteStore(path);
    expect(await reopened.getStudy('old')).toEqual(s);
    const [trial] = await reopened.getTrials(s.studyId);
    expect(trial).toMatchObject({ number: 0, state: 'COMPLETE', value: 0.75 });
    expect(trial?.values).toBeUndefined();
    const mo = await reopened.createStudy({
      name: 'new', directions: ['minimize', 'minimize'], metric: 'a', metrics: ['a', 'b'], space: null, sampler: { name: 'nsga2' }, seed: 1,
    });
    const u = await reopened.createTrial(mo.studyId, {});
    await reopened.finishTrial(u.trialId, { state: 'COMPLETE', value: 1, values: [1, 2] });
    expect((await reopened.getTrials(mo.studyId))[0]?.values).toEqual([1, 2]);
    await reopened.close();
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT version FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
    check.close();
  });
});
