// One table of searches run three ways on the same fixture: the SQLite compiler (with each join
// order), searchRunIds, and the in-memory evaluator must give the same run ids in the same order.
import { afterAll, describe, expect, it } from 'vitest';
import {
  compileSearch, searchRunIds, searchRunRows, type JoinDriver, type SearchRunsQuery,
} from '../../../src/tracking/search/index.js';
import { makeFixture } from './fixture.js';

const { db, rows } = makeFixture();
afterAll(() => db.close());

const DRIVERS: JoinDriver[] = ['auto', 'runs', 'metric'];

/** Every backend's answer; fails unless they agree. */
function search(query: SearchRunsQuery): string[] {
  const memory = searchRunRows(rows, query).items.map((r) => r.info.runId);
  for (const driver of DRIVERS) {
    const { sql, args } = compileSearch(query, driver);
    const ids = (db.prepare(sql).pluck().all(...args) as string[]).slice(0, query.maxResults ?? 1000);
    expect(ids, `driver ${driver}`).toEqual(memory);
  }
  expect(searchRunIds(db, query).runIds).toEqual(memory);
  return memory;
}

const inExp1 = (filter: string, orderBy?: string[]): SearchRunsQuery => ({ experimentIds: ['1'], filter, ...(orderBy && { orderBy }) });
const sorted = (ids: string[]): string[] => [...ids].sort();

describe('filters (MLflow grammar)', () => {
  it.each([
    ['', ['p1', 'r1', 'r2', 'r3', 'r4', 'r5', 'r7', 'r8']],
    ['metrics.loss < 0.5', ['r1', 'r5', 'r7']],
    ['metrics.loss < 0.2', ['r7']],
    ['metrics.loss >= 0.3', ['r1', 'r2', 'r5']],
    ['metrics.loss != 0.3', ['r2', 'r7']],
    ['metrics.loss = 0.3', ['r1', 'r5']],
    ['metrics.`f1-score` > 0.4', ['r4']],
    ['metrics.loss > 0.2 AND metrics.loss < 0.5', ['r1', 'r5']],
    ["params.opt = 'adam'", ['r1', 'r3', 'r4', 'r8']],
    ["params.opt != 'adam'", ['r2', 'r5', 'r7']],
    ["params.opt LIKE 'a%'", ['r1', 'r3', 'r4', 'r8']],
    ["params.opt LIKE '_dam'", ['r1', 'r3', 'r4', 'r8']],
    ["params.opt ILIKE 'a%'", ['r1', 'r3', 'r4', 'r7', 'r8']],
    ["params.\"my key\" = 'v'", ['r5']],
    ["params.lr = '0.001'", ['r5']],
    ["tags.team = 'ml'", ['r1', 'r5']],
    ["tags.team ILIKE 'ML'", ['r1', 'r2', 'r5']],
    ["tags.pat LIKE 'a*b%'", ['r7']],
    ["tags.pat LIKE 'a_b%'", ['r1', 'r7']],
    ["tags.pat LIKE '%[1]'", ['r7']],
    ["tags.`run group` = 'g1'", ['r5']],
    ["tags.`mlflow.runName` = 'baseline'", ['r5']],
    ["attributes.status = 'FINISHED'", ['r1', 'r2', 'r5', 'r7']],
    ["status != 'FINISHED'", ['p1', 'r3', 'r4', 'r8']],
    ["attributes.run_name LIKE 'study-a-%'", ['r1', 'r2', 'r3', 'r4']],
    ["`Run name` = 'baseline'", ['r5']],
    ["run_name ILIKE 'ÜNïCODE_RUN'", ['r7']],
    ["run_name ILIKE 'ünïcode_run'", []], // ILIKE folds ASCII letters only, as SQLite does
    ["user_id = 'bob'", ['r4', 'r5']],
    ["artifact_uri LIKE '%/r1'", ['r1']],
    ['attributes.start_time > 1000', ['r1', 'r2', 'r3', 'r4']],
    ['created <= 900', ['r5', 'r7', 'r8']],
    ['end_time < 1200', ['r1', 'r5', 'r7']],
    ['end_time != 1150', ['r2', 'r3', 'r4', 'r5', 'r7']],
    ["attributes.run_id IN ('r1', 'r2', 'r6', 'r9')", ['r1', 'r2']],
    ["run_id NOT IN ('r1', 'p1')", ['r2', 'r3', 'r4', 'r5', 'r7', 'r8']],
    ["metrics.loss < 0.5 and params.opt = 'adam'", ['r1']],
    ["params.opt = 'adam' and tags.team = 'ml' and metrics.acc > 0.5", ['r1']],
    ["params.opt = 'nope'", []],
  ])('%s', (filter, expected) => {
    expect(sorted(search(inExp1(filter)))).toEqual(expected);
  });
});

