// The TrackingStore contract, written once and run against every implementation.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { TrackingStore, NewStudy } from '../../src/tracking/store.js';
import type { TrialParamInput } from '../../src/tracking/entities.js';
import { storeNow } from '../../src/study/liveness.js';
import { describeNestedSearchContract } from './nested-search.contract.js';
import { describeMultiObjectiveContract } from './multi-objective.contract.js';
import { describeRegistryContract } from './registry.contract.js';

const study = (name: string, extra: Partial<NewStudy> = {}): NewStudy => ({
  name,
  directions: ['minimize'],
  metric: 'loss',
  space: null,
  sampler: { name: 'random' },
  seed: 1,
  ...extra,
});

const param = (name: string, value: number): TrialParamInput => ({
  name,
  value,
  distribution: { kind: 'uniform', low: 0, high: 10 },
  label: String(value),
});

export function describeStoreContract(name: string, makeStore: () => TrackingStore): void {
  describe(`TrackingStore contract: ${name}`, () => {
    let store: TrackingStore;
    beforeEach(() => {
      store = makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('experiments', () => {
      it('creates an experiment and finds it by id and by name', async () => {
        const e = await store.createExperiment('exp', { team: 'a' });
        expect(await store.getExperiment(e.experimentId)).toEqual(e);
        expect(await store.getExperimentByName('exp')).toEqual(e);
        expect(e.tags).toEqual({ team: 'a' });
        expect(e.lifecycleStage).toBe('active');
      });

      it('refuses a duplicate experiment name', async () => {
        await store.createExperiment('exp');
        await expect(store.createExperiment('exp')).rejects.toMatchObject({ code: 'E_DUPLICATE' });
      });

      it('renames, deletes, restores and tags an experiment', async () => {
        const e = await store.createExperiment('exp');
        await store.createExperiment('other');
        expect((await store.renameExperiment(e.experimentId, 'renamed')).name).toBe('renamed');
        await expect(store.renameExperiment(e.experimentId, 'other')).rejects.toMatchObject({ code: 'E_DUPLICATE' });
        expect((await store.setExperimentLifecycle(e.experimentId, 'deleted')).lifecycleStage).toBe('deleted');
        expect((await store.setExperimentLifecycle(e.experimentId, 'active')).lifecycleStage).toBe('active');
        await store.setExperimentTag(e.experimentId, 'team', 'ml');
        expect((await store.getExperiment(e.experimentId)).tags).toEqual({ team: 'ml' });
        await expect(store.setExperimentTag('999', 'a', 'b')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });

      it('creates the Default experiment "0" once', async () => {
        const first = await store.ensureDefaultExperiment();
        expect(first).toMatchObject({ experimentId: '0', name: 'Default', lifecycleStage: 'active' });
        expect(await store.ensureDefaultExperiment()).toEqual(first);
        const other = await store.createExperiment('next');
        expect(other.experimentId).not.toBe('0');
      });

      it('refuses to delete the Default experiment "0", keeping it and its runs active', async () => {
        await store.ensureDefaultExperiment();
        const run = await store.createRun({ experimentId: '0' });
        await expect(store.setExperimentLifecycle('0', 'deleted')).rejects.toMatchObject({ code: 'E_INVALID_TRANSITION', message: expect.stringMatching(/Default experiment \(id 0\) cannot be deleted/) });
        expect((await store.getExperiment('0')).lifecycleStage).toBe('active');
        expect((await store.getRun(run.info.runId)).info.lifecycleStage).toBe('active');
        expect((await store.setExperimentLifecycle('0', 'active')).lifecycleStage).toBe('active');
      });

      it('deletes and restores an experiment\'s runs with it', async () => {
        const e = await store.createExperiment('exp');
        const a = await store.createRun({ experimentId: e.experimentId });
        const b = await store.createRun({ experimentId: e.experimentId });
        expect(a.info.runName).not.toBe(b.info.runName);
        await store.setExperimentLifecycle(e.experimentId, 'deleted');
        expect((await store.getRun(a.info.runId)).info.lifecycleStage).toBe('deleted');
        expect((await store.searchRuns({ experimentIds: [e.experimentId] })).items).toHaveLength(0);
        await store.setExperimentLifecycle(e.experimentId, 'active');
        expect((await store.searchRuns({ experimentIds: [e.experimentId] })).items).toHaveLength(2);
      });

      it('knows an experiment only by the id it handed out, not by another spelling of the number', async () => {
        await store.ensureDefaultExperiment();
        const e = await store.createExperiment('exp');
        expect(e.experimentId).toBe('1');
        for (const id of ['01', ' 1', '1 ', '+1', '1.0', '1e0', '0x1', '00']) {
          await expect(store.getExperiment(id), id).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
          await expect(store.createRun({ experimentId: id }), id).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        }
        await expect(store.setExperimentLifecycle('00', 'deleted')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        expect((await store.getExperiment('0')).lifecycleStage).toBe('active');
      });

      it('refuses a run in a deleted experiment, also one it created runs in before', async () => {
        const e = await store.createExperiment('exp');
        await store.createRun({ experimentId: e.experimentId });
        await store.setExperimentLifecycle(e.experimentId, 'deleted');
        await expect(store.createRun({ experimentId: e.experimentId })).rejects.toMatchObject({
          code: 'E_INVALID_TRANSITION', message: `The experiment ${e.experimentId} must be in the 'active' state. Current state is deleted.`,
        });
        await store.setExperimentLifecycle(e.experimentId, 'active');
        expect((await store.createRun({ experimentId: e.experimentId })).info.lifecycleStage).toBe('active');
      });

      it('never leaves an active run in an experiment deleted at the same moment', async () => {
        for (let i = 0; i < 10; i++) {
          const e = await store.createExperiment(`race${i}`);
          await store.createRun({ experimentId: e.experimentId });
          const results = await Promise.allSettled([
            store.createRun({ experimentId: e.experimentId }),
            store.setExperimentLifecycle(e.experimentId, 'deleted'),
            store.createRun({ experimentId: e.experimentId }),
          ]);
          for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'E_INVALID_TRANSITION' });
          const runs = (await store.searchRuns({ experimentIds: [e.experimentId], runViewType: 'ALL' })).items;
          expect(runs.filter((r) => r.info.lifecycleStage === 'active')).toEqual([]);
        }
      });

      it('finds nothing, without an error, for names and ids holding U+0000 (which PostgreSQL cannot store)', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        expect(await store.getExperimentByName('exp\u0000')).toBeUndefined();
        await expect(store.getRun(`${info.runId}\u0000`)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        await expect(store.getMetricHistory(`${info.runId}\u0000`, 'm')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        expect(await store.getMetricHistory(info.runId, 'm\u0000')).toEqual([]);
        await expect(store.registry.getRegisteredModel('m\u0000')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });

      it('throws NotFoundError for an unknown experiment id', async () => {
        await expect(store.getExperiment('999')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        expect(await store.getExperimentByName('nope')).toBeUndefined();
      });
    });

    describe('runs', () => {
      it('keeps params, tags and metrics named like Object.prototype members (__proto__, constructor) as any other', async () => {
        const names = ['__proto__', 'constructor', 'toString'];
        const entries = (value: (k: string) => string) => Object.fromEntries(names.map((k) => [k, value(k)]));
        const e = await store.createExperiment('exp', entries((k) => `e${k}`));
        await store.setExperimentTag(e.experimentId, 'hasOwnProperty', 'h');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        await store.logBatch(info.runId, {
          params: entries((k) => `p${k}`), tags: entries((k) => `t${k}`), metrics: names.map((key, i) => ({ key, value: i, timestamp: 1, step: 0 })),
        });
        const { data } = await store.getRun(info.runId);
        for (const [i, k] of names.entries()) {
          expect([Object.hasOwn(data.params, k), Object.hasOwn(data.tags, k), Object.hasOwn(data.metrics, k)]).toEqual([true, true, true]);
          expect([data.params[k], data.tags[k], data.metrics[k]?.value]).toEqual([`p${k}`, `t${k}`, i]);
        }
        const tags = (await store.getExperiment(e.experimentId)).tags;
        expect(Object.entries(tags).sort()).toEqual([...names.map((k) => [k, `e${k}`]), ['hasOwnProperty', 'h']].sort());
      });

      it('creates a run with system tags and an artifact uri under the experiment', async () => {
        const e = await store.createExperiment('exp');
        const run = await store.createRun({ experimentId: e.experimentId, runName: 'r1', tags: { a: 'b' } });
        expect(run.info.status).toBe('RUNNING');
        expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
        expect(run.info.artifactUri.startsWith(e.artifactLocation)).toBe(true);
        expect(run.data.tags).toMatchObject({ a: 'b', 'mlflow.runName': 'r1' });
      });

      it('keeps params immutable: the same value again is fine, another value throws', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        await store.logBatch(info.runId, { params: { lr: '0.1' } });
        await store.logBatch(info.runId, { params: { lr: '0.1' } });
        await expect(store.logBatch(info.runId, { params: { lr: '0.2' } })).rejects.toMatchObject({ code: 'E_IMMUTABLE' });
        expect((await store.getRun(info.runId)).data.params).toEqual({ lr: '0.1' });
      });

      it('keeps the full metric history and the latest value by step, then timestamp', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        await store.logBatch(info.runId, {
          metrics: [
            { key: 'acc', value: 0.5, step: 2, timestamp: 10 },
            { key: 'acc', value: 0.9, step: 1, timestamp: 20 },
            { key: 'acc', value: 0.7, step: 2, timestamp: 15 },
          ],
        });
        const run = await store.getRun(info.runId);
        // highest step wins; among step 2, the later timestamp
        expect(run.data.metrics['acc']).toMatchObject({ value: 0.7, step: 2 });
        const history = await store.getMetricHistory(info.runId, 'acc');
        expect(history.map((m) => m.value)).toEqual([0.9, 0.5, 0.7]);
      });

      it('keeps a metric point logged again identically once (a retried batch), and points that differ', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        const batch = { metrics: [{ key: 'm', value: 0.5, step: 1, timestamp: 10 }, { key: 'm', value: Number.NaN, step: 2, timestamp: 10 }] };
        await store.logBatch(info.runId, batch);
        await store.logBatch(info.runId, batch);
        await store.logBatch(info.runId, {
          metrics: [
            { key: 'm', value: 0.5, step: 1, timestamp: 10 },
            { key: 'm', value: 0.6, step: 1, timestamp: 10 },
            { key: 'm', value: 0.5, step: 1, timestamp: 11 },
            { key: 'm', value: 0.5, step: 3, timestamp: 10 },
          ],
        });
        const history = await store.getMetricHistory(info.runId, 'm');
        expect(history.map((m) => [m.step, m.timestamp, m.value])).toEqual([[1, 10, 0.5], [1, 10, 0.6], [1, 11, 0.5], [2, 10, Number.NaN], [3, 10, 0.5]]);
      });

      it('stores NaN metrics as NaN', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        await store.logBatch(info.runId, { metrics: [{ key: 'x', value: Number.NaN, step: 0, timestamp: 1 }] });
        expect(Number.isNaN((await store.getMetricHistory(info.runId, 'x'))[0]?.value)).toBe(true);
      });

      it('searches runs with a filter and an order, and pages through them', async () => {
        const e = await store.createExperiment('exp');
        for (const [i, opt] of ['adam', 'sgd', 'adam', 'adam'].entries()) {
          const { info } = await store.createRun({ experimentId: e.experimentId, runName: `r${i}` });
          await store.logBatch(info.runId, { params: { opt }, metrics: [{ key: 'loss', value: 1 / (i + 1), step: 0, timestamp: 1 }] });
        }
        const page = await store.searchRuns({ experimentIds: [e.experimentId], filter: "params.opt = 'adam' and metrics.loss < 0.9", orderBy: ['metrics.loss ASC'], maxResults: 1 });
        expect(page.items.map((r) => r.info.runName)).toEqual(['r3']);
        const next = await store.searchRuns({ experimentIds: [e.experimentId], filter: "params.opt = 'adam' and metrics.loss < 0.9", orderBy: ['metrics.loss ASC'], maxResults: 1, pageToken: page.nextPageToken });
        expect(next.items.map((r) => r.info.runName)).toEqual(['r2']);
        expect(next.nextPageToken).toBeUndefined();
        await expect(store.searchRuns({ experimentIds: [e.experimentId], filter: 'metrics.loss <' })).rejects.toMatchObject({ code: 'E_CONFIG' });
      });

      it('finds nothing, without an error, for no experiment ids or ids that are not numbers', async () => {
        const e = await store.createExperiment('exp');
        await store.createRun({ experimentId: e.experimentId });
        for (const experimentIds of [[], ['abc'], ['-1']]) {
          expect((await store.searchRuns({ experimentIds })).items).toEqual([]);
          expect((await store.searchRuns({ experimentIds, nested: true })).items).toEqual([]);
        }
      });

      it('deletes and restores runs, hiding deleted ones from searches', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        expect((await store.setRunLifecycle(info.runId, 'deleted')).info.lifecycleStage).toBe('deleted');
        expect((await store.searchRuns({ experimentIds: [e.experimentId] })).items).toHaveLength(0);
        expect((await store.searchRuns({ experimentIds: [e.experimentId], runViewType: 'DELETED_ONLY' })).items).toHaveLength(1);
        await store.setRunLifecycle(info.runId, 'active');
        expect((await store.searchRuns({ experimentIds: [e.experimentId] })).items).toHaveLength(1);
      });

      it('deletes a tag, and refuses an unknown one', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId, tags: { a: '1' } });
        await store.deleteTag(info.runId, 'a');
        expect((await store.getRun(info.runId)).data.tags['a']).toBeUndefined();
        await expect(store.deleteTag(info.runId, 'a')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });

      it('updates status and end time', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        const run = await store.updateRun(info.runId, { status: 'FINISHED', endTime: 123 });
        expect(run.info).toMatchObject({ status: 'FINISHED', endTime: 123 });
      });

      it('returns snapshots that later writes do not change', async () => {
        const e = await store.createExperiment('exp');
        const { info } = await store.createRun({ experimentId: e.experimentId });
        const before = await store.getRun(info.runId);
        await store.logBatch(info.runId, { tags: { late: 'yes' } });
        expect(before.data.tags['late']).toBeUndefined();
      });

      it('throws NotFoundError for an unknown run', async () => {
        await expect(store.getRun('0'.repeat(32))).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        await expect(store.logBatch('0'.repeat(32), { tags: { a: 'b' } })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });

      it('lists runs of an experiment and the children of a parent', async () => {
        const e = await store.createExperiment('exp');
        const parent = await store.createRun({ experimentId: e.experimentId });
        await store.createRun({ experimentId: e.experimentId, parentRunId: parent.info.runId });
        await store.createRun({ experimentId: e.experimentId, parentRunId: parent.info.runId });
        expect((await store.searchRuns({ experimentIds: [e.experimentId] })).items).toHaveLength(3);
        const children = (await store.searchRuns({ experimentIds: [e.experimentId], parentRunId: parent.info.runId })).items;
        expect(children).toHaveLength(2);
        for (const c of children) expect(c.data.tags['mlflow.parentRunId']).toBe(parent.info.runId);
      });
    });

    describe('studies and trials', () => {
      it('creates a study with its experiment and a parent run', async () => {
        const s = await store.createStudy(study('s1'));
        const parent = await store.getRun(s.parentRunId);
        expect(parent.info.experimentId).toBe(s.experimentId);
        expect(parent.data.tags['sweep.study']).toBe('s1');
        expect((await store.getExperiment(s.experimentId)).name).toBe('s1');
        expect(await store.getStudy('s1')).toEqual(s);
      });

      it('refuses a duplicate study name', async () => {
        await store.createStudy(study('s1'));
        await expect(store.createStudy(study('s1'))).rejects.toMatchObject({ code: 'E_DUPLICATE' });
      });

      it('puts several studies into one named experiment', async () => {
        const a = await store.createStudy(study('a', { experimentName: 'shared' }));
        const b = await store.createStudy(study('b', { experimentName: 'shared' }));
        expect(a.experimentId).toBe(b.experimentId);
      });

      it('numbers trials 0, 1, 2 and creates a child run tagged with the parent', async () => {
        const s = await store.createStudy(study('s1'));
        const trials = [await store.createTrial(s.studyId, {}), await store.createTrial(s.studyId, {}), await store.createTrial(s.studyId, {})];
        expect(trials.map((t) => t.number)).toEqual([0, 1, 2]);
        const run = await store.getRun(trials[1]!.runId);
        expect(run.info.parentRunId).toBe(s.parentRunId);
        expect(run.data.tags).toMatchObject({ 'mlflow.parentRunId': s.parentRunId, 'sweep.study': 's1', 'sweep.trial': '1' });
      });

      it('stores params given with the expected number in the same call, and ignores them otherwise', async () => {
        const s = await store.createStudy(study('s1'));
        const t0 = await store.createTrial(s.studyId, { expectedNumber: 0, params: [param('x', 1)] });
        expect(t0.params).toEqual({ x: 1 });
        const t1 = await store.createTrial(s.studyId, { expectedNumber: 0, params: [param('x', 2)] });
        expect(t1.number).toBe(1);
        expect(t1.params).toEqual({});
        expect((await store.getRun(t0.runId)).data.params).toEqual({ x: '1' });
      });

      it('holds a claim key once per study', async () => {
        const s = await store.createStudy(study('s1'));
        const other = await store.createStudy(study('s2'));
        await store.createTrial(s.studyId, { claimKey: 'grid:1' });
        await expect(store.createTrial(s.studyId, { claimKey: 'grid:1' })).rejects.toMatchObject({ code: 'E_DUPLICATE' });
        await expect(store.createTrial(other.studyId, { claimKey: 'grid:1' })).resolves.toMatchObject({ number: 0 });
      });

      it('records params on the trial and as run params', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        await store.setTrialParams(t.trialId, [param('x', 3.5)]);
        const [stored] = await store.getTrials(s.studyId);
        expect(stored?.params).toEqual({ x: 3.5 });
        expect(stored?.distributions['x']).toEqual({ kind: 'uniform', low: 0, high: 10 });
        expect((await store.getRun(t.runId)).data.params).toEqual({ x: '3.5' });
      });

      it('stores intermediate values on the trial and as the metric history of the run', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        await store.recordTrialProgress(t.trialId, {
          intermediate: [{ step: 0, value: 3, timestamp: 1 }, { step: 1, value: 2, timestamp: 2 }],
          metrics: [{ key: 'acc', value: 0.5, step: 0, timestamp: 1 }],
          tags: { note: 'hi' },
        });
        const [stored] = await store.getTrials(s.studyId);
        expect(stored?.intermediate).toEqual({ 0: 3, 1: 2 });
        expect((await store.getMetricHistory(t.runId, 'loss')).map((m) => m.value)).toEqual([3, 2]);
        expect((await store.getRun(t.runId)).data).toMatchObject({ tags: { note: 'hi' }, metrics: { acc: { value: 0.5 } } });
      });

      it('keeps NaN and infinite intermediate values beside finite ones', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300];
        await store.recordTrialProgress(t.trialId, { intermediate: values.map((value, step) => ({ step, value, timestamp: 1 })) });
        const [stored] = await store.getTrials(s.studyId);
        expect(stored?.intermediate).toEqual({ 0: Number.NaN, 1: Number.POSITIVE_INFINITY, 2: Number.NEGATIVE_INFINITY, 3: 1e-300 });
      });

      it('reads the distributions of trials of one space back equal', async () => {
        const s = await store.createStudy(study('s1'));
        for (let i = 0; i < 3; i++) {
          const t = await store.createTrial(s.studyId, {});
          await store.setTrialParams(t.trialId, [param('x', i)]);
        }
        const trials = await store.getTrials(s.studyId);
        expect(trials.map((t) => t.distributions)).toEqual([0, 1, 2].map(() => ({ x: { kind: 'uniform', low: 0, high: 10 } })));
      });

      it('finishes a trial: state, value as the final metric point, run status and the parent best', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        await store.recordTrialProgress(t.trialId, { intermediate: [{ step: 4, value: 9, timestamp: Date.now() }] });
        expect(await store.finishTrial(t.trialId, { state: 'COMPLETE', value: 1.5 })).toBe(true);
        const run = await store.getRun(t.runId);
        expect(run.info.status).toBe('FINISHED');
        expect(run.info.endTime).not.toBeNull();
        // the final value is the latest point of the metric, at the last reported step
        expect(run.data.metrics['loss']).toMatchObject({ value: 1.5, step: 4 });
        expect(run.data.tags['sweep.state']).toBe('COMPLETE');
        const parent = await store.getRun(s.parentRunId);
        expect(parent.data.metrics['loss']?.value).toBe(1.5);
        expect(parent.data.tags['sweep.best_trial']).toBe('0');
      });

      it('updates the parent best only on improvement, in the study direction', async () => {
        const s = await store.createStudy(study('max', { directions: ['maximize'] }));
        for (const v of [1, 3, 2]) {
          const t = await store.createTrial(s.studyId, {});
          await store.finishTrial(t.trialId, { state: 'COMPLETE', value: v });
        }
        const parent = await store.getRun(s.parentRunId);
        expect(parent.data.metrics['loss']?.value).toBe(3);
        expect((await store.getMetricHistory(s.parentRunId, 'loss')).map((m) => m.value)).toEqual([1, 3]);
      });

      it('moves the parent best when a better, lower-numbered trial finishes after a higher-numbered best', async () => {
        const s = await store.createStudy(study('late'));
        const early = await store.createTrial(s.studyId, {});
        const late = await store.createTrial(s.studyId, {});
        const end = Date.now();
        await store.finishTrial(late.trialId, { state: 'COMPLETE', value: 5, endTime: end });
        await store.finishTrial(early.trialId, { state: 'COMPLETE', value: 2, endTime: end });
        const parent = await store.getRun(s.parentRunId);
        expect(parent.data.metrics['loss']?.value).toBe(2);
        expect(parent.data.tags['sweep.best_trial']).toBe('0');
        expect((await store.getMetricHistory(s.parentRunId, 'loss')).map((m) => m.value)).toEqual([5, 2]);
      });

      it.each([
        ['PRUNED', 'KILLED'],
        ['FAIL', 'FAILED'],
      ] as const)('maps %s to run status %s', async (state, status) => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        await store.finishTrial(t.trialId, { state });
        const run = await store.getRun(t.runId);
        expect(run.info.status).toBe(status);
        expect(run.data.tags['sweep.state']).toBe(state);
      });

      it('writes buffered reports, params and tags with the outcome', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        await store.finishTrial(t.trialId, {
          state: 'COMPLETE', value: 2, params: [param('y', 4)], intermediate: [{ step: 3, value: 5, timestamp: 1 }], tags: { k: 'v' },
        });
        const [stored] = await store.getTrials(s.studyId);
        expect(stored).toMatchObject({ params: { y: 4 }, intermediate: { 3: 5 }, state: 'COMPLETE', value: 2 });
        const run = await store.getRun(t.runId);
        expect(run.data).toMatchObject({ params: { y: '4' }, tags: { k: 'v' }, metrics: { loss: { value: 2, step: 3 } } });
      });

      it('refuses COMPLETE without a finite value and a value on FAIL', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        await expect(store.finishTrial(t.trialId, { state: 'COMPLETE' })).rejects.toMatchObject({ code: 'E_INVALID_TRANSITION' });
        await expect(store.finishTrial(t.trialId, { state: 'COMPLETE', value: Number.NaN })).rejects.toMatchObject({ code: 'E_INVALID_TRANSITION' });
        await expect(store.finishTrial(t.trialId, { state: 'FAIL', value: 1 })).rejects.toMatchObject({ code: 'E_INVALID_TRANSITION' });
      });

      it('finishes a trial once: a second finish loses the race and changes nothing', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, {});
        expect(await store.finishTrial(t.trialId, { state: 'COMPLETE', value: 1 })).toBe(true);
        expect(await store.finishTrial(t.trialId, { state: 'FAIL' })).toBe(false);
        const [stored] = await store.getTrials(s.studyId);
        expect(stored).toMatchObject({ state: 'COMPLETE', value: 1 });
      });

      it('syncs the trials changed since a cursor (a trial may come again, unchanged, never missing)', async () => {
        const s = await store.createStudy(study('s1'));
        const a = await store.createTrial(s.studyId, {});
        await store.createTrial(s.studyId, {});
        const first = await store.syncTrials(s.studyId);
        expect(first.trials.map((t) => t.number)).toEqual([0, 1]);
        // No cursor yet, passed explicitly (as a history's first sync does): the same as none.
        expect((await store.syncTrials(s.studyId, undefined)).trials.map((t) => t.number)).toEqual([0, 1]);
        const seqOf = (n: number): number | undefined => first.trials[n]?.seq;
        // Nothing changed: whatever comes again is what was read (same seq).
        const again = await store.syncTrials(s.studyId, first.cursor);
        expect(again.trials.filter((t) => t.seq !== seqOf(t.number))).toEqual([]);
        await store.finishTrial(a.trialId, { state: 'COMPLETE', value: 1 });
        const changed = await store.syncTrials(s.studyId, again.cursor);
        const finished = changed.trials.find((t) => t.number === 0);
        expect(finished).toMatchObject({ state: 'COMPLETE', value: 1 });
        expect(finished?.seq).toBeGreaterThan(seqOf(0) ?? Infinity);
        expect(changed.trials.filter((t) => t.number !== 0 && t.seq !== seqOf(t.number))).toEqual([]);
        expect(await store.getTrials(s.studyId)).toEqual([finished, first.trials[1]]);
      });

      it('refuses a trial past maxTrials, counting trials in every state', async () => {
        const s = await store.createStudy(study('s1'));
        const first = await store.createTrial(s.studyId, { maxTrials: 2 });
        await store.finishTrial(first.trialId, { state: 'FAIL' });
        await store.createTrial(s.studyId, { maxTrials: 2 });
        await expect(store.createTrial(s.studyId, { maxTrials: 2 })).rejects.toMatchObject({ code: 'E_BUDGET' });
        expect(await store.getTrials(s.studyId)).toHaveLength(2);
      });

      it('records heartbeats and fails a stale trial only if its heartbeat is still old', async () => {
        const s = await store.createStudy(study('s1'));
        const t = await store.createTrial(s.studyId, { startTime: 1000 });
        // On the store's clock: the time given, or (through a server, which stamps heartbeats itself) its arrival.
        const before = await storeNow(store);
        await store.heartbeat([t.trialId], before);
        const after = await storeNow(store);
        const beat = (await store.getTrials(s.studyId))[0]?.heartbeat ?? 0;
        expect(beat).toBeGreaterThanOrEqual(before);
        expect(beat).toBeLessThanOrEqual(after);
        // the owner beat after the cutoff: not stale
        expect(await store.finishTrial(t.trialId, { state: 'FAIL', onlyIfHeartbeatBefore: beat })).toBe(false);
        expect(await store.finishTrial(t.trialId, { state: 'FAIL', onlyIfHeartbeatBefore: beat + 1, tags: { 'sweep.fail_reason': 'stale' } })).toBe(true);
        const [stale] = await store.getTrials(s.studyId);
        expect(stale?.state).toBe('FAIL');
        // heartbeats on finished trials change nothing
        await store.heartbeat([t.trialId], (await storeNow(store)) + 1000);
        expect((await store.getTrials(s.studyId))[0]?.heartbeat).toBe(beat);
      });

      it('enqueues trials as WAITING with their params and hands each to one claimer, oldest first', async () => {
        const s = await store.createStudy(study('s1'));
        await store.createTrial(s.studyId, {});
        const a = await store.createTrial(s.studyId, { state: 'WAITING', params: [param('x', 1)], systemAttrs: { retryOf: 0 } });
        const b = await store.createTrial(s.studyId, { state: 'WAITING', params: [param('x', 2)] });
        expect(a).toMatchObject({ state: 'WAITING', params: { x: 1 } });
        expect((await store.getRun(a.runId)).info.status).toBe('SCHEDULED');
        const first = await store.claimWaitingTrial(s.studyId, 'w1');
        expect(first).toMatchObject({ number: a.number, state: 'RUNNING', workerId: 'w1', params: { x: 1 }, systemAttrs: { retryOf: 0 } });
        expect((await store.getRun(a.runId)).info.status).toBe('RUNNING');
        expect((await store.claimWaitingTrial(s.studyId, 'w2'))?.number).toBe(b.number);
        expect(await store.claimWaitingTrial(s.studyId, 'w3')).toBeUndefined();
      });

      it('summarizes studies: counts by state and best value', async () => {
        const s = await store.createStudy(study('s1'));
        for (const v of [5, 2]) {
          const t = await store.createTrial(s.studyId, {});
          await store.finishTrial(t.trialId, { state: 'COMPLETE', value: v });
        }
        const f = await store.createTrial(s.studyId, {});
        await store.finishTrial(f.trialId, { state: 'FAIL' });
        await store.createTrial(s.studyId, {});
        const [summary] = await store.listStudies();
        expect(summary?.counts).toMatchObject({ COMPLETE: 2, FAIL: 1, RUNNING: 1, PRUNED: 0 });
        expect(summary?.bestValue).toBe(2);
      });
    });

    describe('unknown study and trial ids', () => {
      const UNKNOWN = 987_654;
      it('throws NotFoundError from every trial method given an id it does not hold', async () => {
        const s = await store.createStudy(study('known'));
        const notFound = { code: 'E_NOT_FOUND' };
        await expect(store.createTrial(UNKNOWN, {})).rejects.toMatchObject(notFound);
        await expect(store.claimWaitingTrial(UNKNOWN, 'worker')).rejects.toMatchObject(notFound);
        await expect(store.getTrials(UNKNOWN)).rejects.toMatchObject(notFound);
        await expect(store.syncTrials(UNKNOWN)).rejects.toMatchObject(notFound);
        await expect(store.syncTrials(UNKNOWN, 1)).rejects.toMatchObject(notFound);
        await expect(store.setTrialParams(UNKNOWN, [param('x', 1)])).rejects.toMatchObject(notFound);
        await expect(store.recordTrialProgress(UNKNOWN, { intermediate: [{ step: 0, value: 1, timestamp: 1 }] })).rejects.toMatchObject(notFound);
        await expect(store.finishTrial(UNKNOWN, { state: 'FAIL' })).rejects.toMatchObject(notFound);
        await expect(store.heartbeat([UNKNOWN], 1)).rejects.toMatchObject(notFound);
        // The study the calls did not name is untouched.
        expect(await store.getTrials(s.studyId)).toEqual([]);
      });
    });
    describeNestedSearchContract(() => store);
    describeMultiObjectiveContract(() => store);
  });
  describeRegistryContract(name, makeStore);
}
