// `sweep runs search|get|delete|restore` and `sweep metrics history`: MLflow runs in the store, searched
// with MLflow's filter grammar and printed as a table, JSON or CSV.
import { ConfigError } from '../../errors.js';
import type { Run } from '../../tracking/entities.js';
import type { RunViewType } from '../../tracking/search/query.js';
import type { TrackingStore } from '../../tracking/store.js';
import { formatValue, table } from '../format.js';
import { intFlag, stringFlag, withStore, type CliIO } from '../io.js';
import { resolveExperiment } from './experiments.js';

export interface RunsFlags {
  readonly storage?: unknown;
  readonly experiment?: unknown;
  readonly filter?: unknown;
  readonly orderBy?: unknown;
  readonly maxResults?: unknown;
  readonly pageToken?: unknown;
  readonly view?: unknown;
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly nested?: boolean;
}

export async function runsCommand(action: string, args: readonly string[], flags: RunsFlags, io: CliIO): Promise<number> {
  if (action === 'search') {
    if (args.length > 0) throw new ConfigError(`runs search takes no arguments, got ${args.join(' ')}`, { hint: 'quote the filter: --filter "metrics.loss < 0.5"' });
    return withStore(flags.storage, io, (store) => search(store, flags, io));
  }
  const runId = args[0];
  if (runId === undefined || args.length > 1) throw new ConfigError(`runs ${action} takes one argument, RUN_ID; got ${args.length}`);
  switch (action) {
    case 'get':
      return withStore(flags.storage, io, async (store) => {
        const run = await store.getRun(runId);
        io.stdout.write(flags.json ? `${JSON.stringify(runJsonForCli(run), null, 2)}\n` : describeRun(run));
        return 0;
      });
    case 'delete':
    case 'restore':
      return withStore(flags.storage, io, async (store) => {
        const run = await store.setRunLifecycle(runId, action === 'delete' ? 'deleted' : 'active');
        io.stdout.write(`${action === 'delete' ? 'Deleted' : 'Restored'} run ${runId} "${run.info.runName}"\n`);
        return 0;
      });
    default:
      throw new ConfigError(`unknown action "runs ${action}"`, { hint: 'use search, get, delete or restore' });
  }
}