describe('filters (sweep extensions)', () => {
  it.each([
    ["metrics.loss < 0 OR params.opt = 'sgd'", ['r2', 'r7']],
    ["(metrics.loss < 0 OR params.opt = 'sgd') AND status = 'FINISHED'", ['r2', 'r7']],
    ["metrics.acc > 0.85 or (tags.team = 'ml' and metrics.loss = 0.3)", ['r1', 'r3', 'r4', 'r5']],
    ['params.lr < 0.01', ['r2', 'r5']],
    ['params.lr <= 0.01', ['r1', 'r2', 'r5']],
    ['params.lr = 0.001', ['r2', 'r5']],
    ['params.lr != 0.001', ['r1', 'r3', 'r7']],
    ['params.lr > 1', ['r7']],
    ["params.lr < 0.05 and params.opt = 'adam'", ['r1']],
    ['metrics.loss IS NULL', ['p1', 'r4', 'r8']],
    ['metrics.loss IS NOT NULL', ['r1', 'r2', 'r3', 'r5', 'r7']],
    ['params.opt IS NULL', ['p1']],
    ['tags.team is not null', ['r1', 'r2', 'r5']],
    ['end_time IS NULL', ['p1', 'r8']],
    ['end_time IS NOT NULL', ['r1', 'r2', 'r3', 'r4', 'r5', 'r7']],
    ['run_id IS NULL', []],
    ['metrics.loss IS NULL OR metrics.loss > 0.5', ['p1', 'r2', 'r4', 'r8']],
  ])('%s', (filter, expected) => {
    expect(sorted(search(inExp1(filter)))).toEqual(expected);
  });
});

describe('order_by', () => {
  it.each([
    [[], ['r3', 'r4', 'r2', 'r1', 'p1', 'r5', 'r7', 'r8']],
    [['start_time ASC'], ['r8', 'r7', 'r5', 'p1', 'r1', 'r2', 'r3', 'r4']],
    [['metrics.loss'], ['r7', 'r1', 'r5', 'r2', 'r3', 'r4', 'p1', 'r8']],
    [['metrics.loss DESC'], ['r2', 'r1', 'r5', 'r7', 'r3', 'r4', 'p1', 'r8']],
    [['params.lr'], ['r5', 'r1', 'r3', 'r2', 'r7', 'r4', 'p1', 'r8']],
    [['tags.team DESC', 'metrics.acc'], ['r1', 'r5', 'r2', 'r3', 'r4', 'p1', 'r7', 'r8']],
    [['end_time'], ['r7', 'r5', 'r1', 'r2', 'r3', 'r4', 'p1', 'r8']],
    [['end_time DESC'], ['r4', 'r3', 'r2', 'r1', 'r5', 'r7', 'p1', 'r8']],
    [['attributes.run_name'], ['r5', 'r8', 'p1', 'r1', 'r2', 'r3', 'r4', 'r7']],
    [['run_id DESC'], ['r8', 'r7', 'r5', 'r4', 'r3', 'r2', 'r1', 'p1']],
  ])('%j', (orderBy, expected) => {
    expect(search({ experimentIds: ['1'], orderBy })).toEqual(expected);
  });

  it('orders by a filtered metric through its filter join', () => {
    expect(search(inExp1('metrics.loss < 0.5', ['metrics.loss DESC']))).toEqual(['r1', 'r5', 'r7']);
    expect(search(inExp1("params.opt = 'adam'", ['params.opt', 'metrics.acc DESC']))).toEqual(['r4', 'r3', 'r1', 'r8']);
  });
});

