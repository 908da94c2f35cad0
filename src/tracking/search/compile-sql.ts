// Compiles a search into ONE parameterized SQL query over runs/params/tags/latest_metrics that
// returns a page of run ids in order, for SQLite (compile-sqlite.ts runs it) or PostgreSQL (the
// postgres store runs it): one compiler, a dialect for the few places the two differ. Every user
// value and key is a bound parameter; SQL text holds only generated aliases, whitelisted column
// names and fixed keywords.
import assert from 'node:assert/strict';
import { ATTRIBUTES, sameTarget, type Condition, type DatasetTarget, type FilterExpr, type SortableTarget, type Target } from './ast.js';
import { likeToGlob } from './like.js';
import { prepareSearch, type PreparedSearch, type SearchRunsQuery } from './query.js';

export type SqlValue = string | number;

export interface CompiledSearch {
  readonly sql: string;
  /** Bound in order of the `?` in `sql` (see toNumberedParams for PostgreSQL's `$n`). */
  readonly args: readonly SqlValue[];
}

/**
 * How the query is joined. `runs`: runs of the scope first, then the (run_id, key) primary keys of
 * the filtered keys (best for a small scope). `metric`: the first order key's latest_metrics_by_key
 * range in value order, stopping after one page (best for a large scope ordered by a filtered
 * metric). `auto`: the database's planner chooses (plain JOINs). PostgreSQL always uses `auto`: its
 * planner reorders joins from statistics.
 */
export type JoinDriver = 'runs' | 'metric' | 'auto';

/** What differs between the SQL of SQLite and of PostgreSQL. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgresql';
  /** A join whose order the planner keeps (SQLite's CROSS JOIN ... ON), or a plain join where there is none. */
  readonly fixedJoin: string;
  /** A case-sensitive LIKE (`%`, `_`, no escape character) of `column` against the bound pattern. */
  like(column: string, pattern: string, args: SqlValue[]): string;
  /** ILIKE: ASCII letters folded only. */
  ilike(column: string, pattern: string, args: SqlValue[]): string;
  /** The text's value as a double when it is a JSON number, else NULL (which fails every comparison). */
  numericText(column: string): string;
  /** A bound number compared with a numeric column. */
  readonly numberParam: string;
  /** A bound number compared with numericText. */
  readonly numericTextParam: string;
}

export const SQLITE: SqlDialect = {
  name: 'sqlite',
  fixedJoin: 'CROSS JOIN',
  like: (column, pattern, args) => {
    args.push(likeToGlob(pattern));
    return `${column} GLOB ?`; // case-sensitive, unlike SQLite's LIKE
  },
  ilike: (column, pattern, args) => {
    args.push(pattern);
    return `${column} LIKE ?`; // SQLite's LIKE folds ASCII letters only
  },
  numericText: (column) =>
    `(CASE WHEN json_valid(${column}) THEN CASE WHEN json_type(${column}) IN ('integer', 'real') THEN CAST(${column} AS REAL) END END)`,
  numberParam: '?',
  numericTextParam: '?',
};

/** JSON's number syntax (RFC 8259, surrounding whitespace allowed as json_valid does); exponents of at most 4 digits stay inside NUMERIC's range. No `?` in it: toNumberedParams would take it for a parameter. */
const JSON_NUMBER = String.raw`^[ \t\n\r]*-{0,1}(0|[1-9][0-9]*)(\.[0-9]+){0,1}([eE][+-]{0,1}[0-9]{1,4}){0,1}[ \t\n\r]*$`;

