// trial.logModel and trial.logInput in every executor (inline, threads, process line protocol) and for
// a plain run: the files under <name>/ with an MLmodel in MLflow's YAML, the mlflow.log-model.history
// tag, and dataset inputs on the run.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { ProcessExecutor } from '../../src/execution/process.js';
import { ThreadsExecutor } from '../../src/execution/threads.js';
import { hp } from '../../src/space/hp.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { logRunInput, logRunModel, writeModelFiles } from '../../src/tracking/registry/model-files.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { ROOT } from '../cli/helpers.js';
import { track } from '../execution/helpers.js';
import { tempDir } from '../helpers/tmp.js';

async function expectLoggedModel(store: TrackingStore, runId: string, file: string): Promise<Record<string, unknown>> {
  const run = await store.getRun(runId);
  const dir = join(run.info.artifactUri, 'model');
  expect(existsSync(join(dir, file))).toBe(true);
  const mlmodel = readFileSync(join(dir, 'MLmodel'), 'utf8');
  expect(mlmodel).toMatch(/^artifact_path: model$/m);
  expect(mlmodel).toMatch(new RegExp(`^run_id: '?${runId}'?$`, 'm'));
  expect(mlmodel).toMatch(/^model_uuid: '?[0-9a-f]{32}'?$/m);
  expect(mlmodel).toMatch(/^utc_time_created: '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}'$/m);
  expect(mlmodel).toMatch(/^flavors:\n {2}\w+:\n/m);
  const history = JSON.parse(run.data.tags['mlflow.log-model.history'] ?? '[]') as Record<string, unknown>[];
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({ artifact_path: 'model', run_id: runId });
  return history[0] as Record<string, unknown>;
}

describe('trial.logModel and trial.logInput', () => {
  it('inline: writes the files and MLmodel, tags the run and records the dataset', async () => {
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const study = await createStudy({ name: 's', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store });
    const source = mkdtempSync(join(tempDir(), 'm-'));
    writeFileSync(join(source, 'weights.bin'), 'w');
    let uri = '';
    await study.optimize((trial) => {
      uri = trial.logModel(source, { flavor: 'sklearn', metadata: { note: 'best so far' } }).modelUri;
      trial.logInput({ name: 'iris', source: '/data/iris.csv', context: 'training', digest: 'abc' });
      return trial.params.x;
    }, { trials: 1 });
    const runId = study.trials[0]?.runId as string;
    expect(uri).toBe(`runs:/${runId}/model`);
    const info = await expectLoggedModel(store, runId, 'weights.bin');
    expect(info).toMatchObject({ flavors: { sklearn: { data: '.' } }, metadata: { note: 'best so far' } });
    expect(readFileSync(join((await store.getRun(runId)).info.artifactUri, 'model', 'MLmodel'), 'utf8')).toContain("metadata:\n  note: 'best so far'\n");
    const inputs = await store.getRunInputs(runId);
    expect(inputs).toEqual([{ dataset: { name: 'iris', digest: 'abc', sourceType: 'local', source: '{"uri":"/data/iris.csv"}' }, tags: { 'mlflow.data.context': 'training' } }]);
  });

  it('refuses a name outside the run and a missing path with one-line errors; the trial fails', async () => {
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const study = await createStudy({ name: 's', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store });
    const result = await study.optimize((trial) => {
      trial.logModel(tempDir(), { name: '../escape' });
      return 1;
    }, { trials: 1 });
    expect(result.failed).toBe(1);
    expect(study.trials[0]?.error).toContain('trial.logModel: name must be a relative artifact path inside the run, got "../escape"');
    const missing = await study.optimize((trial) => { trial.logModel('/no/such/dir'); return 1; }, { trials: 1 });
    expect(missing.failed).toBe(1);
    expect(study.trials[1]?.error).toContain('trial.logModel: cannot read /no/such/dir');
  });

  it('threads: the worker writes the files, the main thread the tag and the input', async () => {
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const study = await createStudy({ name: 'log-model', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store });
    const executor = track(new ThreadsExecutor({ threads: 2 }));
    const result = await study.optimize({ kind: 'module', path: join(ROOT, 'test/fixtures/objectives/log-model.ts') }, { trials: 2, executor });
    expect(result).toMatchObject({ completed: 2 });
    for (const trial of study.trials) {
      const info = await expectLoggedModel(store, trial.runId, 'weights.json');
      expect(info).toMatchObject({ metadata: { trial: trial.number }, flavors: { sweep_json: { data: '.' } } });
      expect((await store.getRunInputs(trial.runId)).map((i) => i.dataset.name)).toEqual(['train']);
    }
  });

  it('process: {"sweep": "model"} and {"sweep": "input"} lines, paths relative to the command\'s directory', async () => {
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const study = await createStudy({ name: 'cmd', space: { x: hp.quniform(1, 9, 1) }, seed: 2, storage: store });
    const executor = track(new ProcessExecutor({
      command: [process.execPath, join(ROOT, 'test/fixtures/commands/log-model.mjs'), '{x}'],
      concurrency: 1, metric: 'objective', trackingUri: 'memory:', cwd: tempDir(),
    }));
    const result = await study.optimize({ kind: 'module', path: join(ROOT, 'test/fixtures/commands/log-model.mjs') }, { trials: 2, executor });
    expect(result).toMatchObject({ completed: 2 });
    for (const trial of study.trials) {
      const info = await expectLoggedModel(store, trial.runId, 'model.txt');
      expect(info).toMatchObject({ flavors: { text: { data: '.' } }, metadata: { x: trial.value } });
      expect((await store.getRunInputs(trial.runId))[0]?.tags).toEqual({ 'mlflow.data.context': 'training' });
    }
  });

  it('refuses a run whose artifacts are not a local directory (a store behind a server)', () => {
    expect(() => writeModelFiles('http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts', 'r', tempDir())).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', message: expect.stringContaining('not in a directory on this machine') }),
    );
  });

  it('logs a model and an input to a plain run', async () => {
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const e = await store.createExperiment('plain');
    const runId = (await store.createRun({ experimentId: e.experimentId })).info.runId;
    const file = join(tempDir(), 'model.pkl');
    writeFileSync(file, 'pickle');
    const model = await logRunModel(store, runId, file, { name: 'clf' });
    expect(model.modelUri).toBe(`runs:/${runId}/clf`);
    expect(existsSync(join((await store.getRun(runId)).info.artifactUri, 'clf', 'model.pkl'))).toBe(true);
    expect(JSON.parse((await store.getRun(runId)).data.tags['mlflow.log-model.history'] ?? '[]')[0]).toMatchObject({ artifact_path: 'clf', flavors: { sweep: { data: 'model.pkl' } } });
    await logRunInput(store, runId, { name: 'd', source: 's3://bucket/d.parquet' });
    expect((await store.getRunInputs(runId))[0]?.dataset.sourceType).toBe('s3');
  });
});
