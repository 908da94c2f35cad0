// Part of the TrackingStore contract (store.contract.ts calls it): searchRuns with `nested`, sweep's
// extension that pages through top-level runs with their children so no child is orphaned.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src/tracking/entities.js';
import type { SearchRunsPage, SearchRunsQuery } from '../../src/tracking/search/query.js';
import type { TrackingStore } from '../../src/tracking/store.js';

/*
 * One experiment:  P1 (loss 0.2) -> c1 (adam, 0.3) -> g (adam, 0.05)
 *                                -> c2 (sgd, 0.1)
 *                                -> c3 (adam, 0.9)
 *                  P2 (loss 0.5) -> d1 (sgd, 0.6)
 *                  T  (adam, 0.4), top-level
 */
export function describeNestedSearchContract(getStore: () => TrackingStore): void {
  describe('nested search (sweep extension)', () => {
    let store: TrackingStore;
    let experimentId: string;
    const ids = new Map<string, string>();
    const names = new Map<string, string>();

    beforeEach(async () => {
      store = getStore();
      ids.clear();
      names.clear();
      experimentId = (await store.createExperiment('nested')).experimentId;
      const add = async (name: string, loss: number, opt?: string, parent?: string): Promise<void> => {
        const parentRunId = parent === undefined ? undefined : ids.get(parent);
        const run = await store.createRun({ experimentId, runName: name, ...(parentRunId !== undefined && { parentRunId }) });
        await store.logBatch(run.info.runId, {
          metrics: [{ key: 'loss', value: loss, step: 0, timestamp: 1 }],
          ...(opt !== undefined && { params: { opt } }),
        });
        ids.set(name, run.info.runId);
        names.set(run.info.runId, name);
      };
      await add('P1', 0.2);
      await add('c1', 0.3, 'adam', 'P1');
      await add('g', 0.05, 'adam', 'c1');
      await add('c2', 0.1, 'sgd', 'P1');
      await add('c3', 0.9, 'adam', 'P1');
      await add('P2', 0.5);
      await add('d1', 0.6, 'sgd', 'P2');
      await add('T', 0.4, 'adam');
    });

    const search = (extra: Partial<SearchRunsQuery>): Promise<SearchRunsPage<Run>> =>
      store.searchRuns({ experimentIds: [experimentId], orderBy: ['metrics.loss ASC'], ...extra });
    const named = (runs: readonly Run[]): string[] => runs.map((r) => names.get(r.info.runId) ?? r.info.runId);
    const tree = (page: SearchRunsPage<Run>): Record<string, string[]> =>
      Object.fromEntries(Object.entries(page.children ?? {}).map(([id, runs]) => [names.get(id) ?? id, named(runs)]));

    it('leaves the flat search unchanged when off', async () => {
      const page = await search({ filter: "params.opt = 'adam'" });
      expect(named(page.items)).toEqual(['g', 'c1', 'T', 'c3']);
      expect(page.children).toBeUndefined();
    });

    it('lists a parent when a child matches, with its matching children under it, in order', async () => {
      const page = await search({ filter: "params.opt = 'adam'", nested: true });
      expect(named(page.items)).toEqual(['P1', 'T']);
      expect(tree(page)).toEqual({ P1: ['c1', 'c3'], c1: ['g'] });
      expect(page.children?.[ids.get('P1') as string]?.[0]?.data.params).toEqual({ opt: 'adam' });
      expect(page.nextPageToken).toBeUndefined();
    });

    it('orders and pages the top-level runs only, each page with its own children', async () => {
      const first = await search({ nested: true, maxResults: 2 });
      expect(named(first.items)).toEqual(['P1', 'T']);
      expect(tree(first)).toEqual({ P1: ['c2', 'c1', 'c3'], c1: ['g'] });
      const second = await search({ nested: true, maxResults: 2, pageToken: first.nextPageToken });
      expect(named(second.items)).toEqual(['P2']);
      expect(tree(second)).toEqual({ P2: ['d1'] });
      expect(second.nextPageToken).toBeUndefined();
      const descending = await search({ nested: true, orderBy: ['metrics.loss DESC'] });
      expect(named(descending.items)).toEqual(['P2', 'T', 'P1']);
      expect(tree(descending)).toEqual({ P1: ['c3', 'c1', 'c2'], c1: ['g'], P2: ['d1'] });
    });

    it('lists a parent that matches by itself without its non-matching children', async () => {
      const page = await search({ filter: "attributes.run_name = 'P2'", nested: true });
      expect(named(page.items)).toEqual(['P2']);
      expect(page.children).toEqual({});
    });

    it('lists a child whose parent is out of scope (deleted) as top-level', async () => {
      await store.setRunLifecycle(ids.get('P2') as string, 'deleted');
      const page = await search({ filter: "params.opt = 'sgd'", nested: true });
      expect(named(page.items)).toEqual(['P1', 'd1']);
      expect(tree(page)).toEqual({ P1: ['c2'] });
    });

    it('takes the children of parentRunId as the top-level runs', async () => {
      const page = await search({ parentRunId: ids.get('P1') as string, nested: true });
      expect(named(page.items)).toEqual(['c2', 'c1', 'c3']);
      expect(tree(page)).toEqual({ c1: ['g'] });
      const filtered = await search({ parentRunId: ids.get('P1') as string, filter: 'metrics.loss < 0.1', nested: true });
      expect(named(filtered.items)).toEqual(['c1']);
      expect(tree(filtered)).toEqual({ c1: ['g'] });
    });
  });
}