export const POSTGRESQL: SqlDialect = {
  name: 'postgresql',
  fixedJoin: 'JOIN',
  // Text columns are COLLATE "C" (bytewise, as SQLite's BINARY); backslash is PostgreSQL's LIKE escape, MLflow has none.
  like: (column, pattern, args) => {
    args.push(pattern.replace(/\\/g, '\\\\'));
    return `${column} LIKE ?`;
  },
  // lower() under COLLATE "C" folds ASCII letters only, as SQLite's LIKE does.
  ilike: (column, pattern, args) => {
    args.push(pattern.replace(/\\/g, '\\\\'));
    return `lower(${column}) LIKE lower(? COLLATE "C")`;
  },
  // NUMERIC, not DOUBLE PRECISION: '1e400' compares as larger than every double instead of failing the query.
  numericText: (column) => `(CASE WHEN ${column} ~ '${JSON_NUMBER}' THEN CAST(${column} AS NUMERIC) END)`,
  numberParam: 'CAST(? AS DOUBLE PRECISION)',
  numericTextParam: 'CAST(? AS NUMERIC)',
};

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (SQL text holds no other `?`: values are all bound). */
export function toNumberedParams(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * The query for `query` with a given join order, fetching one row more than the page to learn
 * whether more follow. @throws ConfigError for a bad query
 */
export function compileSearch(query: SearchRunsQuery, driver: JoinDriver = 'auto', dialect: SqlDialect = SQLITE): CompiledSearch {
  return compilePrepared(prepareSearch(query), driver, dialect);
}

/** @internal */
export function compilePrepared(search: PreparedSearch, driver: JoinDriver, dialect: SqlDialect = SQLITE): CompiledSearch {
  const q = compileParts(search, driver, { ordered: true }, dialect);
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
  search: PreparedSearch, driver: JoinDriver, shape: { ordered: boolean; columns?: string; source?: string }, dialect: SqlDialect = SQLITE,
): QueryParts {
  const b = new QueryBuilder(shape.columns ?? 'r.run_id', shape.source ?? 'runs r', dialect);
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
  // No usable id finds nothing: `IN ()` is an error in PostgreSQL (SQLite reads it as false).
  const where = [ids.length === 0 ? '1 = 0' : `${alias}.experiment_id IN (${ids.map(() => '?').join(', ')})`];
  const args: SqlValue[] = [...ids];
  if (search.parentRunId !== undefined) {
    where.push(`${alias}.parent_run_id = ?`);
    args.push(search.parentRunId);
  }
  return { where, args };
}

/** Whether the first order key is a metric with a top-level filter clause (so it has a join). */
/** @internal */
export function orderedByFilteredMetric(search: PreparedSearch): boolean {
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

  constructor(private readonly columns: string, private readonly source: string, private readonly dialect: SqlDialect) {}

  /** Adds a top-level clause to the inner join of its key (one join per key). Call before emitFrom. */
  joinCondition(c: JoinableCondition): void {
    let join = this.filterJoins.find((j) => sameTarget(j.target, c.target));
    if (!join) {
      join = { target: c.target, alias: `f${this.aliases++}`, on: [], args: [] };
      this.filterJoins.push(join);
    }
    join.on.push(valueCondition(c, `${join.alias}.value`, join.args, this.dialect));
  }

  /**
   * The FROM clause and the filter joins, in the driver's order: CROSS JOIN fixes SQLite's join
   * order (its left table is the outer loop). Call after every joinCondition.
   */
  emitFrom(driver: JoinDriver, leading: Target | undefined): void {
    const lead = leading && this.filterJoins.find((j) => sameTarget(j.target, leading));
    const rest = this.filterJoins.filter((j) => j !== lead);
    if (lead) {
      this.joins.push(`SELECT ${this.columns} FROM ${TABLES[lead.target.type]} ${lead.alias} ${this.dialect.fixedJoin} runs r ON ${joinOn(lead)}`);
      this.joinArgs.push(lead.target.key, ...lead.args);
    } else {
      this.joins.push(`SELECT ${this.columns} FROM ${this.source}`);
    }
    for (const j of rest) {
      this.joins.push(`${driver === 'auto' ? 'JOIN' : this.dialect.fixedJoin} ${TABLES[j.target.type]} ${j.alias} ON ${joinOn(j)}`);
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
      return valueCondition(expr, column, args, this.dialect);
    }
    if (target.type === 'dataset') return this.datasetExpr(expr, target, args);
    const alias = `s${this.aliases++}`;
    const table = TABLES[target.type];
    args.push(target.key);
    const base = `SELECT 1 FROM ${table} ${alias} WHERE ${alias}.run_id = r.run_id AND ${alias}.key = ?`;
    if (expr.kind === 'null') return `${expr.negated ? '' : 'NOT '}EXISTS (${base})`;
    assert(expr.kind !== 'in', 'IN applies to run_id only; the parser rejects it elsewhere');
    return `EXISTS (${base} AND ${valueCondition(expr, `${alias}.value`, args, this.dialect)})`;
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
    return `EXISTS (${base} AND ${valueCondition(expr, column, args, this.dialect)})`;
  }
}

/** Columns of run_inputs for dataset keys (whitelisted: never user text). */
const DATASET_COLUMNS = { name: 'name', digest: 'digest', context: 'context' } as const;

function joinOn(j: FilterJoin): string {
  return `${j.alias}.run_id = r.run_id AND ${j.alias}.key = ? AND ${j.on.join(' AND ')}`;
}

/** `column op ?` for a number or string clause; a numeric param clause compares only JSON-number values. */
function valueCondition(c: Condition & { kind: 'number' | 'string' }, column: string, args: SqlValue[], dialect: SqlDialect): string {
  if (c.kind === 'number') {
    args.push(c.value);
    if (c.target.type === 'param') return `${dialect.numericText(column)} ${c.op} ${dialect.numericTextParam}`;
    return `${column} ${c.op} ${dialect.numberParam}`;
  }
  if (c.op === 'LIKE') return dialect.like(column, c.value, args);
  if (c.op === 'ILIKE') return dialect.ilike(column, c.value, args);
  args.push(c.value);
  return `${column} ${c.op} ?`;
}

