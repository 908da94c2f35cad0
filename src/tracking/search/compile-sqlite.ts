// Compiles a search into ONE parameterized SQLite query over runs/params/tags/latest_metrics that
// returns run ids in order. Every user value and key is a bound parameter; SQL text holds only
// generated aliases, whitelisted column names and fixed keywords.
import { ATTRIBUTES, sameTarget, type Condition, type FilterExpr, type Target } from './ast.js';
import { likeToGlob } from './like.js';
import { prepareSearch, toPage, type PreparedSearch, type SearchRunsQuery } from './query.js';
import { read, type Db } from '../sqlite/connection.js';

export type SqlValue = string | number;

export interface CompiledSearch {
  readonly sql: string;
  /** Bound in order of the `?` in `sql`. */
  readonly args: readonly SqlValue[];
}

/**
 * Finds the ids of one page of runs, in order.
 *
 * Shape of the query: top-level AND clauses on metrics, params and tags become INNER JOINs on the
 * (run_id, key) primary keys, one alias per key, so SQLite may drive the search from the most
 * selective one (a metric range scans latest_metrics_by_key). A metric or param that is both
 * filtered and ordered by reuses that join, which lets SQLite read latest_metrics_by_key in value
 * order and stop after one page. Clauses under OR and IS [NOT] NULL become [NOT] EXISTS subqueries.
 * Other order keys are LEFT JOINs sorted with missing rows last (and NaN metrics just before them).
 * Pages are OFFSET-based (see query.ts): a deep page costs the rows before it.
 *
 * @throws ConfigError for a bad query; StorageError when SQLite fails
 */
export function searchRunIds(db: Db, query: SearchRunsQuery): { runIds: string[]; nextPageToken?: string } {
  const search = prepareSearch(query);
  const { sql, args } = compilePrepared(search);
  const rows = read('search runs', () => statement(db, sql).all(...args) as string[]);
  const page = toPage(rows, search);
  return page.nextPageToken === undefined ? { runIds: page.items } : { runIds: page.items, nextPageToken: page.nextPageToken };
}

/**
 * The SQL searchRunIds runs for `query` (for EXPLAIN QUERY PLAN and tests). It fetches one row more
 * than the page to learn whether more follow. @throws ConfigError for a bad query
 */
export function compileSearch(query: SearchRunsQuery): CompiledSearch {
  return compilePrepared(prepareSearch(query));
}

// --- internal ---

function compilePrepared(search: PreparedSearch): CompiledSearch {
  const b = new QueryBuilder();
  const conjuncts = search.filter === undefined ? [] : search.filter.kind === 'and' ? search.filter.items : [search.filter];
  const residual: FilterExpr[] = [];
  for (const c of conjuncts) {
    if (isJoinable(c)) b.joinCondition(c);
    else residual.push(c);
  }
  b.emitFilterJoins();
  const ids = search.experimentIds.filter((id) => /^(0|[1-9]\d{0,15})$/.test(id)).map(Number);
  const where = [`r.experiment_id IN (${ids.map(() => '?').join(', ')})`];
  const whereArgs: SqlValue[] = [...ids];
  if (search.runViewType !== 'ALL') {
    where.push('r.lifecycle_stage = ?');
    whereArgs.push(search.runViewType === 'ACTIVE_ONLY' ? 'active' : 'deleted');
  }
  if (search.parentRunId !== undefined) {
    where.push('r.parent_run_id = ?');
    whereArgs.push(search.parentRunId);
  }
  for (const expr of residual) where.push(b.expr(expr, whereArgs));
  const orderBy = search.order.flatMap((key) => b.orderTerms(key.target, key.descending ? 'DESC' : 'ASC'));
  return {
    sql: [
      'SELECT r.run_id FROM runs r',
      ...b.joins,
      `WHERE ${where.join('\n  AND ')}`,
      `ORDER BY ${orderBy.join(', ')}`,
      'LIMIT ? OFFSET ?',
    ].join('\n'),
    args: [...b.joinArgs, ...whereArgs, search.maxResults + 1, search.offset],
  };
}

type EntityTarget = Target & { type: 'metric' | 'param' | 'tag' };
type JoinableCondition = Condition & { kind: 'number' | 'string'; target: EntityTarget };

const TABLES = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

function isJoinable(expr: FilterExpr): expr is JoinableCondition {
  return (expr.kind === 'number' || expr.kind === 'string') && expr.target.type !== 'attribute';
}

/** Collects joins (their SQL and args in text order) and renders conditions. */
class QueryBuilder {
  readonly joins: string[] = [];
  readonly joinArgs: SqlValue[] = [];
  /** Inner joins made for filter clauses, by target: no run without the key gets through them. */
  private readonly filterJoins: { target: EntityTarget; alias: string; on: string[]; args: SqlValue[] }[] = [];
  private aliases = 0;

