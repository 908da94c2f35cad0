// Schema migration 2 (the model registry and dataset inputs) on a database written by schema 1: the
// existing experiments, runs and tags stay, the new tables work, and a reopen changes nothing more.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/tracking/sqlite/schema.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';

describe('SQLite migration to the registry schema', () => {
  it('keeps the data of a schema-1 database and adds the registry', async () => {
    const path = join(tempDir(), 'v1.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0] as string);
    raw.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version (version) VALUES (1)');
    raw.prepare("INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES ('old', '/a/1', 1, 1)").run();
    raw.prepare("INSERT INTO runs (run_id, experiment_id, name, status, start_time, artifact_uri, user_id) VALUES ('r1', 1, 'run', 'FINISHED', 5, '/a/1/r1/artifacts', 'u')").run();
    raw.prepare("INSERT INTO tags (run_id, key, value) VALUES ('r1', 'team', 'ml')").run();
    raw.close();

    const store = new SqliteStore(path);
    expect((await store.getExperimentByName('old'))?.experimentId).toBe('1');
    expect((await store.getRun('r1')).data.tags).toEqual({ team: 'ml' });
    await store.logInputs('r1', [{ dataset: { name: 'd', digest: 'x', sourceType: 'local', source: 's' }, tags: {} }]);
    await store.registry.createRegisteredModel({ name: 'm' });
    await store.registry.createModelVersion({ name: 'm', source: 'runs:/r1/model', runId: 'r1' });
    await store.close();

    const reopened = new SqliteStore(path);
    expect((await reopened.registry.getModelVersion('m', 1)).runId).toBe('r1');
    expect(await reopened.getRunInputs('r1')).toHaveLength(1);
    await reopened.close();
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT version FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
    check.close();
  });
});

describe('SQLite registry across processes', () => {
  it('two stores on one file number versions uniquely and see each other\'s aliases', async () => {
    const path = join(tempDir(), 'shared.db');
    const a = new SqliteStore(path);
    const b = new SqliteStore(path);
    await a.registry.createRegisteredModel({ name: 'm' });
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).registry.createModelVersion({ name: 'm', source: `mlflow-artifacts:/v${i}` })));
    expect(made.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await b.registry.setRegisteredModelAlias('m', 'champion', 7);
    expect((await a.registry.getModelVersionByAlias('m', 'champion')).version).toBe(7);
    await expect(b.registry.createRegisteredModel({ name: 'm' })).rejects.toMatchObject({ code: 'E_DUPLICATE' });
    await a.close();
    await b.close();
  });
});
