// The TrackingStore contract for studies with several objectives: the metric names of a study, every
// objective's value of a trial, each logged as its own metric on the trial's run (so MLflow searches
// filter on them), constraints kept with the trial. Run by describeStoreContract for every store.
import { describe, expect, it } from 'vitest';
import type { TrackingStore, NewStudy } from '../../src/tracking/store.js';

const twoObjectives = (name: string): NewStudy => ({
  name,
  directions: ['minimize', 'maximize'],
  metric: 'error',
  metrics: ['error', 'accuracy'],
  space: null,
  sampler: { name: 'nsga2' },
  seed: 1,
});

export function describeMultiObjectiveContract(getStore: () => TrackingStore): void {
  describe('several objectives', () => {
    it('keeps a study\'s directions and metric names', async () => {
      const store = getStore();
      const created = await store.createStudy(twoObjectives('mo'));
      expect(created).toMatchObject({ directions: ['minimize', 'maximize'], metric: 'error', metrics: ['error', 'accuracy'] });
      expect(await store.getStudy('mo')).toEqual(created);
      const single = await store.createStudy({ ...twoObjectives('so'), directions: ['minimize'], metric: 'loss', metrics: undefined });
      expect(single.metrics).toBeUndefined();
    });

    it('stores every value of a trial and logs each objective as its own metric', async () => {
      const store = getStore();
      const s = await store.createStudy(twoObjectives('mo'));
      const t = await store.createTrial(s.studyId, {});
      await store.finishTrial(t.trialId, {
        state: 'COMPLETE',
        value: 0.25,
        values: [0.25, 0.9],
        systemAttrs: { constraints: [-1, 0.5] },
      });
      const [stored] = await store.getTrials(s.studyId);
      expect(stored).toMatchObject({ state: 'COMPLETE', value: 0.25, values: [0.25, 0.9], systemAttrs: { constraints: [-1, 0.5] } });
      const run = await store.getRun(t.runId);
      expect(run.data.metrics['error']?.value).toBe(0.25);
      expect(run.data.metrics['accuracy']?.value).toBe(0.9);
      const found = await store.searchRuns({ experimentIds: [s.experimentId], filter: 'metrics.error < 0.5 and metrics.accuracy > 0.8' });
      expect(found.items.map((r) => r.info.runId)).toEqual([t.runId]);
      // Several objectives have a front, not one best value.
      const [summary] = await store.listStudies();
      expect(summary?.bestValue).toBeNull();
    });

    it('never makes an infeasible trial the best of one objective', async () => {
      const store = getStore();
      const s = await store.createStudy({ name: 'so', directions: ['minimize'], metric: 'loss', space: null, sampler: { name: 'tpe' }, seed: 1 });
      const feasible = await store.createTrial(s.studyId, {});
      await store.finishTrial(feasible.trialId, { state: 'COMPLETE', value: 2, systemAttrs: { constraints: [-1, 0] } });
      const infeasible = await store.createTrial(s.studyId, {});
      await store.finishTrial(infeasible.trialId, { state: 'COMPLETE', value: 1, systemAttrs: { constraints: [0.5, -1] } });
      const parent = await store.getRun(s.parentRunId);
      expect(parent.data.tags['sweep.best_trial']).toBe('0');
      expect(parent.data.metrics['loss']?.value).toBe(2);
      const unconstrained = await store.createTrial(s.studyId, {});
      await store.finishTrial(unconstrained.trialId, { state: 'COMPLETE', value: 1.5 });
      expect((await store.getRun(s.parentRunId)).data.tags['sweep.best_trial']).toBe('2');
      const [summary] = (await store.listStudies()).filter((x) => x.study.name === 'so');
      expect(summary?.bestValue).toBe(1.5);
    });

    it('refuses a COMPLETE trial without one finite value per objective', async () => {
      const store = getStore();
      const s = await store.createStudy(twoObjectives('mo'));
      const t = await store.createTrial(s.studyId, {});
      await expect(store.finishTrial(t.trialId, { state: 'COMPLETE', value: 1 })).rejects.toMatchObject({ code: 'E_INVALID_TRANSITION' });
      await expect(store.finishTrial(t.trialId, { state: 'COMPLETE', value: 1, values: [1] })).rejects.toMatchObject({ code: 'E_INVALID_TRANSITION' });
      await expect(store.finishTrial(t.trialId, { state: 'COMPLETE', value: 1, values: [1, Number.NaN] })).rejects.toThrow();
      expect((await store.getTrials(s.studyId))[0]?.state).toBe('RUNNING');
      await store.finishTrial(t.trialId, { state: 'FAIL' });
      const [failed] = await store.getTrials(s.studyId);
      expect(failed?.value).toBeNull();
      expect(failed?.values ?? null).toBeNull();
    });
  });
}
