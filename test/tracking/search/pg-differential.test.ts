// The search grammar on PostgreSQL against SQLite: one fixture written into both, the same queries,
// the same runs in the same order (flat, paged and nested). The SQLite side is checked against the
// in-memory evaluator in search.test.ts and nested.test.ts, so the three backends agree.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchNestedRunIds, searchRunIds, type SearchRunsQuery } from '../../../src/tracking/search/index.js';
import { PG_URL, ScratchPgStore, pgAvailable } from '../../helpers/pg.js';
import { RUNS, makeFixture } from './fixture.js';

const available = await pgAvailable();
const { db } = makeFixture();
let store: ScratchPgStore;

/** RUNS written into a fresh PostgreSQL schema with the store's own batch function. */
async function loadFixture(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query("INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (1, 'e1', '/artifacts/1', 0, 0), (2, 'e2', '/artifacts/2', 0, 0)");
    for (const run of RUNS) {
      const experimentId = run.experimentId ?? '1';
      await client.query(
        `INSERT INTO runs (run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage, artifact_uri, user_id, parent_run_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [run.id, experimentId, run.name, run.status, run.startTime, run.endTime, run.isDeleted ? 'deleted' : 'active',
          `/artifacts/${experimentId}/${run.id}`, run.userId, run.parentRunId ?? null],
      );
      const tags = Object.entries({ 'mlflow.runName': run.name, ...run.tags });
      const params = Object.entries(run.params ?? {});
      const metrics = run.metrics ?? [];
      await client.query('SELECT sweep_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        run.id, params.map(([k]) => k), params.map(([, v]) => v), tags.map(([k]) => k), tags.map(([, v]) => v),
        metrics.map(([k]) => k), metrics.map(([, , v]) => v), metrics.map(([, s]) => s), metrics.map((_, i) => run.startTime + i),
      ]);
    }
  } finally {
    await client.end();
  }
}

const FILTERS = [
  '', 'metrics.loss < 0.5', 'metrics.loss >= 0.3', 'metrics.loss != 0.3', 'metrics.`f1-score` > 0.4',
  "params.opt = 'adam'", "params.opt != 'adam'", "params.opt LIKE 'a%'", "params.opt LIKE '_dam'", "params.opt ILIKE 'a%'",
  "params.\"my key\" = 'v'", "tags.team ILIKE 'ML'", "tags.pat LIKE 'a*b%'", "tags.pat LIKE 'a_b%'", "tags.pat LIKE '%[1]'",
  "tags.pat LIKE '%\\%'", "attributes.status = 'FINISHED'", "status != 'FINISHED'", "run_name ILIKE 'ÜNïCODE_RUN'",
  "run_name ILIKE 'ünïcode_run'", "user_id = 'bob'", "artifact_uri LIKE '%/r1'", 'attributes.start_time > 1000',
  'created <= 900', 'end_time < 1200', 'end_time != 1150', "run_id IN ('r1', 'r2', 'r6', 'r9')",
  "run_id NOT IN ('r1', 'p1')", "metrics.loss < 0.5 and params.opt = 'adam'", "metrics.loss < 0 OR params.opt = 'sgd'",
  "metrics.acc > 0.85 or (tags.team = 'ml' and metrics.loss = 0.3)", 'params.lr < 0.01', 'params.lr = 0.001', 'params.lr != 0.001',
  'params.lr > 1', 'params.lr > 1e-3', 'params.lr < 1E+2', 'metrics.loss IS NULL', 'params.opt IS NULL', 'tags.team is not null', 'end_time IS NULL',
  "params.x = '''; DROP TABLE runs; --'", 'metrics.loss IS NULL OR metrics.loss > 0.5',
];

const ORDERS: string[][] = [
  [], ['start_time ASC'], ['metrics.loss'], ['metrics.loss DESC'], ['params.lr'], ['tags.team DESC', 'metrics.acc'],
  ['end_time'], ['end_time DESC'], ['attributes.run_name'], ['run_id DESC'], ['params.opt', 'metrics.acc DESC'],
];

const QUERIES: SearchRunsQuery[] = [
  ...FILTERS.map((filter) => ({ experimentIds: ['1'], filter })),
  ...ORDERS.map((orderBy) => ({ experimentIds: ['1', '2'], orderBy })),
  ...ORDERS.map((orderBy) => ({ experimentIds: ['1'], filter: 'metrics.loss < 0.5', orderBy })),
  { experimentIds: ['1'], runViewType: 'ALL' }, { experimentIds: ['1'], runViewType: 'DELETED_ONLY' },
  { experimentIds: ['1'], parentRunId: 'p1', orderBy: ['metrics.acc DESC'] },
];

describe.runIf(available)('search on PostgreSQL = search on SQLite (one fixture)', () => {
  beforeAll(async () => {
    store = new ScratchPgStore();
    await store.listExperiments(); // creates the schema
    await loadFixture(store.schema);
  });
  afterAll(async () => {
    db.close();
    await store?.close();
  });

  it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('flat %s', async (_, query) => {
    const page = await store.searchRuns(query);
    expect(page.items.map((r) => r.info.runId)).toEqual(searchRunIds(db, query).runIds);
  });

  it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))('nested %s', async (_, query) => {
    const nested = { ...query, nested: true };
    const page = await store.searchRuns(nested);
    const expected = searchNestedRunIds(db, nested);
    expect(page.items.map((r) => r.info.runId)).toEqual(expected.runIds);
    expect(Object.fromEntries(Object.entries(page.children ?? {}).map(([id, runs]) => [id, runs.map((r) => r.info.runId)]))).toEqual(expected.children);
  });

  it('pages the same way, token for token', async () => {
    for (const orderBy of ORDERS) {
      let token: string | undefined;
      let sqliteToken: string | undefined;
      do {
        const query: SearchRunsQuery = { experimentIds: ['1', '2'], orderBy, maxResults: 3, ...(token !== undefined && { pageToken: token }) };
        const page = await store.searchRuns(query);
        const expected = searchRunIds(db, query);
        expect(page.items.map((r) => r.info.runId)).toEqual(expected.runIds);
        token = page.nextPageToken;
        sqliteToken = expected.nextPageToken;
        expect(token).toEqual(sqliteToken);
      } while (token !== undefined);
    }
  });

  it('refuses a bad filter with the same ConfigError', async () => {
    await expect(store.searchRuns({ experimentIds: ['1'], filter: 'metrics.loss <' })).rejects.toMatchObject({ code: 'E_CONFIG' });
  });
});
