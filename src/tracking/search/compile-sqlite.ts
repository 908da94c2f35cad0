// Runs compiled searches (compile-sql.ts) on SQLite: the join order chosen from a bounded count of
// the runs in scope, statements cached per connection.
import { compilePrepared, orderedByFilteredMetric, scopeOf, type CompiledSearch, type JoinDriver, type SqlValue } from './compile-sql.js';
import { prepareSearch, toPage, type PreparedSearch, type SearchRunsQuery } from './query.js';
import { read, type Db } from '../sqlite/connection.js';

export { compileSearch, compileParts, scopeOf } from './compile-sql.js';
export type { CompiledSearch, JoinDriver, SqlValue, QueryParts } from './compile-sql.js';

/**
 * Runs in scope at or below which the query starts from runs (about 20 ms for 10,000 runs; reading a
 * metric index in order wins above that when the filter keeps a fair share of the runs).
 */
export const SMALL_SCOPE_RUNS = 10_000;

/**
 * Finds the ids of one page of runs, in order, with one query (see planSearch for its shape).
 * @throws ConfigError for a bad query; StorageError when SQLite fails
 */
export function searchRunIds(db: Db, query: SearchRunsQuery): { runIds: string[]; nextPageToken?: string } {
  const search = prepareSearch(query);
  const { sql, args } = planPrepared(db, search);
  const rows = read('search runs', () => statement(db, sql).all(...args) as string[]);
  const page = toPage(rows, search);
  return page.nextPageToken === undefined ? { runIds: page.items } : { runIds: page.items, nextPageToken: page.nextPageToken };
}

/**
 * The query searchRunIds runs (for EXPLAIN QUERY PLAN). Top-level AND clauses on metrics, params and
 * tags become joins on the (run_id, key) primary keys, one alias per key; a key both filtered and
 * ordered by reuses its join, so no sort term is needed for missing values. Clauses under OR and
 * IS [NOT] NULL become [NOT] EXISTS subqueries; other order keys are LEFT JOINs sorted with missing
 * rows last (and NaN metrics just before them). The join order is chosen from a bounded count of
 * the runs in scope (at most SMALL_SCOPE_RUNS + 1 index entries, about 1 ms): left alone, SQLite's
 * planner reads the metric index even for one study of 100 runs without ANALYZE (60 ms), and scans
 * all 100,000 runs after ANALYZE (100 ms). Pages are OFFSET-based (see query.ts).
 * @throws ConfigError for a bad query; StorageError when SQLite fails
 */
export function planSearch(db: Db, query: SearchRunsQuery): CompiledSearch {
  return planPrepared(db, prepareSearch(query));
}

// --- internal ---

function planPrepared(db: Db, search: PreparedSearch): CompiledSearch {
  return compilePrepared(search, chooseDriver(db, search));
}

/** The join order for `search` (see planSearch): from a bounded count of the runs in scope. @internal */
export function chooseDriver(db: Db, search: PreparedSearch): JoinDriver {
  const scope = scopeOf(search);
  const probe = `SELECT count(*) FROM (SELECT 1 FROM runs r WHERE ${scope.where.join(' AND ')} LIMIT ?)`;
  const inScope = read('search runs', () => statement(db, probe).all(...scope.args, SMALL_SCOPE_RUNS + 1)[0] as number);
  if (inScope <= SMALL_SCOPE_RUNS) return 'runs';
  return orderedByFilteredMetric(search) ? 'metric' : 'auto';
}


interface Statement { all(...params: SqlValue[]): unknown[] }
const STATEMENT_CACHE_SIZE = 64;
const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement (plucking unless `pluck` is false), cached per connection (searches repeat their shapes). @internal */
export function statement(db: Db, sql: string, pluck = true): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  const key = pluck ? sql : `rows:${sql}`;
  let stmt = cache.get(key);
  if (!stmt) {
    stmt = read('search runs', () => db.prepare(sql).pluck(pluck));
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, stmt);
  }
  return stmt;
}
