// The search semantics of compile-sqlite.ts evaluated over the in-memory store's RunRows, so the
// MemoryStore answers every query exactly as SQLite does (test/tracking/search checks both).
import type { RunRow } from '../memory-runs.js';
import { TAG_DATA_CONTEXT } from '../registry/entities.js';
import { type AttributeName, type Condition, type DatasetTarget, type FilterExpr, type OrderKey, type SortableTarget } from './ast.js';
import { compileLike } from './like.js';
import { prepareSearch, toPage, type PreparedSearch, type SearchRunsPage, type SearchRunsQuery } from './query.js';

/** One page of matching rows, in order. @throws ConfigError for a bad query */
export function searchRunRows(rows: Iterable<RunRow>, query: SearchRunsQuery): SearchRunsPage<RunRow> {
  const search = prepareSearch(query);
  const experiments = new Set(search.experimentIds);
  const stage = { ACTIVE_ONLY: 'active', DELETED_ONLY: 'deleted', ALL: undefined }[search.runViewType];
  const matches = search.filter === undefined ? () => true : compileMatcher(search.filter);
  const scope: RunRow[] = [];
  for (const row of rows) {
    const { info } = row;
    if (!experiments.has(info.experimentId)) continue;
    if (stage !== undefined && info.lifecycleStage !== stage) continue;
    if (!search.nested && search.parentRunId !== undefined && info.parentRunId !== search.parentRunId) continue;
    scope.push(row);
  }
  if (search.nested) return searchNestedRows(scope, search, matches);
  const found = scope.filter(matches);
  found.sort(compareRunRows(search.order));
  return toPage(found.slice(search.offset, search.offset + search.maxResults + 1), search);
}

/**
 * SearchRunsQuery.nested over the runs in scope: the matching runs and their ancestors in scope; the
 * top-level ones of those (parent out of scope, or parentRunId) paged in order, the rest as children.
 */
function searchNestedRows(scope: RunRow[], search: PreparedSearch, matches: (row: RunRow) => boolean): SearchRunsPage<RunRow> {
  const byId = new Map(scope.map((row) => [row.info.runId, row]));
  const included = new Set<RunRow>();
  for (const row of scope) {
    if (!matches(row)) continue;
    for (let r: RunRow | undefined = row; r !== undefined && !included.has(r); r = byId.get(r.info.parentRunId ?? '')) included.add(r);
  }
  const isTop = (row: RunRow): boolean => {
    const parent = row.info.parentRunId;
    return search.parentRunId !== undefined ? parent === search.parentRunId : parent === null || !byId.has(parent);
  };
  const compare = compareRunRows(search.order);
  const below = new Map<string, RunRow[]>();
  const tops: RunRow[] = [];
  for (const row of included) {
    const parent = row.info.parentRunId;
    if (isTop(row)) tops.push(row);
    else if (parent !== null) below.set(parent, [...(below.get(parent) ?? []), row]);
  }
  tops.sort(compare);
  const page = toPage(tops.slice(search.offset, search.offset + search.maxResults + 1), search);
  const children: Record<string, RunRow[]> = {};
  const visit = (row: RunRow): void => {
    const list = below.get(row.info.runId);
    if (list === undefined || row.info.runId in children) return;
    children[row.info.runId] = list.sort(compare);
    for (const child of list) visit(child);
  };
  for (const row of page.items) visit(row);
  return { ...page, children };
}

/** A predicate for a parsed filter. */
export function compileMatcher(expr: FilterExpr): (row: RunRow) => boolean {
  if (expr.kind === 'and' || expr.kind === 'or') {
    const items = expr.items.map(compileMatcher);
    return expr.kind === 'and' ? (row) => items.every((m) => m(row)) : (row) => items.some((m) => m(row));
  }
  return compileCondition(expr);
}

