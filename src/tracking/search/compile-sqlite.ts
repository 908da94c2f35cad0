// Compiles a search into ONE parameterized SQLite query over runs/params/tags/latest_metrics that
// returns a page of run ids in order. Every user value and key is a bound parameter; SQL text holds
// only generated aliases, whitelisted column names and fixed keywords.
import assert from 'node:assert/strict';
import { ATTRIBUTES, sameTarget, type Condition, type DatasetTarget, type FilterExpr, type SortableTarget, type Target } from './ast.js';
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
 * How the query is joined. `runs`: runs of the scope first, then the (run_id, key) primary keys of
 * the filtered keys (best for a small scope). `metric`: the first order key's latest_metrics_by_key
 * range in value order, stopping after one page (best for a large scope ordered by a filtered
 * metric). `auto`: SQLite's planner chooses (plain JOINs).
 */
export type JoinDriver = 'runs' | 'metric' | 'auto';

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

/**
 * The query for `query` with a given join order, fetching one row more than the page to learn
 * whether more follow. @throws ConfigError for a bad query
 */
export function compileSearch(query: SearchRunsQuery, driver: JoinDriver = 'auto'): CompiledSearch {
  return compilePrepared(prepareSearch(query), driver);
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

function compilePrepared(search: PreparedSearch, driver: JoinDriver): CompiledSearch {
  const q = compileParts(search, driver, { ordered: true });
  return {
    sql: [...q.head, `WHERE ${q.where.join('\n  AND ')}`, `ORDER BY ${q.orderBy.join(', ')}`, 'LIMIT ? OFFSET ?'].join('\n'),
    args: [...q.args, search.maxResults + 1, search.offset],
  };
}

/** The pieces of a search query, for queries built around it (nested-sqlite.ts). @internal */
export interface QueryParts {
  /** `SELECT <columns> FROM <source>` and the join lines. */
  readonly head: string[];
  /** Scope, lifecycle and filter terms, to be ANDed. */
  readonly where: string[];
  /** Empty unless ordered. */
  readonly orderBy: string[];
  /** The args of head, then of where. */
  readonly args: SqlValue[];
}

/**
 * The parts of the query for `search`: `columns` of the runs aliased `r`, selected from `source`
 * (which must bring `runs r` in) when the driver does not lead with a metric.
 * @internal
 */
export function compileParts(
  search: PreparedSearch, driver: JoinDriver, shape: { ordered: boolean; columns?: string; source?: string },
): QueryParts {
  const b = new QueryBuilder(shape.columns ?? 'r.run_id', shape.source ?? 'runs r');
  const conjuncts = search.filter === undefined ? [] : search.filter.kind === 'and' ? search.filter.items : [search.filter];
  const residual: FilterExpr[] = [];
  for (const c of conjuncts) {
    if (isJoinable(c)) b.joinCondition(c);
    else residual.push(c);
  }
  const first = search.order[0]?.target;
  b.emitFrom(driver, driver === 'metric' && first !== undefined ? first : undefined);
  const { where, args: whereArgs } = scopeOf(search);
  if (search.runViewType !== 'ALL') {
    where.push('r.lifecycle_stage = ?');
    whereArgs.push(search.runViewType === 'ACTIVE_ONLY' ? 'active' : 'deleted');
  }
  for (const expr of residual) where.push(b.expr(expr, whereArgs));
  const orderBy = shape.ordered ? search.order.flatMap((key) => b.orderTerms(key.target, key.descending ? 'DESC' : 'ASC')) : [];
  return { head: b.joins, where, orderBy, args: [...b.joinArgs, ...whereArgs] };
}

/**
 * The indexed terms that bound the search: experiments (runs_by_experiment) and parent (runs_by_parent),
 * on the runs aliased `alias`. @internal
 */
export function scopeOf(search: PreparedSearch, alias = 'r'): { where: string[]; args: SqlValue[] } {
  const ids = search.experimentIds.filter((id) => /^(0|[1-9]\d{0,15})$/.test(id)).map(Number);
  const where = [`${alias}.experiment_id IN (${ids.map(() => '?').join(', ')})`];
  const args: SqlValue[] = [...ids];
  if (search.parentRunId !== undefined) {
    where.push(`${alias}.parent_run_id = ?`);
    args.push(search.parentRunId);
  }
  return { where, args };
}

/** Whether the first order key is a metric with a top-level filter clause (so it has a join). */
function orderedByFilteredMetric(search: PreparedSearch): boolean {
  const first = search.order[0]?.target;
  if (first?.type !== 'metric' || search.filter === undefined) return false;
  const conjuncts = search.filter.kind === 'and' ? search.filter.items : [search.filter];
  return conjuncts.some((c) => isJoinable(c) && sameTarget(c.target, first));
}

type EntityTarget = SortableTarget & { type: 'metric' | 'param' | 'tag' };
type JoinableCondition = Condition & { kind: 'number' | 'string'; target: EntityTarget };

interface FilterJoin {
  readonly target: EntityTarget;
  readonly alias: string;
  readonly on: string[];
  readonly args: SqlValue[];
}

const TABLES = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

function isJoinable(expr: FilterExpr): expr is JoinableCondition {
  return (expr.kind === 'number' || expr.kind === 'string') && expr.target.type !== 'attribute' && expr.target.type !== 'dataset';
}

/** Collects joins (their SQL and args in text order) and renders conditions. */
class QueryBuilder {
  readonly joins: string[] = [];
  readonly joinArgs: SqlValue[] = [];
  /** Inner joins made for filter clauses, by target: no run without the key gets through them. */
  private readonly filterJoins: FilterJoin[] = [];
  private aliases = 0;

  constructor(private readonly columns: string, private readonly source: string) {}

  /** Adds a top-level clause to the inner join of its key (one join per key). Call before emitFrom. */
  joinCondition(c: JoinableCondition): void {
    let join = this.filterJoins.find((j) => sameTarget(j.target, c.target));
    if (!join) {
      join = { target: c.target, alias: `f${this.aliases++}`, on: [], args: [] };
      this.filterJoins.push(join);
    }
    join.on.push(valueCondition(c, `${join.alias}.value`, join.args));
  }

  /**
   * The FROM clause and the filter joins, in the driver's order: CROSS JOIN fixes SQLite's join
   * order (its left table is the outer loop). Call after every joinCondition.
   */
  emitFrom(driver: JoinDriver, leading: Target | undefined): void {
    const lead = leading && this.filterJoins.find((j) => sameTarget(j.target, leading));
    const rest = this.filterJoins.filter((j) => j !== lead);
    if (lead) {
      this.joins.push(`SELECT ${this.columns} FROM ${TABLES[lead.target.type]} ${lead.alias} CROSS JOIN runs r ON ${joinOn(lead)}`);
      this.joinArgs.push(lead.target.key, ...lead.args);
    } else {
      this.joins.push(`SELECT ${this.columns} FROM ${this.source}`);
    }
    for (const j of rest) {
      this.joins.push(`${driver === 'auto' ? 'JOIN' : 'CROSS JOIN'} ${TABLES[j.target.type]} ${j.alias} ON ${joinOn(j)}`);
      this.joinArgs.push(j.target.key, ...j.args);
    }
  }

  /** SQL terms sorting by one key, missing values last in both directions. */
  orderTerms(target: SortableTarget, direction: 'ASC' | 'DESC'): string[] {
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
    if (target.type === 'dataset') return this.datasetExpr(expr, target, args);
    const alias = `s${this.aliases++}`;
    const table = TABLES[target.type];
    args.push(target.key);
    const base = `SELECT 1 FROM ${table} ${alias} WHERE ${alias}.run_id = r.run_id AND ${alias}.key = ?`;
    if (expr.kind === 'null') return `${expr.negated ? '' : 'NOT '}EXISTS (${base})`;
    assert(expr.kind !== 'in', 'IN applies to run_id only; the parser rejects it elsewhere');
    return `EXISTS (${base} AND ${valueCondition(expr, `${alias}.value`, args)})`;
  }

  /**
   * A dataset clause: whether any of the run's dataset inputs matches (MLflow's semantics; `!=` and
   * NOT IN too). IS NULL (extension): whether no input has the field.
   */
  private datasetExpr(expr: Condition, target: DatasetTarget, args: SqlValue[]): string {
    const alias = `d${this.aliases++}`;
    const column = `${alias}.${DATASET_COLUMNS[target.key]}`;
    const base = `SELECT 1 FROM run_inputs ${alias} WHERE ${alias}.run_id = r.run_id`;
    if (expr.kind === 'null') return `${expr.negated ? '' : 'NOT '}EXISTS (${base} AND ${column} IS NOT NULL)`;
    if (expr.kind === 'in') {
      args.push(...expr.values);
      return `EXISTS (${base} AND ${column} ${expr.negated ? 'NOT IN' : 'IN'} (${expr.values.map(() => '?').join(', ')}))`;
    }
    assert(expr.kind === 'string', 'dataset keys compare with strings; the parser rejects numbers');
    return `EXISTS (${base} AND ${valueCondition(expr, column, args)})`;
  }
}

/** Columns of run_inputs for dataset keys (whitelisted: never user text). */
const DATASET_COLUMNS = { name: 'name', digest: 'digest', context: 'context' } as const;

function joinOn(j: FilterJoin): string {
  return `${j.alias}.run_id = r.run_id AND ${j.alias}.key = ? AND ${j.on.join(' AND ')}`;
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
