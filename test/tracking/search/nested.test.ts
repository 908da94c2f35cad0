// Nested search (SearchRunsQuery.nested) two ways on the same fixture: the SQLite query
// (searchNestedRunIds) and the in-memory evaluator must give the same top-level runs, children and
// tokens. The fixture gains three runs: g1 under r1 (a grandchild of p1), k6 under the deleted r6,
// and x2 in experiment 2 under p1 (a parent in another experiment).
import { afterAll, describe, expect, it } from 'vitest';
import { searchNestedRunIds, searchRunRows, type SearchRunsQuery } from '../../../src/tracking/search/index.js';
import { RunStatements } from '../../../src/tracking/sqlite/run-statements.js';
import { logBatchToRow, type RunRow } from '../../../src/tracking/memory-runs.js';
import type { RunInfo } from '../../../src/tracking/entities.js';
import { makeFixture } from './fixture.js';

const { db, rows } = makeFixture();
afterAll(() => db.close());

const statements = new RunStatements(db);
for (const [id, experimentId, parent, loss, opt] of [
  ['g1', '1', 'r1', 0.05, 'adam'], ['k6', '1', 'r6', 0.15, 'sgd'], ['x2', '2', 'p1', 0.01, 'adam'],
] as const) {
  const info: RunInfo = {
    runId: id, experimentId, runName: id, status: 'FINISHED', startTime: 2000, endTime: 2001, lifecycleStage: 'active',
    artifactUri: `/a/${id}`, userId: 'dora', parentRunId: parent,
  };
  const batch = { params: { opt }, metrics: [{ key: 'loss', value: loss, step: 0, timestamp: 2000 }] };
  db.transaction(() => {
    statements.insertRun(info, { 'mlflow.runName': id });
    statements.writeBatch(id, batch);
  })();
  const row: RunRow = { info, params: new Map(), tags: new Map([['mlflow.runName', id]]), latest: new Map(), history: new Map() };
  logBatchToRow(row, batch);
  rows.push(row);
}

interface Answer { tops: string[]; children: Record<string, string[]>; next?: string }

/** Both backends' answer; fails unless they agree. */
function nested(query: Partial<SearchRunsQuery>): Answer {
  const q: SearchRunsQuery = { experimentIds: ['1'], ...query, nested: true };
  const page = searchRunRows(rows, q);
  const memory: Answer = {
    tops: page.items.map((r) => r.info.runId),
    children: Object.fromEntries(Object.entries(page.children ?? {}).map(([id, list]) => [id, list.map((r) => r.info.runId)])),
    ...(page.nextPageToken !== undefined && { next: page.nextPageToken }),
  };
  const sql = searchNestedRunIds(db, q);
  expect({ tops: sql.runIds, children: sql.children, ...(sql.nextPageToken !== undefined && { next: sql.nextPageToken }) }).toEqual(memory);
  return memory;
}

describe('nested search: SQLite and memory agree', () => {
  it.each<[Partial<SearchRunsQuery>, Answer]>([
    // No filter: every top-level run (k6 too: its parent is deleted), p1 with its children (default
    // order: start_time DESC), r1 with g1.
    [{}, { tops: ['k6', 'p1', 'r5', 'r7', 'r8'], children: { p1: ['r3', 'r4', 'r2', 'r1'], r1: ['g1'] } }],
    // k6's parent r6 is deleted: out of scope for ACTIVE_ONLY, so k6 is top-level.
    [{ filter: "params.opt = 'sgd'" }, { tops: ['k6', 'p1'], children: { p1: ['r2'] } }],
    [{ runViewType: 'ALL', filter: "params.opt = 'sgd'" }, { tops: ['r6', 'p1'], children: { r6: ['k6'], p1: ['r2'] } }],
    [{ runViewType: 'DELETED_ONLY' }, { tops: ['r6'], children: {} }],
    // A grandchild match brings its parent and grandparent; ordered by a metric, missing and NaN last.
    [{ filter: 'metrics.loss < 0.1', orderBy: ['metrics.loss'] }, { tops: ['r7', 'p1'], children: { p1: ['r1'], r1: ['g1'] } }],
    [{ filter: "params.opt = 'adam'", orderBy: ['metrics.loss DESC'] }, { tops: ['p1', 'r8'], children: { p1: ['r1', 'r3', 'r4'], r1: ['g1'] } }],
    // x2 lives in experiment 2: a top-level run there, a child of p1 when both experiments are searched.
    [{ experimentIds: ['2'] }, { tops: ['x2', 'r9'], children: {} }],
    [{ experimentIds: ['1', '2'], filter: 'metrics.loss < 0.03' }, { tops: ['p1', 'r7'], children: { p1: ['x2'] } }],
    // parentRunId: its children are the top level.
    [{ parentRunId: 'p1', filter: 'metrics.loss < 0.5' }, { tops: ['r1'], children: { r1: ['g1'] } }],
    [{ parentRunId: 'r1' }, { tops: ['g1'], children: {} }],
  ])('%j', (query, expected) => {
    expect(nested(query)).toEqual(expected);
  });

  it('pages through the top-level runs, children with their parent', () => {
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = nested({ maxResults: 1, ...(next !== undefined && { pageToken: next }) });
      expect(page.tops).toHaveLength(1);
      seen.push(...page.tops);
      if (page.tops[0] === 'p1') expect(page.children).toEqual({ p1: ['r3', 'r4', 'r2', 'r1'], r1: ['g1'] });
      else expect(page.children).toEqual({});
      next = page.next;
    } while (next !== undefined);
    expect(seen).toEqual(['k6', 'p1', 'r5', 'r7', 'r8']);
  });

  it('reports filter errors as for the flat search', () => {
    expect(() => searchNestedRunIds(db, { experimentIds: ['1'], filter: 'metrics.loss <', nested: true })).toThrow(/filter/);
  });
});
