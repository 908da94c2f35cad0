// The UI's JSON routes as a table (method, path, handler over parsed query params), so the server
// mounts them in one loop. The artifact download streams a file: see resolveArtifact in artifacts.ts.
import { ConfigError } from '../errors.js';
import type { TrackingStore } from '../tracking/store.js';
import { artifactPreview, localArtifacts, type LocateArtifacts } from './artifacts.js';
import { compareRuns } from './compare.js';
import type { JsonObject } from './json.js';
import { metricHistory, runPage } from './run-page.js';
import { runChildren, runsTable, type RunsTableOptions } from './runs-table.js';
import { studiesList } from './studies-list.js';
import { studyPage } from './study-page.js';
import { studyTrials } from './study-trials.js';

/** Query params as the server parsed them: a repeated key gives an array. */
export type UiQuery = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface UiContext {
  readonly store: TrackingStore;
  /** Where a run's artifacts are on disk (the server's ArtifactRepo.runDirectory). */
  readonly locate?: LocateArtifacts;
}

export interface UiRoute {
  readonly method: 'GET';
  readonly path: string;
  /** JSON to send with 200. @throws ConfigError (400), NotFoundError (404) */
  readonly handle: (ctx: UiContext, query: UiQuery) => Promise<JsonObject>;
}

export const UI_ROUTES: readonly UiRoute[] = [
  { method: 'GET', path: '/api/ui/studies', handle: async ({ store }) => studiesList(store) },
  {
    method: 'GET', path: '/api/ui/study',
    handle: async ({ store }, q) => studyPage(store, required(q, 'name'), {
      ...optionalNumber(q, 'since', 'since'), ...optionalNumber(q, 'max_curves', 'maxCurves'), ...optionalNumber(q, 'max_curve_points', 'maxCurvePoints'),
    }),
  },
  {
    method: 'GET', path: '/api/ui/study/trials',
    handle: async ({ store }, q) => studyTrials(store, required(q, 'name'), {
      ...optionalString(q, 'filter', 'filter'), ...optionalString(q, 'order_by', 'orderBy'),
      ...optionalNumber(q, 'page_size', 'pageSize'), ...optionalString(q, 'page_token', 'pageToken'),
    }),
  },
  { method: 'GET', path: '/api/ui/runs', handle: async ({ store }, q) => runsTable(store, required(q, 'experiment_id'), tableOptions(q)) },
  { method: 'GET', path: '/api/ui/runs/children', handle: async ({ store }, q) => runChildren(store, required(q, 'run_id'), tableOptions(q)) },
  {
    method: 'GET', path: '/api/ui/run',
    handle: async ({ store, locate }, q) => runPage(store, required(q, 'run_id'), { ...optionalNumber(q, 'max_points', 'maxPoints'), locate: locate ?? localArtifacts }),
  },
  {
    method: 'GET', path: '/api/ui/metric-history',
    handle: async ({ store }, q) => metricHistory(store, required(q, 'run_id'), required(q, 'key'), optionalNumber(q, 'max_points', 'n').n ?? 1000),
  },
  {
    method: 'GET', path: '/api/ui/compare',
    handle: async ({ store }, q) => compareRuns(store, list(q, 'run_ids'), optionalNumber(q, 'max_points', 'n').n ?? 500),
  },
  {
    method: 'GET', path: '/api/ui/artifact/preview',
    handle: async ({ store, locate }, q) => artifactPreview(store, required(q, 'run_id'), required(q, 'path'), locate ?? localArtifacts),
  },
];

// --- internal ---

function first(q: UiQuery, key: string): string | undefined {
  const v = q[key];
  return typeof v === 'string' ? v : v?.[0];
}

function required(q: UiQuery, key: string): string {
  const v = first(q, key);
  if (v === undefined || v === '') throw new ConfigError(`query parameter ${key} is required`);
  return v;
}

function optionalString<K extends string>(q: UiQuery, key: string, as: K): Partial<Record<K, string>> {
  const v = first(q, key);
  return v === undefined || v === '' ? {} : ({ [as]: v } as Record<K, string>);
}

function optionalNumber<K extends string>(q: UiQuery, key: string, as: K): Partial<Record<K, number>> {
  const v = first(q, key);
  if (v === undefined || v === '') return {};
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ConfigError(`query parameter ${key} must be a number, got ${JSON.stringify(v)}`);
  return { [as]: n } as Record<K, number>;
}

/** Repeated keys and comma-separated values both work: `a=x&a=y` or `a=x,y`. */
function list(q: UiQuery, key: string): string[] {
  const v = q[key];
  const raw = v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
  return raw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

function tableOptions(q: UiQuery): RunsTableOptions {
  const orderBy = q['order_by'] === undefined ? [] : typeof q['order_by'] === 'string' ? [q['order_by']] : [...(q['order_by'] as readonly string[])];
  const columns = list(q, 'columns');
  return {
    ...optionalString(q, 'filter', 'filter'),
    ...(orderBy.filter((o) => o.trim() !== '').length > 0 && { orderBy: orderBy.filter((o) => o.trim() !== '') }),
    ...optionalNumber(q, 'page_size', 'pageSize'),
    ...optionalString(q, 'page_token', 'pageToken'),
    ...(columns.length > 0 && { columns }),
    ...(first(q, 'nested') === 'false' && { nested: false }),
  };
}
