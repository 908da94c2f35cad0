// The registry and run-inputs half of the TrackingStore contract: registered models, versions,
// stages, aliases, registry search, dataset inputs and their search, the log-model history tag.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { TrackingStore } from '../../src/tracking/store.js';
import type { DatasetInput } from '../../src/tracking/registry/entities.js';

const dataset = (name: string, digest: string, context?: string): DatasetInput => ({
  dataset: { name, digest, sourceType: 'local', source: `{"uri": "/data/${name}.csv"}`, schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 10}' },
  tags: context === undefined ? {} : { 'mlflow.data.context': context },
});

export function describeRegistryContract(name: string, makeStore: () => TrackingStore): void {
  describe(`TrackingStore registry contract: ${name}`, () => {
    let store: TrackingStore;
    beforeEach(() => {
      store = makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const runIn = async (experiment: string): Promise<string> => {
      const e = (await store.getExperimentByName(experiment)) ?? (await store.createExperiment(experiment));
      return (await store.createRun({ experimentId: e.experimentId })).info.runId;
    };

    describe('registered models', () => {
      it('creates, gets, updates, tags and deletes a registered model', async () => {
        const r = store.registry;
        const created = await r.createRegisteredModel({ name: 'gbm', description: 'boosted', tags: { team: 'ml' } });
        expect(created).toMatchObject({ name: 'gbm', description: 'boosted', tags: { team: 'ml' }, aliases: {}, latestVersions: [] });
        expect(created.creationTime).toBeGreaterThan(0);
        expect(await r.getRegisteredModel('gbm')).toEqual(created);
        await expect(r.createRegisteredModel({ name: 'gbm' })).rejects.toMatchObject({ code: 'E_DUPLICATE', message: 'Registered Model (name=gbm) already exists.' });
        expect((await r.updateRegisteredModel('gbm', { description: 'v2' })).description).toBe('v2');
        await r.setRegisteredModelTag('gbm', 'owner', 'ann');
        await r.deleteRegisteredModelTag('gbm', 'team');
        expect((await r.getRegisteredModel('gbm')).tags).toEqual({ owner: 'ann' });
        await expect(r.deleteRegisteredModelTag('gbm', 'nope')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        await r.deleteRegisteredModel('gbm');
        await expect(r.getRegisteredModel('gbm')).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'Registered Model with name=gbm not found' });
        await expect(r.deleteRegisteredModel('gbm')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });

      it('refuses an empty name and bad tags', async () => {
        await expect(store.registry.createRegisteredModel({ name: '' })).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(store.registry.createRegisteredModel({ name: 'x', tags: { ['k'.repeat(251)]: 'v' } })).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(store.registry.getRegisteredModel('x')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        await expect(store.registry.createRegisteredModel({ name: 'x', description: 'd'.repeat(5001) })).rejects.toMatchObject({ code: 'E_CONFIG' });
        await store.registry.createRegisteredModel({ name: 'x' });
        await expect(store.registry.createModelVersion({ name: 'x', source: `mlflow-artifacts:/${'s'.repeat(500)}` })).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(store.registry.updateRegisteredModel('x', { description: 'd'.repeat(5001) })).rejects.toMatchObject({ code: 'E_CONFIG' });
      });

      it('numbers concurrent versions of one model uniquely', async () => {
        await store.registry.createRegisteredModel({ name: 'c' });
        const made = await Promise.all(Array.from({ length: 8 }, (_, i) => store.registry.createModelVersion({ name: 'c', source: `mlflow-artifacts:/v${i}` })));
        expect(made.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      });

      it('renames a model with its versions and aliases; refuses a taken name', async () => {
        const r = store.registry;
        await r.createRegisteredModel({ name: 'a' });
        await r.createRegisteredModel({ name: 'taken' });
        await r.createModelVersion({ name: 'a', source: 'runs:/x/model' });
        await r.setRegisteredModelAlias('a', 'champion', 1);
        await expect(r.renameRegisteredModel('a', 'taken')).rejects.toMatchObject({ code: 'E_DUPLICATE' });
        const renamed = await r.renameRegisteredModel('a', 'b');
        expect(renamed.name).toBe('b');
        expect(renamed.aliases).toEqual({ champion: 1 });
        expect((await r.getModelVersion('b', 1)).name).toBe('b');
        await expect(r.getRegisteredModel('a')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });
    });

    describe('model versions', () => {
      it('numbers versions per model and never reuses a deleted number', async () => {
        const r = store.registry;
        const runId = await runIn('exp');
        await r.createRegisteredModel({ name: 'm' });
        await r.createRegisteredModel({ name: 'other' });
        const v1 = await r.createModelVersion({ name: 'm', source: `runs:/${runId}/model`, runId, tags: { k: 'v' }, description: 'first' });
        expect(v1).toMatchObject({ name: 'm', version: 1, stage: 'None', status: 'READY', source: `runs:/${runId}/model`, runId, tags: { k: 'v' }, description: 'first', aliases: [] });
        expect((await r.createModelVersion({ name: 'm', source: 'mlflow-artifacts:/s2' })).version).toBe(2);
        expect((await r.createModelVersion({ name: 'other', source: 'mlflow-artifacts:/s' })).version).toBe(1);
        await r.deleteModelVersion('m', 2);
        await expect(r.getModelVersion('m', 2)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'Model Version (name=m, version=2) not found' });
        expect((await r.createModelVersion({ name: 'm', source: 'mlflow-artifacts:/s3' })).version).toBe(3);
        await expect(r.createModelVersion({ name: 'nope', source: 'mlflow-artifacts:/s' })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        expect((await r.updateModelVersion('m', 1, { description: 'updated' })).description).toBe('updated');
        await r.setModelVersionTag('m', 1, 'approved', 'yes');
        await r.deleteModelVersionTag('m', 1, 'k');
        expect((await r.getModelVersion('m', 1)).tags).toEqual({ approved: 'yes' });
      });

      it('moves versions through stages, archiving the others on request', async () => {
        const r = store.registry;
        await r.createRegisteredModel({ name: 'm' });
        for (let i = 0; i < 3; i++) await r.createModelVersion({ name: 'm', source: `mlflow-artifacts:/s${i}` });
        expect((await r.transitionModelVersionStage('m', 1, 'production', false)).stage).toBe('Production');
        await r.transitionModelVersionStage('m', 2, 'Production', false);
        expect((await r.getModelVersion('m', 1)).stage).toBe('Production');
        await r.transitionModelVersionStage('m', 3, 'Production', true);
        expect((await r.getModelVersion('m', 1)).stage).toBe('Archived');
        expect((await r.getModelVersion('m', 2)).stage).toBe('Archived');
        expect((await r.getLatestVersions('m', ['Production'])).map((v) => v.version)).toEqual([3]);
        expect((await r.getLatestVersions('m')).map((v) => [v.stage, v.version])).toEqual([['Production', 3], ['Archived', 2]]);
        expect((await r.getRegisteredModel('m')).latestVersions.map((v) => v.version)).toEqual([3, 2]);
        await expect(r.transitionModelVersionStage('m', 1, 'Shipped', false)).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(r.transitionModelVersionStage('m', 1, 'Archived', true)).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(r.transitionModelVersionStage('m', 9, 'Staging', false)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
      });

      it('points one version per alias, moves and deletes aliases, drops them with their version', async () => {
        const r = store.registry;
        await r.createRegisteredModel({ name: 'm' });
        await r.createModelVersion({ name: 'm', source: 'mlflow-artifacts:/s1' });
        await r.createModelVersion({ name: 'm', source: 'mlflow-artifacts:/s2' });
        await r.setRegisteredModelAlias('m', 'champion', 1);
        await r.setRegisteredModelAlias('m', 'challenger', 2);
        expect((await r.getModelVersionByAlias('m', 'champion')).version).toBe(1);
        await r.setRegisteredModelAlias('m', 'champion', 2);
        expect((await r.getModelVersion('m', 2)).aliases).toEqual(['challenger', 'champion']);
        expect((await r.getModelVersion('m', 1)).aliases).toEqual([]);
        expect((await r.getRegisteredModel('m')).aliases).toEqual({ champion: 2, challenger: 2 });
        await r.deleteRegisteredModelAlias('m', 'challenger');
        await expect(r.getModelVersionByAlias('m', 'challenger')).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'Registered model alias challenger not found.' });
        await expect(r.setRegisteredModelAlias('m', 'x', 7)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        await expect(r.setRegisteredModelAlias('m', 'latest', 1)).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(r.setRegisteredModelAlias('m', 'v1', 1)).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(r.setRegisteredModelAlias('m', 'bad alias', 1)).rejects.toMatchObject({ code: 'E_CONFIG' });
        await r.deleteModelVersion('m', 2);
        expect((await r.getRegisteredModel('m')).aliases).toEqual({});
      });

      it('deleting a model deletes its versions', async () => {
        const r = store.registry;
        await r.createRegisteredModel({ name: 'm' });
        await r.createModelVersion({ name: 'm', source: 'mlflow-artifacts:/s1' });
        await r.deleteRegisteredModel('m');
        await r.createRegisteredModel({ name: 'm' });
        expect((await r.searchModelVersions({ filter: "name = 'm'" })).items).toEqual([]);
        expect((await r.createModelVersion({ name: 'm', source: 'mlflow-artifacts:/s' })).version).toBe(1);
      });
    });

    describe('registry search', () => {
      it('searches registered models by name and tags, ordered and paged', async () => {
        const r = store.registry;
        for (const n of ['lightgbm', 'xgb', 'gbm-small', 'linear']) await r.createRegisteredModel({ name: n, tags: n.includes('gbm') ? { family: 'trees' } : {} });
        const names = async (filter?: string, orderBy?: string[]): Promise<string[]> =>
          (await r.searchRegisteredModels({ ...(filter !== undefined && { filter }), ...(orderBy && { orderBy }) })).items.map((m) => m.name);
        expect(await names()).toEqual(['gbm-small', 'lightgbm', 'linear', 'xgb']);
        expect(await names("name LIKE '%gbm%'")).toEqual(['gbm-small', 'lightgbm']);
        expect(await names("name ILIKE 'L%'")).toEqual(['lightgbm', 'linear']);
        expect(await names("name = 'xgb'")).toEqual(['xgb']);
        expect(await names("tags.family = 'trees' AND name != 'lightgbm'")).toEqual(['gbm-small']);
        expect(await names(undefined, ['name DESC'])).toEqual(['xgb', 'linear', 'lightgbm', 'gbm-small']);
        const first = await r.searchRegisteredModels({ maxResults: 3 });
        expect(first.items).toHaveLength(3);
        const second = await r.searchRegisteredModels({ maxResults: 3, pageToken: first.nextPageToken as string });
        expect(second.items.map((m) => m.name)).toEqual(['xgb']);
        expect(second.nextPageToken).toBeUndefined();
        await expect(r.searchRegisteredModels({ filter: 'metrics.x > 1' })).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(r.searchRegisteredModels({ orderBy: ['size'] })).rejects.toMatchObject({ code: 'E_CONFIG' });
      });

      it('searches model versions by name, run_id, version_number and tags', async () => {
        const r = store.registry;
        const run1 = await runIn('exp');
        const run2 = await runIn('exp');
        await r.createRegisteredModel({ name: 'a' });
        await r.createRegisteredModel({ name: 'b' });
        await r.createModelVersion({ name: 'a', source: `runs:/${run1}/model`, runId: run1 });
        await r.createModelVersion({ name: 'a', source: `runs:/${run2}/model`, runId: run2, tags: { ok: '1' } });
        await r.createModelVersion({ name: 'b', source: `runs:/${run1}/m`, runId: run1 });
        const found = async (filter: string): Promise<string[]> =>
          (await r.searchModelVersions({ filter, orderBy: ['name ASC', 'version_number ASC'] })).items.map((v) => `${v.name}/${v.version}`);
        expect(await found(`run_id = '${run1}'`)).toEqual(['a/1', 'b/1']);
        expect(await found(`run_id IN ('${run2}', 'nope')`)).toEqual(['a/2']);
        expect(await found("name = 'a' AND version_number > 1")).toEqual(['a/2']);
        expect(await found("tags.ok = '1'")).toEqual(['a/2']);
        expect(await found("source_path LIKE '%/m'")).toEqual(['b/1']);
        const all = await r.searchModelVersions({ filter: "name = 'a'" });
        expect(all.items.map((v) => v.version)).toEqual([2, 1]);
      });
    });

    describe('run inputs and logged models', () => {
      it('logs dataset inputs once per (name, digest) and returns them in order', async () => {
        const runId = await runIn('exp');
        await store.logInputs(runId, [dataset('train', 'd1', 'training'), dataset('eval', 'd2', 'eval')]);
        await store.logInputs(runId, [dataset('train', 'd1', 'other'), dataset('train', 'd3')]);
        const inputs = await store.getRunInputs(runId);
        expect(inputs.map((i) => [i.dataset.name, i.dataset.digest, i.tags['mlflow.data.context']])).toEqual([
          ['train', 'd1', 'training'], ['eval', 'd2', 'eval'], ['train', 'd3', undefined],
        ]);
        expect(inputs[0]).toEqual(dataset('train', 'd1', 'training'));
        await expect(store.logInputs(runId, [{ dataset: { name: '', digest: 'd', sourceType: 'local', source: 'mlflow-artifacts:/s' }, tags: {} }])).rejects.toMatchObject({ code: 'E_CONFIG' });
        await expect(store.logInputs('0'.repeat(32), [dataset('x', 'y')])).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
        expect(await store.getRunInputs(await runIn('exp'))).toEqual([]);
      });

      it('finds runs by datasets.name, datasets.digest and datasets.context', async () => {
        const e = await store.createExperiment('data');
        const a = (await store.createRun({ experimentId: e.experimentId, runName: 'a' })).info.runId;
        const b = (await store.createRun({ experimentId: e.experimentId, runName: 'b' })).info.runId;
        await store.createRun({ experimentId: e.experimentId, runName: 'c' });
        await store.logInputs(a, [dataset('iris', 'aaa', 'training'), dataset('iris-test', 'bbb', 'eval')]);
        await store.logInputs(b, [dataset('wine', 'ccc', 'training')]);
        const names = async (filter: string): Promise<string[]> =>
          (await store.searchRuns({ experimentIds: [e.experimentId], filter, orderBy: ['attributes.run_name ASC'] })).items.map((r) => r.info.runName);
        expect(await names("datasets.name = 'iris'")).toEqual(['a']);
        expect(await names("datasets.name LIKE 'iris%'")).toEqual(['a']);
        expect(await names("datasets.digest IN ('ccc', 'aaa')")).toEqual(['a', 'b']);
        expect(await names("datasets.context = 'training'")).toEqual(['a', 'b']);
        expect(await names("datasets.context = 'eval' AND datasets.name = 'iris-test'")).toEqual(['a']);
        expect(await names("datasets.name != 'wine'")).toEqual(['a']);
        await expect(names("datasets.size = '1'")).rejects.toMatchObject({ code: 'E_CONFIG' });
      });

      it('appends logged models to the mlflow.log-model.history tag', async () => {
        const runId = await runIn('exp');
        const model = (path: string) => ({ artifact_path: path, run_id: runId, utc_time_created: '2026-12-07 11:00:00.000000', flavors: { python_function: {} } });
        await store.recordLoggedModel(runId, model('model'));
        await store.recordLoggedModel(runId, model('other'));
        const history = JSON.parse((await store.getRun(runId)).data.tags['mlflow.log-model.history'] as string) as { artifact_path: string }[];
        expect(history.map((m) => m.artifact_path)).toEqual(['model', 'other']);
        await expect(store.recordLoggedModel(runId, { artifact_path: 'x' })).rejects.toMatchObject({ code: 'E_CONFIG' });
      });
    });
  });
}
