// registered-models/*, model-versions/*, runs/log-inputs and runs/log-model over raw HTTP (fastify
// inject): MLflow's field names (model_registry.proto, service.proto), status codes and error codes.
import { describe, expect, it } from 'vitest';
import { makeServer, type TestServer } from './helpers.js';

async function runIn(s: TestServer): Promise<string> {
  return (await s.call('POST', '/runs/create', { experiment_id: '0' })).body.run.info.run_id as string;
}

describe('registered-models endpoints', () => {
  it('creates, gets, renames, updates, tags and deletes a model with MLflow\'s JSON', async () => {
    const s = await makeServer();
    const created = await s.call('POST', '/registered-models/create', { name: 'gbm', description: 'trees', tags: [{ key: 'team', value: 'ml' }] });
    expect(created.status).toBe(200);
    expect(created.body.registered_model).toEqual({
      name: 'gbm', creation_timestamp: expect.any(Number), last_updated_timestamp: expect.any(Number), user_id: '',
      description: 'trees', latest_versions: [], tags: [{ key: 'team', value: 'ml' }], aliases: [],
    });
    const dup = await s.call('POST', '/registered-models/create', { name: 'gbm' });
    expect([dup.status, dup.body.error_code, dup.body.message]).toEqual([400, 'RESOURCE_ALREADY_EXISTS', 'Registered Model (name=gbm) already exists.']);
    const empty = await s.call('POST', '/registered-models/create', {});
    expect([empty.status, empty.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);

    expect((await s.call('PATCH', '/registered-models/update', { name: 'gbm', description: 'v2' })).body.registered_model.description).toBe('v2');
    expect((await s.call('POST', '/registered-models/set-tag', { name: 'gbm', key: 'k', value: 'v' })).body).toEqual({});
    expect((await s.call('DELETE', '/registered-models/delete-tag', { name: 'gbm', key: 'team' })).status).toBe(200);
    const renamed = await s.call('POST', '/registered-models/rename', { name: 'gbm', new_name: 'lgbm' });
    expect(renamed.body.registered_model).toMatchObject({ name: 'lgbm', description: 'v2', tags: [{ key: 'k', value: 'v' }] });
    const missing = await s.call('GET', '/registered-models/get', { name: 'gbm' });
    expect([missing.status, missing.body.error_code, missing.body.message]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=gbm not found']);
    expect((await s.call('DELETE', '/registered-models/delete', { name: 'lgbm' })).body).toEqual({});
    expect((await s.call('DELETE', '/registered-models/delete', { name: 'lgbm' })).status).toBe(404);
  });

  it('searches with filter, order_by, max_results and page tokens', async () => {
    const s = await makeServer();
    for (const name of ['a-gbm', 'b-gbm', 'c-lin']) await s.call('POST', '/registered-models/create', { name });
    const page1 = await s.call('GET', '/registered-models/search', { filter: "name LIKE '%gbm'", max_results: '1', order_by: 'name DESC' });
    expect(page1.body.registered_models.map((m: { name: string }) => m.name)).toEqual(['b-gbm']);
    const page2 = await s.call('GET', '/registered-models/search', { filter: "name LIKE '%gbm'", max_results: '1', order_by: 'name DESC', page_token: page1.body.next_page_token });
    expect(page2.body.registered_models.map((m: { name: string }) => m.name)).toEqual(['a-gbm']);
    expect(page2.body.next_page_token).toBeUndefined();
    const bad = await s.call('GET', '/registered-models/search', { filter: 'name > 3' });
    expect([bad.status, bad.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const tooMany = await s.call('GET', '/registered-models/search', { max_results: '1001' });
    expect([tooMany.status, tooMany.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });
});

describe('model-versions endpoints', () => {
  it('creates versions, transitions stages, sets aliases and answers the latest versions', async () => {
    const s = await makeServer();
    const runId = await runIn(s);
    await s.call('POST', '/registered-models/create', { name: 'm' });
    const v1 = await s.call('POST', '/model-versions/create', { name: 'm', source: `runs:/${runId}/model`, run_id: runId, tags: [{ key: 'k', value: 'v' }] });
    expect(v1.body.model_version).toEqual({
      name: 'm', version: '1', creation_timestamp: expect.any(Number), last_updated_timestamp: expect.any(Number), user_id: '',
      current_stage: 'None', description: '', source: `runs:/${runId}/model`, run_id: runId, status: 'READY',
      tags: [{ key: 'k', value: 'v' }], run_link: '', aliases: [],
    });
    await s.call('POST', '/model-versions/create', { name: 'm', source: `runs:/${runId}/model`, run_id: runId });
    const staged = await s.call('POST', '/model-versions/transition-stage', { name: 'm', version: '1', stage: 'Production', archive_existing_versions: false });
    expect(staged.body.model_version).toMatchObject({ version: '1', current_stage: 'Production' });
    await s.call('POST', '/model-versions/transition-stage', { name: 'm', version: '2', stage: 'production', archive_existing_versions: true });
    expect((await s.call('GET', '/model-versions/get', { name: 'm', version: '1' })).body.model_version.current_stage).toBe('Archived');
    const latest = await s.call('POST', '/registered-models/get-latest-versions', { name: 'm', stages: ['Production'] });
    expect(latest.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['2']);
    const latestGet = await s.call('GET', '/registered-models/get-latest-versions', { name: 'm' });
    expect(latestGet.body.model_versions.map((v: { current_stage: string }) => v.current_stage)).toEqual(['Production', 'Archived']);

    expect((await s.call('POST', '/registered-models/alias', { name: 'm', alias: 'champion', version: '2' })).body).toEqual({});
    const byAlias = await s.call('GET', '/registered-models/alias', { name: 'm', alias: 'champion' });
    expect(byAlias.body.model_version).toMatchObject({ version: '2', aliases: ['champion'] });
    expect((await s.call('GET', '/registered-models/get', { name: 'm' })).body.registered_model.aliases).toEqual([{ alias: 'champion', version: '2' }]);
    const unknownAlias = await s.call('GET', '/registered-models/alias', { name: 'm', alias: 'nope' });
    expect([unknownAlias.status, unknownAlias.body.error_code, unknownAlias.body.message]).toEqual([400, 'INVALID_PARAMETER_VALUE', 'Registered model alias nope not found.']);
    const reserved = await s.call('POST', '/registered-models/alias', { name: 'm', alias: 'latest', version: '1' });
    expect([reserved.status, reserved.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await s.call('DELETE', '/registered-models/alias', { name: 'm', alias: 'champion' })).status).toBe(200);

    const uri = await s.call('GET', '/model-versions/get-download-uri', { name: 'm', version: '1' });
    expect(uri.body).toEqual({ artifact_uri: `mlflow-artifacts:/0/${runId}/artifacts/model` });
    const search = await s.call('GET', '/model-versions/search', { filter: `run_id = '${runId}'`, order_by: ['version_number ASC'] });
    expect(search.body.model_versions.map((v: { version: string }) => v.version)).toEqual(['1', '2']);
    expect((await s.call('PATCH', '/model-versions/update', { name: 'm', version: '1', description: 'old' })).body.model_version.description).toBe('old');
    expect((await s.call('POST', '/model-versions/set-tag', { name: 'm', version: '1', key: 'a', value: 'b' })).status).toBe(200);
    expect((await s.call('DELETE', '/model-versions/delete-tag', { name: 'm', version: '1', key: 'a' })).status).toBe(200);
    expect((await s.call('DELETE', '/model-versions/delete', { name: 'm', version: '1' })).body).toEqual({});
    const gone = await s.call('GET', '/model-versions/get', { name: 'm', version: '1' });
    expect([gone.status, gone.body.error_code, gone.body.message]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST', 'Model Version (name=m, version=1) not found']);
  });

  it('answers bad arguments with INVALID_PARAMETER_VALUE, never a 5xx', async () => {
    const s = await makeServer();
    await s.call('POST', '/registered-models/create', { name: 'm' });
    const cases: [string, string, Record<string, unknown>][] = [
      ['GET', '/model-versions/get', { name: 'm', version: 'x' }],
      ['GET', '/model-versions/get', { name: 'm' }],
      ['POST', '/model-versions/create', { name: 'm' }],
      ['POST', '/model-versions/create', { name: 'm', source: '/etc/passwd' }],
      ['POST', '/model-versions/create', { name: 'm', source: 's3://b/../x' }],
      ['POST', '/model-versions/transition-stage', { name: 'm', version: '1', stage: 'Production' }],
      ['GET', '/model-versions/search', { filter: "name = 'm' OR name = 'n'" }],
      ['POST', '/runs/log-model', { run_id: 'r', model_json: 'not json' }],
    ];
    for (const [method, path, fields] of cases) {
      const res = await s.call(method as 'GET', path, fields);
      expect([path, res.status, res.body.error_code]).toEqual([path, 400, 'INVALID_PARAMETER_VALUE']);
    }
    await s.call('POST', '/model-versions/create', { name: 'm', source: 'mlflow-artifacts:/x' });
    const stage = await s.call('POST', '/model-versions/transition-stage', { name: 'm', version: '1', stage: 'Shipped', archive_existing_versions: false });
    expect([stage.status, stage.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const noModel = await s.call('POST', '/model-versions/create', { name: 'nope', source: 'mlflow-artifacts:/x' });
    expect([noModel.status, noModel.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });

  it('accepts a local source inside the given run\'s artifact directory only', async () => {
    const s = await makeServer();
    const runId = await runIn(s);
    const artifactUri = (await s.store.getRun(runId)).info.artifactUri;
    await s.call('POST', '/registered-models/create', { name: 'm' });
    const ok = await s.call('POST', '/model-versions/create', { name: 'm', source: `${artifactUri}/model`, run_id: runId });
    expect(ok.status).toBe(200);
    const outside = await s.call('POST', '/model-versions/create', { name: 'm', source: `${s.dir}/other`, run_id: runId });
    expect([outside.status, outside.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });
});

describe('model-versions/get-artifact', () => {
  it('streams a file of a version and keeps paths inside the version\'s files', async () => {
    const s = await makeServer();
    const runId = await runIn(s);
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const artifactUri = (await s.store.getRun(runId)).info.artifactUri;
    mkdirSync(join(artifactUri, 'model'), { recursive: true });
    writeFileSync(join(artifactUri, 'model', 'MLmodel'), 'artifact_path: model\n');
    writeFileSync(join(artifactUri, 'secret.txt'), 'not part of the model');
    await s.call('POST', '/registered-models/create', { name: 'm' });
    await s.call('POST', '/model-versions/create', { name: 'm', source: `runs:/${runId}/model`, run_id: runId });
    for (const url of ['/model-versions/get-artifact', '/ajax-api/2.0/mlflow/model-versions/get-artifact']) {
      const ok = await s.app.inject({ method: 'GET', url, query: { name: 'm', version: '1', path: 'MLmodel' } });
      expect([ok.statusCode, ok.body]).toEqual([200, 'artifact_path: model\n']);
    }
    const escape = await s.app.inject({ method: 'GET', url: '/model-versions/get-artifact', query: { name: 'm', version: '1', path: '../secret.txt' } });
    expect([escape.statusCode, JSON.parse(escape.body).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const missing = await s.app.inject({ method: 'GET', url: '/model-versions/get-artifact', query: { name: 'm', version: '2', path: 'MLmodel' } });
    expect([missing.statusCode, JSON.parse(missing.body).error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });
});

describe('runs/log-inputs and runs/log-model', () => {
  it('logs datasets with input tags, returns them in runs/get and finds the run by datasets.*', async () => {
    const s = await makeServer();
    const runId = await runIn(s);
    const datasets = [{
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: { name: 'iris', digest: 'abc123', source_type: 'local', source: '{"uri": "/d/iris.csv"}', schema: '{}', profile: '{"num_rows": 150}' },
    }];
    expect((await s.call('POST', '/runs/log-inputs', { run_id: runId, datasets })).body).toEqual({});
    const run = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect(run.inputs).toEqual({ dataset_inputs: datasets });
    for (const filter of ["datasets.name = 'iris'", "datasets.digest = 'abc123'", "datasets.context IN ('training', 'eval')"]) {
      const found = await s.call('POST', '/runs/search', { experiment_ids: ['0'], filter });
      expect([filter, found.body.runs?.length]).toEqual([filter, 1]);
    }
    const missing = await s.call('POST', '/runs/log-inputs', { run_id: runId, datasets: [{ dataset: { name: 'x', digest: 'y', source_type: 'local' } }] });
    expect([missing.status, missing.body.error_code, missing.body.message]).toEqual([400, 'INVALID_PARAMETER_VALUE', expect.stringContaining("'datasets[0].dataset.source'")]);
    const noRun = await s.call('POST', '/runs/log-inputs', { run_id: 'f'.repeat(32), datasets });
    expect([noRun.status, noRun.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
  });

  it('appends the model to mlflow.log-model.history', async () => {
    const s = await makeServer();
    const runId = await runIn(s);
    const model = { artifact_path: 'model', run_id: runId, utc_time_created: '2026-12-07 11:00:00.000000', flavors: { python_function: { loader_module: 'x' } }, model_uuid: 'u1' };
    expect((await s.call('POST', '/runs/log-model', { run_id: runId, model_json: JSON.stringify(model) })).body).toEqual({});
    const tags = (await s.call('GET', '/runs/get', { run_id: runId })).body.run.data.tags as { key: string; value: string }[];
    expect(JSON.parse(tags.find((t) => t.key === 'mlflow.log-model.history')?.value ?? '[]')).toEqual([model]);
    const incomplete = await s.call('POST', '/runs/log-model', { run_id: runId, model_json: '{"artifact_path": "m"}' });
    expect([incomplete.status, incomplete.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });

  it('answers 400 naming model_json for a model nested deeper than a request body may be (not a 500)', async () => {
    const s = await makeServer();
    const runId = await runIn(s);
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const modelJson = `{"artifact_path": "m", "run_id": "${runId}", "utc_time_created": "2026-12-07 11:00:00", "flavors": {}, "x": ${deep}}`;
    const res = await s.call('POST', '/runs/log-model', { run_id: runId, model_json: modelJson });
    expect([res.status, res.body.error_code, res.body.message]).toEqual([400, 'INVALID_PARAMETER_VALUE', expect.stringMatching(/^Malformed model_json: JSON nests deeper/)]);
  });
});