/** Orders rows by the keys; a row lacking a key comes after rows that have it, in both directions. */
export function compareRunRows(order: readonly OrderKey[]): (a: RunRow, b: RunRow) => number {
  return (a, b) => {
    for (const { target, descending } of order) {
      const x = valueOf(a, target);
      const y = valueOf(b, target);
      // Missing after NaN after values, whatever the direction.
      const rank = rankOf(x) - rankOf(y);
      if (rank !== 0) return rank;
      if (rankOf(x) !== 0) continue;
      const c = typeof x === 'string' ? compareCodePoints(x, y as string) : Math.sign((x as number) - (y as number));
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  };
}

// --- internal ---

type Value = string | number | undefined;

function compileCondition(c: Condition): (row: RunRow) => boolean {
  const { target } = c;
  if (target.type === 'dataset') return compileDatasetCondition(c, target);
  switch (c.kind) {
    case 'null':
      return (row) => (valueOf(row, target) !== undefined) === c.negated;
    case 'in': {
      const values = new Set(c.values);
      return (row) => {
        const v = valueOf(row, target);
        return typeof v === 'string' && values.has(v) !== c.negated;
      };
    }
    case 'number':
      return (row) => {
        const raw = valueOf(row, target);
        const v = typeof raw === 'string' ? parseJsonNumber(raw) : raw;
        return v !== undefined && !Number.isNaN(v) && compareNumber(v, c.op, c.value);
      };
    case 'string': {
      const pattern = c.op === 'LIKE' || c.op === 'ILIKE' ? compileLike(c.value, c.op === 'ILIKE') : undefined;
      return (row) => {
        const v = valueOf(row, target);
        if (typeof v !== 'string') return false;
        if (pattern) return pattern(v);
        return c.op === '=' ? v === c.value : v !== c.value;
      };
    }
  }
}

/** Whether any of the run's dataset inputs matches (as compile-sqlite.ts's EXISTS); IS NULL: none has the field. */
function compileDatasetCondition(c: Condition, target: DatasetTarget): (row: RunRow) => boolean {
  const field = (input: NonNullable<RunRow['inputs']>[number]): string | undefined =>
    target.key === 'context' ? input.tags[TAG_DATA_CONTEXT] : input.dataset[target.key];
  const any = (row: RunRow, test: (v: string) => boolean): boolean =>
    (row.inputs ?? []).some((input) => {
      const v = field(input);
      return v !== undefined && test(v);
    });
  switch (c.kind) {
    case 'null':
      return (row) => any(row, () => true) === c.negated;
    case 'in': {
      const values = new Set(c.values);
      return (row) => any(row, (v) => values.has(v) !== c.negated);
    }
    case 'string': {
      const pattern = c.op === 'LIKE' || c.op === 'ILIKE' ? compileLike(c.value, c.op === 'ILIKE') : undefined;
      return (row) => any(row, (v) => (pattern ? pattern(v) : c.op === '=' ? v === c.value : v !== c.value));
    }
    case 'number':
      return () => false;
  }
}

/** The key's value on the row: a metric's latest value (maybe NaN), a param, a tag, an attribute. */
function valueOf(row: RunRow, target: SortableTarget): Value {
  switch (target.type) {
    case 'metric':
      return row.latest.get(target.key)?.value;
    case 'param':
      return row.params.get(target.key);
    case 'tag':
      return row.tags.get(target.key);
    case 'attribute':
      return attributeOf(row, target.key);
  }
}

function attributeOf(row: RunRow, key: AttributeName): Value {
  const { info } = row;
  switch (key) {
    case 'run_id': return info.runId;
    case 'run_name': return info.runName;
    case 'status': return info.status;
    case 'user_id': return info.userId;
    case 'artifact_uri': return info.artifactUri;
    case 'start_time': return info.startTime;
    case 'end_time': return info.endTime ?? undefined;
  }
}

function rankOf(v: Value): number {
  if (v === undefined) return 2;
  return typeof v === 'number' && Number.isNaN(v) ? 1 : 0;
}

/** `a op b` for a comparator of the grammar. */
export function compareNumber(a: number, op: string, b: number): boolean {
  switch (op) {
    case '=': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

const JSON_NUMBER = /^[ \t\n\r]*-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?[ \t\n\r]*$/;

/** A param's value as a number when it is a JSON number (as SQLite's json_valid/json_type decide). */
function parseJsonNumber(text: string): number | undefined {
  return JSON_NUMBER.test(text) ? Number(text) : undefined;
}

/** Code point order, which is SQLite's BINARY order of UTF-8 text (UTF-16 units order differently). */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const isSurrogateX = x >= 0xd800 && x <= 0xdfff;
    const isSurrogateY = y >= 0xd800 && y <= 0xdfff;
    if (isSurrogateX === isSurrogateY) return x < y ? -1 : 1;
    return isSurrogateX ? 1 : -1;
  }
  return a.length < b.length ? -1 : 1;
}
