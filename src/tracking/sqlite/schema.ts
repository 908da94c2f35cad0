// SQLite schema: DDL by version. migrate() applies what a database lacks, in one transaction.
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  // 1: tracking tables (MLflow's model) and the study engine's tables.
  `
  CREATE TABLE experiments (
    experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    artifact_location TEXT NOT NULL,
    lifecycle_stage TEXT NOT NULL DEFAULT 'active',
    creation_time INTEGER NOT NULL,
    last_update_time INTEGER NOT NULL
  );
  CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (experiment_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER,
    lifecycle_stage TEXT NOT NULL DEFAULT 'active',
    artifact_uri TEXT NOT NULL,
    user_id TEXT NOT NULL,
    parent_run_id TEXT
  ) WITHOUT ROWID;
  CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time DESC);
  CREATE INDEX runs_by_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
  CREATE TABLE params (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE tags (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE metrics (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    key TEXT NOT NULL,
    step INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    value REAL,
    is_nan INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX metrics_by_run_key ON metrics (run_id, key, step, timestamp);
  CREATE TABLE latest_metrics (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    key TEXT NOT NULL,
    step INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    value REAL,
    is_nan INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, key)
  ) WITHOUT ROWID;
  CREATE INDEX latest_metrics_by_key ON latest_metrics (key, value);
  CREATE TABLE studies (
    study_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
    parent_run_id TEXT NOT NULL REFERENCES runs(run_id),
    directions TEXT NOT NULL,
    metric TEXT NOT NULL,
    space TEXT,
    sampler TEXT NOT NULL,
    pruner TEXT,
    seed INTEGER NOT NULL,
    created_time INTEGER NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE trials (
    trial_id INTEGER PRIMARY KEY AUTOINCREMENT,
    study_id INTEGER NOT NULL REFERENCES studies(study_id),
    number INTEGER NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    state TEXT NOT NULL,
    value REAL,
    params TEXT NOT NULL DEFAULT '{}',
    distributions TEXT NOT NULL DEFAULT '{}',
    intermediate TEXT NOT NULL DEFAULT '{}',
    system_attrs TEXT NOT NULL DEFAULT '{}',
    start_time INTEGER NOT NULL,
    end_time INTEGER,
    heartbeat INTEGER,
    worker_id TEXT,
    claim_key TEXT,
    seq INTEGER NOT NULL,
    UNIQUE (study_id, number),
    UNIQUE (study_id, claim_key)
  );
  CREATE INDEX trials_by_seq ON trials (study_id, seq);
  CREATE INDEX trials_by_value ON trials (study_id, state, value);
  `,
  // 2: several objectives. A study's metric name per objective (JSON array, NULL for one objective) and
  // a trial's value per objective (JSON array, NULL for one objective: `value` holds it). Existing rows
  // keep their data: both columns start NULL, which reads as a single-objective study and trial.
  `
  ALTER TABLE studies ADD COLUMN metrics TEXT;
  ALTER TABLE trials ADD COLUMN objective_values TEXT;
  `,
  // 3: the model registry (MLflow's model_registry.proto) and the dataset inputs of runs.
  `
  CREATE TABLE registered_models (
    name TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    creation_time INTEGER NOT NULL,
    last_updated_time INTEGER NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    next_version INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE registered_model_tags (
    name TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, key)
  ) WITHOUT ROWID;
  CREATE TABLE registered_model_aliases (
    name TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (name, alias)
  ) WITHOUT ROWID;
  CREATE TABLE model_versions (
    name TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    creation_time INTEGER NOT NULL,
    last_updated_time INTEGER NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT 'None',
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    run_id TEXT NOT NULL DEFAULT '',
    run_link TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'READY',
    status_message TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name, version)
  ) WITHOUT ROWID;
  CREATE INDEX model_versions_by_run ON model_versions (run_id);
  CREATE TABLE model_version_tags (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, version, key),
    FOREIGN KEY (name, version) REFERENCES model_versions(name, version) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE TABLE run_inputs (
    input_id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    name TEXT NOT NULL,
    digest TEXT NOT NULL,
    source_type TEXT NOT NULL,
    source TEXT NOT NULL,
    schema TEXT,
    profile TEXT,
    context TEXT,
    tags TEXT NOT NULL DEFAULT '{}',
    UNIQUE (run_id, name, digest)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** What a database file holds before sweep touches it. */
export type SchemaState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'sweep'; readonly version: number };

/**
 * Looks at a database without changing it: empty (sweep may create its schema), or sweep's at some
 * version. @throws Error naming what is wrong: another application's tables, a missing or broken
 * schema_version, a version newer than this sweep, tables of sweep's schema gone.
 */
export function inspectSchema(db: Database.Database): SchemaState {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all() as string[];
  if (tables.length === 0) return { kind: 'empty' };
  if (!tables.includes('schema_version')) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, ... (${tables.length} tables)` : '');
    throw new Error(`not a sweep database: it holds tables sweep did not create (${shown}) and no schema_version; sweep leaves it untouched`);
  }
  const rows = db.prepare('SELECT version FROM schema_version').pluck().all() as unknown[];
  // An older sweep created schema_version before its first migration: alone and empty, it is a new file.
  if (rows.length === 0 && tables.length === 1) return { kind: 'empty' };
  if (rows.length !== 1) {
    throw new Error(`damaged sweep database: schema_version holds ${rows.length} rows instead of one`);
  }
  const version = rows[0];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`damaged sweep database: schema_version is ${JSON.stringify(version)}, not a version from 1 to ${SCHEMA_VERSION}`);
  }
  if (version > SCHEMA_VERSION) {
    throw new Error(`database schema version ${version} is newer than this sweep (${SCHEMA_VERSION}); upgrade sweep`);
  }
  const missing = tablesAt(version).filter((t) => !tables.includes(t));
  if (missing.length > 0) {
    throw new Error(`damaged sweep database: table${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of schema version ${version} missing`);
  }
  return { kind: 'sweep', version };
}

/** Brings the database to SCHEMA_VERSION, after inspectSchema under the write lock; refuses what it refuses. */
export function migrate(db: Database.Database): void {
  const apply = db.transaction(() => {
    const state = inspectSchema(db);
    const current = state.kind === 'empty' ? 0 : state.version;
    if (current === SCHEMA_VERSION) return;
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    for (let v = current; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? '');
    db.prepare('DELETE FROM schema_version').run();
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
  });
  apply.immediate();
}

/** The tables the migrations up to `version` create. */
function tablesAt(version: number): string[] {
  const names: string[] = ['schema_version'];
  for (const ddl of MIGRATIONS.slice(0, version)) {
    for (const match of ddl.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)) names.push(match[1] as string);
  }
  return names;
}
