// The search request (SearchRunsQuery), its validation into a PreparedSearch both backends run,
// and page tokens: base64 of MLflow's JSON `{"offset": N}`, so tokens look like MLflow's own.
import { ConfigError } from '../../errors.js';
import type { FilterExpr, OrderKey } from './ast.js';
import { parseOrderBy } from './order-by.js';
import { parseFilter } from './parser.js';

export type RunViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface SearchRunsQuery {
  /** Runs of these experiments only; an empty list finds nothing. */
  experimentIds: string[];
  /** MLflow filter grammar plus sweep's extensions (see parseFilter). */
  filter?: string;
  /** Clauses like `metrics.acc DESC`; start_time DESC, run_id ASC always break ties. */
  orderBy?: string[];
  /** Page size: default 1000, at most 50,000. */
  maxResults?: number;
  /** The nextPageToken of the previous page. */
  pageToken?: string;
  /** Default ACTIVE_ONLY. */
  runViewType?: RunViewType;
  /** Only the direct children of this run (with `nested`: these are the top-level runs). */
  parentRunId?: string;
  /**
   * Sweep extension, off by default (MLflow's flat search). Pages through top-level runs with their
   * children, so a filtered list never orphans a child from its parent (a study's trials from the
   * study): the filter selects runs as usual; every selected run brings its ancestors along (within
   * the experiments and view searched); `items` holds the top-level ones of that set (runs whose
   * parent is not in scope, or the children of `parentRunId` when given), ordered and paged as
   * usual, and `children` the rest below the page's runs. So a parent is listed when it or any run
   * below it matches, and carries the runs below it that match (all of them without a filter).
   */
  nested?: boolean;
}

export interface SearchRunsPage<T> {
  readonly items: T[];
  /** Present when more runs follow. */
  readonly nextPageToken?: string;
  /**
   * With `nested` only: the runs below the page's runs, by parent run id, each list in the search's
   * order (depth-first: a child's own children are under its id). Runs without children have no entry.
   */
  readonly children?: Record<string, T[]>;
}

/** A validated query. @internal */
export interface PreparedSearch {
  readonly experimentIds: readonly string[];
  readonly filter: FilterExpr | undefined;
  /** User keys followed by the tie-breakers. */
  readonly order: readonly OrderKey[];
  readonly maxResults: number;
  readonly offset: number;
  readonly runViewType: RunViewType;
  readonly parentRunId: string | undefined;
  readonly nested: boolean;
}

export const DEFAULT_MAX_RESULTS = 1000;
export const MAX_RESULTS_LIMIT = 50_000;
/** Experiments one search may name (bounded work; well inside SQLite's 32,766 bound parameters). */
export const MAX_EXPERIMENT_IDS = 10_000;

/** @throws ConfigError for a bad filter, order_by, max_results, page token or view type */
export function prepareSearch(query: SearchRunsQuery): PreparedSearch {
  const runViewType = query.runViewType ?? 'ACTIVE_ONLY';
  if (!['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'].includes(runViewType)) {
    throw new ConfigError(`run_view_type must be ACTIVE_ONLY, DELETED_ONLY or ALL, got ${String(runViewType)}`);
  }
  if (query.experimentIds.length > MAX_EXPERIMENT_IDS) {
    throw new ConfigError(`experiment_ids: ${query.experimentIds.length} ids is more than the limit of ${MAX_EXPERIMENT_IDS} per search`);
  }
  return {
    experimentIds: query.experimentIds,
    filter: parseFilter(query.filter),
    order: parseOrderBy(query.orderBy),
    maxResults: checkMaxResults(query.maxResults),
    offset: query.pageToken === undefined || query.pageToken === '' ? 0 : decodePageToken(query.pageToken),
    runViewType,
    parentRunId: query.parentRunId,
    nested: query.nested === true,
  };
}

/** Cuts `rows` (the page plus at most one more row) to the page and says whether more follow. */
export function toPage<T>(rows: T[], search: PreparedSearch): SearchRunsPage<T> {
  if (rows.length <= search.maxResults) return { items: rows };
  return { items: rows.slice(0, search.maxResults), nextPageToken: encodePageToken(search.offset + search.maxResults) };
}

export function encodePageToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`, 'utf8').toString('base64');
}

/** @throws ConfigError for anything but a token from encodePageToken (or MLflow) */
export function decodePageToken(token: string): number {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) {
    throw new ConfigError(`page_token: invalid page token, could not base64-decode ${JSON.stringify(token)}`, {
      hint: 'pass the nextPageToken of the previous page unchanged',
    });
  }
  let offset: unknown;
  try {
    offset = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown } | null)?.offset;
  } catch {
    offset = undefined;
  }
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset <= 0) {
    throw new ConfigError(`page_token: invalid page token, expected base64 of {"offset": N} with N > 0, got ${JSON.stringify(token)}`, {
      hint: 'pass the nextPageToken of the previous page unchanged',
    });
  }
  return offset;
}

// --- internal ---

function checkMaxResults(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RESULTS;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`max_results must be a positive integer, got ${String(value)}`);
  }
  if (value > MAX_RESULTS_LIMIT) {
    throw new ConfigError(`max_results must be at most ${MAX_RESULTS_LIMIT}, got ${value}`, {
      hint: 'page through larger results with the page token',
    });
  }
  return value;
}
