// Run search: MLflow's filter and order_by grammar (plus sweep's extensions), compiled to one SQLite
// query or evaluated over the in-memory store's rows. Re-exports only.
export type { SearchRunsQuery, SearchRunsPage, RunViewType } from './query.js';
export { DEFAULT_MAX_RESULTS, MAX_RESULTS_LIMIT, encodePageToken, decodePageToken } from './query.js';
export type {
  FilterExpr, Condition, Target, SortableTarget, DatasetTarget, DatasetField, OrderKey, NumericOp, StringOp, AttributeName,
} from './ast.js';
export { ATTRIBUTES, formatTarget } from './ast.js';
export { parseFilter } from './parser.js';
export { parseOrderBy, parseOrderClause } from './order-by.js';
export { searchRunIds, planSearch, compileSearch, SMALL_SCOPE_RUNS } from './compile-sqlite.js';
export type { CompiledSearch, SqlValue, JoinDriver } from './compile-sqlite.js';
export { searchNestedRunIds } from './nested-sqlite.js';
export type { NestedRunIds } from './nested-sqlite.js';
export { searchRunRows, compileMatcher, compareRunRows } from './evaluate-memory.js';