  /** Adds a top-level clause to the inner join of its key (one join per key). Call before emitFilterJoins. */
  joinCondition(c: JoinableCondition): void {
    let join = this.filterJoins.find((j) => sameTarget(j.target, c.target));
    if (!join) {
      join = { target: c.target, alias: `f${this.aliases++}`, on: [], args: [] };
      this.filterJoins.push(join);
    }
    join.on.push(valueCondition(c, `${join.alias}.value`, join.args));
  }

  emitFilterJoins(): void {
    for (const { target, alias, on, args } of this.filterJoins) {
      this.joins.push(`JOIN ${TABLES[target.type]} ${alias} ON ${alias}.run_id = r.run_id AND ${alias}.key = ? AND ${on.join(' AND ')}`);
      this.joinArgs.push(target.key, ...args);
    }
  }

  /** SQL terms sorting by one key, missing values last in both directions. */
  orderTerms(target: Target, direction: 'ASC' | 'DESC'): string[] {
    if (target.type === 'attribute') {
      const spec = ATTRIBUTES[target.key];
      return spec.isNullable ? [`r.${spec.column} IS NULL`, `r.${spec.column} ${direction}`] : [`r.${spec.column} ${direction}`];
    }
    // A filter join already excludes runs without the key (and NaN metrics: NULL fails every comparison).
    const joined = this.filterJoins.find((j) => sameTarget(j.target, target));
    if (joined) return [`${joined.alias}.value ${direction}`];
    const alias = `o${this.aliases++}`;
    this.joins.push(`LEFT JOIN ${TABLES[target.type]} ${alias} ON ${alias}.run_id = r.run_id AND ${alias}.key = ?`);
    this.joinArgs.push(target.key);
    const nan = target.type === 'metric' ? [`${alias}.is_nan`] : [];
    return [`${alias}.run_id IS NULL`, ...nan, `${alias}.value ${direction}`];
  }

  /** A boolean SQL expression for `expr` (used in WHERE), pushing its args onto `args`. */
  expr(expr: FilterExpr, args: SqlValue[]): string {
    if (expr.kind === 'and' || expr.kind === 'or') {
      return `(${expr.items.map((item) => this.expr(item, args)).join(expr.kind === 'and' ? ' AND ' : ' OR ')})`;
    }
    const { target } = expr;
    if (target.type === 'attribute') {
      const column = `r.${ATTRIBUTES[target.key].column}`;
      if (expr.kind === 'null') return `${column} IS ${expr.negated ? 'NOT ' : ''}NULL`;
      if (expr.kind === 'in') {
        args.push(...expr.values);
        return `${column} ${expr.negated ? 'NOT IN' : 'IN'} (${expr.values.map(() => '?').join(', ')})`;
      }
      return valueCondition(expr, column, args);
    }
    const alias = `s${this.aliases++}`;
    const table = TABLES[target.type];
    args.push(target.key);
    const base = `SELECT 1 FROM ${table} ${alias} WHERE ${alias}.run_id = r.run_id AND ${alias}.key = ?`;
    if (expr.kind === 'null') return `${expr.negated ? '' : 'NOT '}EXISTS (${base})`;
    if (expr.kind === 'in') throw new Error('IN applies to run_id only; the parser rejects it elsewhere');
    return `EXISTS (${base} AND ${valueCondition(expr, `${alias}.value`, args)})`;
  }
}

/** `column op ?` for a number or string clause; a numeric param clause compares only JSON-number values. */
function valueCondition(c: Condition & { kind: 'number' | 'string' }, column: string, args: SqlValue[]): string {
  if (c.kind === 'number') {
    args.push(c.value);
    const operand = c.target.type === 'param' ? numericText(column) : column;
    return `${operand} ${c.op} ?`;
  }
  if (c.op === 'LIKE') {
    args.push(likeToGlob(c.value));
    return `${column} GLOB ?`; // case-sensitive, unlike SQLite's LIKE
  }
  args.push(c.value);
  return c.op === 'ILIKE' ? `${column} LIKE ?` : `${column} ${c.op} ?`;
}

/** The text's value as a double when it is a JSON number, else NULL (which fails every comparison). */
function numericText(column: string): string {
  return `(CASE WHEN json_valid(${column}) THEN CASE WHEN json_type(${column}) IN ('integer', 'real') THEN CAST(${column} AS REAL) END END)`;
}

interface Statement { all(...params: SqlValue[]): unknown[] }
const STATEMENT_CACHE_SIZE = 64;
const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared, plucking statement, cached per connection (searches repeat their shapes). */
function statement(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = read('search runs', () => db.prepare(sql).pluck());
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(sql, stmt);
  }
  return stmt;
}