export async function metricsCommand(action: string, args: readonly string[], flags: RunsFlags, io: CliIO): Promise<number> {
  if (action !== 'history') throw new ConfigError(`unknown action "metrics ${action}"`, { hint: 'use: sweep metrics history RUN_ID KEY' });
  const [runId, key, ...rest] = args;
  if (runId === undefined || key === undefined || rest.length > 0) throw new ConfigError(`metrics history takes two arguments, RUN_ID KEY; got ${args.length}`);
  return withStore(flags.storage, io, async (store) => {
    const history = await store.getMetricHistory(runId, key);
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(history.map((m) => ({ ...m, value: jsonNumber(m.value) })), null, 2)}\n`);
      return 0;
    }
    if (history.length === 0) {
      io.stdout.write(`run ${runId} has no metric "${key}"\n`);
      return 0;
    }
    const rows = history.map((m) => [String(m.step), new Date(m.timestamp).toISOString(), formatValue(m.value)]);
    io.stdout.write(`${table(['step', 'timestamp', key], rows)}\n`);
    return 0;
  });
}

// --- internal ---

async function search(store: TrackingStore, flags: RunsFlags, io: CliIO): Promise<number> {
  const names = listFlag(flags.experiment);
  const experiments = names.length > 0
    ? await Promise.all(names.map((n) => resolveExperiment(store, n)))
    : (await store.listExperiments()).filter((e) => e.lifecycleStage === 'active');
  const view = stringFlag('view', flags.view)?.toUpperCase();
  const runViewType = view === undefined ? undefined : ({ ACTIVE: 'ACTIVE_ONLY', DELETED: 'DELETED_ONLY', ALL: 'ALL' } as Record<string, RunViewType>)[view];
  if (view !== undefined && runViewType === undefined) throw new ConfigError(`--view must be active, deleted or all, got ${view.toLowerCase()}`);
  const filter = stringFlag('filter', flags.filter);
  const maxResults = intFlag('max-results', flags.maxResults, 1);
  const pageToken = stringFlag('page-token', flags.pageToken);
  const page = await store.searchRuns({
    experimentIds: experiments.map((e) => e.experimentId),
    orderBy: listFlag(flags.orderBy),
    ...(filter !== undefined && { filter }),
    ...(maxResults !== undefined && { maxResults }),
    ...(pageToken !== undefined && { pageToken }),
    ...(runViewType !== undefined && { runViewType }),
    ...(flags.nested === true && { nested: true }),
  });
  const children = page.children ?? {};
  // With --nested: each top-level run followed by the runs below it, depth-first.
  const tree: { run: Run; depth: number }[] = [];
  const add = (run: Run, depth: number): void => {
    tree.push({ run, depth });
    for (const child of children[run.info.runId] ?? []) add(child, depth + 1);
  };
  for (const run of page.items) add(run, 0);
  const runs = tree.map((t) => t.run);
  if (flags.json) {
    const nestedJson = (run: Run): unknown => ({ ...(runJsonForCli(run) as object), children: (children[run.info.runId] ?? []).map(nestedJson) });
    io.stdout.write(`${JSON.stringify(page.items.map(flags.nested === true ? nestedJson : runJsonForCli), null, 2)}\n`);
    if (page.nextPageToken !== undefined) io.stderr.write(`more runs follow: pass --page-token ${page.nextPageToken}\n`);
    return 0;
  }
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.data.metrics)))].sort();
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.data.params)))].sort();
  const withParent = flags.nested === true && flags.csv === true;
  const header = ['run_id', ...(withParent ? ['parent_run_id'] : []), 'run_name', 'status', 'start_time', ...metricKeys.map((k) => `metrics.${k}`), ...paramKeys.map((k) => `params.${k}`)];
  const depth = new Map(tree.map((t) => [t.run, t.depth]));
  const cells = (r: Run, format: (v: number) => string): string[] => [
    r.info.runId, ...(withParent ? [r.info.parentRunId ?? ''] : []),
    flags.csv ? r.info.runName : indent(depth.get(r) ?? 0, r.info.runName), r.info.status, flags.csv ? String(r.info.startTime) : new Date(r.info.startTime).toISOString().replace('T', ' ').slice(0, 19),
    ...metricKeys.map((k) => { const m = r.data.metrics[k]; return m === undefined ? '' : format(m.value); }),
    ...paramKeys.map((k) => r.data.params[k] ?? ''),
  ];
  if (flags.csv) {
    io.stdout.write([header, ...runs.map((r) => cells(r, String))].map((row) => row.map(csvCell).join(',')).join('\n') + '\n');
  } else if (runs.length === 0) {
    io.stdout.write(`No runs match in ${experiments.map((e) => `"${e.name}"`).join(', ') || 'the store'}.\n`);
  } else {
    io.stdout.write(`${table(header, runs.map((r) => cells(r, formatValue).map((c) => c || '-')))}\n`);
  }
  if (page.nextPageToken !== undefined) io.stderr.write(`more runs follow: pass --page-token ${page.nextPageToken}\n`);
  return 0;
}

function describeRun(run: Run): string {
  const i = run.info;
  const lines = [
    `run ${i.runId} "${i.runName}"`,
    `  experiment ${i.experimentId}, ${i.status}, ${i.lifecycleStage}`,
    `  started ${new Date(i.startTime).toISOString()}${i.endTime === null ? '' : `, ended ${new Date(i.endTime).toISOString()}`}`,
    `  artifacts ${i.artifactUri}`,
  ];
  const section = (title: string, entries: [string, string][]): void => {
    if (entries.length === 0) return;
    lines.push(`${title}:`, ...entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  ${k} = ${v}`));
  };
  section('params', Object.entries(run.data.params));
  section('metrics', Object.values(run.data.metrics).map((m) => [m.key, `${formatValue(m.value)} (step ${m.step})`]));
  section('tags', Object.entries(run.data.tags));
  return `${lines.join('\n')}\n`;
}


/** A flag given once or repeated (cac gives an array); empty values dropped. */
function listFlag(value: unknown): string[] {
  if (value === undefined || value === true || value === false) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '');
}

/** The run as sweep's entity, with NaN and infinite metric values as strings (JSON has no NaN). */
function runJsonForCli(run: Run): unknown {
  const metrics = Object.fromEntries(Object.entries(run.data.metrics).map(([k, m]) => [k, { ...m, value: jsonNumber(m.value) }]));
  return { info: run.info, data: { ...run.data, metrics } };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function jsonNumber(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/** A run name under its parent in the --nested table. */
function indent(depth: number, name: string): string {
  return depth === 0 ? name : `${'  '.repeat(depth - 1)}└ ${name}`;
}
