// Nested search (sweep extension, SearchRunsQuery.nested) in ONE query, for SQLite or PostgreSQL: the
// runs the filter selects plus their ancestors in scope (a recursive CTE walking parent_run_id up), the
// page of the top-level ones in order, then the runs below them (walking down runs_by_parent), all in
// order. Its cost grows with the runs the filter selects (every match decides which parents are
// listed), unlike the flat search, which stops after a page.
// Same semantics as the in-memory evaluator (evaluate-memory.ts, searchNestedRows).
import { compileParts, scopeOf, SQLITE, type CompiledSearch, type SqlDialect, type SqlValue } from './compile-sql.js';
import { toPage, type PreparedSearch } from './query.js';

export interface NestedRunIds {
  /** The page's top-level runs, in order. */
  readonly runIds: string[];
  readonly nextPageToken?: string;
  /** Run ids below the page's runs, by parent run id, in order. */
  readonly children: Record<string, string[]>;
}

/** A row of the nested query. */
export interface NestedRow {
  readonly run_id: string;
  readonly parent_run_id: string | null;
  readonly is_top: number | boolean;
}

/** The page and the children below its runs, from the rows of compileNested's query. */
export function assembleNested(rows: readonly NestedRow[], search: PreparedSearch): NestedRunIds {
  // The top-level runs, and below them the selected runs whose parent was returned too.
  const returned = new Set(rows.map((r) => r.run_id));
  const below = new Map<string, string[]>();
  const tops: string[] = [];
  for (const { run_id: id, parent_run_id: parent, is_top: isTop } of rows) {
    if (isTop) {
      tops.push(id);
    } else if (parent !== null && returned.has(parent)) {
      const list = below.get(parent);
      if (list) list.push(id);
      else below.set(parent, [id]);
    }
  }
  const page = toPage(tops, search);
  const children: Record<string, string[]> = {};
  const visit = (id: string): void => {
    const list = below.get(id);
    if (list === undefined || id in children) return;
    children[id] = list;
    for (const child of list) visit(child);
  };
  for (const id of page.items) visit(id);
  return page.nextPageToken === undefined ? { runIds: page.items, children } : { runIds: page.items, nextPageToken: page.nextPageToken, children };
}

/**
 * The nested query: rows (run_id, parent_run_id) of the page's top-level runs (one more than the
 * page, to learn whether more follow) and of the selected runs below them, in the search's order.
 * @internal
 */
export function compileNested(search: PreparedSearch, driver: Parameters<typeof compileParts>[1], dialect: SqlDialect = SQLITE): CompiledSearch {
  const inScope = { ...search, parentRunId: undefined };
  const view = (alias: string, args: SqlValue[]): string[] => {
    if (search.runViewType === 'ALL') return [];
    args.push(search.runViewType === 'ACTIVE_ONLY' ? 'active' : 'deleted');
    return [`${alias}.lifecycle_stage = ?`];
  };
  const args: SqlValue[] = [];

  // included(run_id, parent_run_id): the selected runs and their ancestors in scope.
  const matched = compileParts(inScope, search.filter === undefined ? 'runs' : driver, { ordered: false, columns: 'r.run_id, r.parent_run_id' }, dialect);
  args.push(...matched.args);
  let included = [...matched.head, `WHERE ${matched.where.join(' AND ')}`].join('\n');
  if (search.filter !== undefined) {
    // Without a filter every run in scope is selected: no ancestor to add.
    const up = scopeOf(inScope, 'p');
    const upWhere = [...up.where, ...view('p', up.args)];
    args.push(...up.args);
    included += `\nUNION\nSELECT p.run_id, p.parent_run_id FROM included i JOIN runs p ON p.run_id = i.parent_run_id WHERE ${upWhere.join(' AND ')}`;
  }

  // top(run_id): one page of the included runs whose parent is out of scope (or is parentRunId).
  const top = compileParts({ ...inScope, filter: undefined }, 'runs', { ordered: true, source: `included i ${dialect.fixedJoin} runs r ON r.run_id = i.run_id` }, dialect);
  args.push(...top.args);
  let isTop: string;
  if (search.parentRunId !== undefined) {
    isTop = 'r.parent_run_id = ?';
    args.push(search.parentRunId);
  } else {
    const parent = scopeOf(inScope, 'p');
    const parentWhere = [...parent.where, ...view('p', parent.args)];
    isTop = `(r.parent_run_id IS NULL OR NOT EXISTS (SELECT 1 FROM runs p WHERE p.run_id = r.parent_run_id AND ${parentWhere.join(' AND ')}))`;
    args.push(...parent.args);
  }
  args.push(search.maxResults + 1, search.offset);
  const topSql = [...top.head, `WHERE ${[...top.where, isTop].join(' AND ')}`, `ORDER BY ${top.orderBy.join(', ')}`, 'LIMIT ? OFFSET ?'].join('\n');

  // below(run_id): the top runs and every run under them (runs_by_parent, no condition in the recursive
  // step: SQLite would evaluate an IN there once per step); then those included, in order. A run in
  // scope reached through one out of scope is dropped by searchNestedRunIds (its parent is not returned).
  const downSql = 'SELECT run_id FROM top UNION SELECT c.run_id FROM below b JOIN runs c ON c.parent_run_id = b.run_id';
  const all = compileParts({ ...inScope, filter: undefined }, 'runs', {
    ordered: true,
    columns: 'r.run_id, r.parent_run_id, r.run_id IN (SELECT run_id FROM top) AS is_top',
    source: `below b ${dialect.fixedJoin} runs r ON r.run_id = b.run_id`,
  }, dialect);
  args.push(...all.args);
  const allWhere = search.filter === undefined ? all.where : [...all.where, 'r.run_id IN (SELECT run_id FROM included)'];
  const allSql = [...all.head, `WHERE ${allWhere.join(' AND ')}`, `ORDER BY ${all.orderBy.join(', ')}`].join('\n');
  return {
    sql: `WITH RECURSIVE\nincluded(run_id, parent_run_id) AS MATERIALIZED (\n${included}\n),\n` +
      `top(run_id) AS MATERIALIZED (\n${topSql}\n),\nbelow(run_id) AS (\n${downSql}\n)\n${allSql}`,
    args,
  };
}