describe('scope: experiments, lifecycle, parent', () => {
  it.each<[Partial<SearchRunsQuery>, string[]]>([
    [{ runViewType: 'DELETED_ONLY' }, ['r6']],
    [{ runViewType: 'ALL' }, ['r6', 'r3', 'r4', 'r2', 'r1', 'p1', 'r5', 'r7', 'r8']],
    [{ experimentIds: ['1', '2'], filter: "params.opt = 'adam'" }, ['r9', 'r3', 'r4', 'r1', 'r8']],
    [{ experimentIds: ['2'] }, ['r9']],
    [{ experimentIds: [] }, []],
    [{ experimentIds: ['nope', '01'] }, []],
    [{ parentRunId: 'p1' }, ['r3', 'r4', 'r2', 'r1']],
    [{ parentRunId: 'p1', filter: 'metrics.loss < 0.5' }, ['r1']],
    [{ parentRunId: 'r9' }, []],
  ])('%j', (query, expected) => {
    expect(search({ experimentIds: ['1'], ...query })).toEqual(expected);
  });
});

describe('pagination', () => {
  it('pages through every run with tokens and ends without one', () => {
    const all = search({ experimentIds: ['1'] });
    const seen: string[] = [];
    let pageToken: string | undefined;
    const sizes: number[] = [];
    do {
      const query: SearchRunsQuery = { experimentIds: ['1'], maxResults: 3, ...(pageToken && { pageToken }) };
      const sql = searchRunIds(db, query);
      const memory = searchRunRows(rows, query);
      expect(sql.runIds).toEqual(memory.items.map((r) => r.info.runId));
      expect(sql.nextPageToken).toBe(memory.nextPageToken);
      seen.push(...sql.runIds);
      sizes.push(sql.runIds.length);
      pageToken = sql.nextPageToken;
    } while (pageToken !== undefined);
    expect(sizes).toEqual([3, 3, 2]);
    expect(seen).toEqual(all);
  });

  it('gives no token when the page holds the last run', () => {
    expect(searchRunIds(db, { experimentIds: ['1'], maxResults: 8 })).toEqual({ runIds: search({ experimentIds: ['1'] }) });
  });

  it.each([
    [{ maxResults: 50_001 }, 'max_results must be at most 50000, got 50001'],
    [{ maxResults: 0 }, 'max_results must be a positive integer, got 0'],
    [{ maxResults: 2.5 }, 'max_results must be a positive integer, got 2.5'],
    [{ runViewType: 'SOME' as 'ALL' }, 'run_view_type must be ACTIVE_ONLY, DELETED_ONLY or ALL, got SOME'],
  ])('rejects %j', (query, message) => {
    expect(() => searchRunIds(db, { experimentIds: ['1'], ...query })).toThrow(expect.objectContaining({ code: 'E_CONFIG', message }));
    expect(() => searchRunRows(rows, { experimentIds: ['1'], ...query })).toThrow(message);
  });

  it('accepts 50,000 results per page', () => {
    expect(searchRunIds(db, { experimentIds: ['1'], maxResults: 50_000 }).runIds).toHaveLength(8);
  });
});

describe('SQL injection', () => {
  it.each([
    'params.x = "\'; DROP TABLE runs; --"',
    "params.x = '\"; DROP TABLE runs; --'",
    "tags.`'; DROP TABLE tags; --` = 'x'",
    "params.\"x' OR '1'='1\" = 'x'",
    "run_id IN ('r1''); DROP TABLE runs; --')",
    "attributes.run_name LIKE '%'' OR 1=1 --'",
  ])('treats %s as data', (filter) => {
    const ids = search(inExp1(filter, ['params.`x; DROP TABLE params` DESC']));
    expect(ids).toEqual(filter.startsWith('params.x = "') ? ['r8'] : []);
    const { sql } = compileSearch(inExp1(filter, ['params.`x; DROP TABLE params` DESC']));
    expect(sql).not.toMatch(/DROP|OR '1'|1=1/);
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(10);
  });
});
