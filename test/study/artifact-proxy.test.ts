// Trials whose artifacts go to a sweep server's mlflow-artifacts proxy: a study on SQLite (and on the
// server through the HTTP store) logs files, directories and models from inline and thread objectives;
// they land in the server's --artifacts-destination, and the server lists and serves them for the run.
// A server that goes away mid-study fails the uploads, not the study: no hang, no trial lost.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { ProcessExecutor } from '../../src/execution/process.js';
import { ThreadsExecutor } from '../../src/execution/threads.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { hp } from '../../src/space/hp.js';
import type { Trial } from '../../src/study/trial.js';
import { HttpStore } from '../../src/tracking/http/http-store.js';
import { logRunModel } from '../../src/tracking/registry/model-files.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { ROOT } from '../cli/helpers.js';
import { track } from '../execution/helpers.js';
import { closeServer } from '../helpers/close-server.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = join(ROOT, 'test/fixtures/objectives/log-artifacts.ts');
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Setup {
  readonly server: RunningServer;
  readonly destination: string;
  /** The store the study writes through: SQLite with artifacts on the server, or the server itself. */
  readonly store: TrackingStore;
}

/** A sweep server over a SQLite file, and a second handle on that file whose artifacts go to the server. */
async function setup(kind: 'sqlite' | 'http' = 'sqlite'): Promise<Setup> {
  const dir = tempDir();
  const destination = join(dir, 'destination');
  const serverStore = new SqliteStore(join(dir, 'sweep.db'));
  const server = await startServer({ store: serverStore, port: 0, artifactsDestination: destination });
  closers.push(() => serverStore.close(), () => closeServer(server));
  const store = kind === 'http' ? new HttpStore(server.url) : new SqliteStore(join(dir, 'sweep.db'), { artifactRoot: server.url });
  closers.push(() => store.close());
  return { server, destination, store };
}

async function json(url: string): Promise<any> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.json();
}

/** Each trial's files are in the destination, listed by the server for the run, and downloadable. */
async function expectServed(s: Setup, runIds: readonly string[]): Promise<void> {
  for (const runId of runIds) {
    const run = (await json(`${s.server.url}/api/2.0/mlflow/runs/get?run_id=${runId}`)).run;
    const uri: string = run.info.artifact_uri;
    expect(uri).toBe(`mlflow-artifacts:/${run.info.experiment_id}/${runId}/artifacts`);
    const onDisk = join(s.destination, run.info.experiment_id, runId, 'artifacts');
    expect(readFileSync(join(onDisk, 'figures', 'deep', 'p.csv'), 'utf8')).toMatch(/^x\n0\.\d+/);
    expect(existsSync(join(onDisk, 'model', 'MLmodel'))).toBe(true);
    const listed = await json(`${s.server.url}/api/2.0/mlflow/artifacts/list?run_id=${runId}`);
    expect(listed.root_uri).toBe(uri);
    expect(listed.files.map((f: { path: string }) => f.path)).toEqual(['figures', 'model', 'note.txt']);
    const deep = await json(`${s.server.url}/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=figures/deep`);
    expect(deep.files).toEqual([expect.objectContaining({ path: 'figures/deep/p.csv', is_dir: false })]);
    const note = await fetch(`${s.server.url}/api/2.0/mlflow-artifacts/artifacts/${uri.slice('mlflow-artifacts:/'.length)}/note.txt`);
    expect(await note.text()).toMatch(/^trial \d+$/);
    expect(run.data.tags?.find((t: { key: string }) => t.key === 'upload' || t.key === 'sweep.artifacts.error')).toBeUndefined();
  }
}

describe('artifacts through a sweep server\'s proxy', () => {
  it.each(['sqlite', 'http'] as const)('inline objective on %s: files, a directory and a model land on the server', async (kind) => {
    const s = await setup(kind);
    const definition = (await import(FIXTURE)).default;
    const study = await createStudy({ name: `inline-${kind}`, space: definition.space, seed: 1, storage: s.store });
    const result = await study.optimize(definition.objective, { trials: 3 });
    expect(result).toMatchObject({ completed: 3, failed: 0 });
    await expectServed(s, study.trials.map((t) => t.runId));
    // a model logged on the run after the fact goes through the same proxy
    const file = join(tempDir(), 'w.json');
    writeFileSync(file, '{}');
    const runId = study.trials[0]!.runId;
    const model = await logRunModel(s.store, runId, file, { name: 'later' });
    expect(model.modelUri).toBe(`runs:/${runId}/later`);
    const run = await s.store.getRun(runId);
    expect(readFileSync(join(s.destination, run.info.experimentId, runId, 'artifacts', 'later', 'w.json'), 'utf8')).toBe('{}');
    expect(existsSync(join(s.destination, run.info.experimentId, runId, 'artifacts', 'later', 'MLmodel'))).toBe(true);
  });

  it('thread objectives upload from their workers', async () => {
    const s = await setup();
    const study = await createStudy({ name: 'threads', space: { x: hp.uniform(0, 1) }, seed: 2, storage: s.store });
    const executor = track(new ThreadsExecutor({ threads: 2 }));
    const result = await study.optimize({ kind: 'module', path: FIXTURE }, { trials: 4, jobs: 2, executor });
    expect(result).toMatchObject({ completed: 4, failed: 0 });
    await expectServed(s, study.trials.map((t) => t.runId));
  });

  it('threads: a server gone before the uploads rejects them in the worker; the objective catches it, the run notes it', async () => {
    const s = await setup();
    const study = await createStudy({ name: 'threads-gone', space: { x: hp.uniform(0, 1) }, seed: 4, storage: s.store });
    await closeServer(s.server);
    const executor = track(new ThreadsExecutor({ threads: 2 }));
    const result = await study.optimize({ kind: 'module', path: FIXTURE }, { trials: 2, jobs: 2, executor });
    expect(result).toMatchObject({ completed: 2, failed: 0 });
    for (const trial of study.trials) {
      const tags = (await s.store.getRun(trial.runId)).data.tags;
      expect(tags['upload']).toMatch(/^failed: trial\.logArtifact: cannot upload note\.txt to http:\/\/127\.0\.0\.1:\d+\/.* \(4 attempts\)$/);
      expect(tags['sweep.artifacts.error']).toBe(tags['upload']?.slice('failed: '.length));
    }
  });

  it('process: a server gone before the command ends keeps its output in the scratch directory and says where; the trial completes', async () => {
    const s = await setup();
    const study = await createStudy({ name: 'cmd-gone', space: { x: hp.uniform(0, 1) }, seed: 5, storage: s.store });
    await closeServer(s.server);
    const executor = track(new ProcessExecutor({
      command: [process.execPath, join(ROOT, 'test/fixtures/commands/log-artifacts.mjs'), '{x}'],
      concurrency: 1, metric: 'objective', trackingUri: 'memory:', cwd: tempDir(),
    }));
    const result = await study.optimize({ kind: 'module', path: 'unused' }, { trials: 1, executor });
    expect(result).toMatchObject({ completed: 1, failed: 0 });
    const note = (await s.store.getRun(study.trials[0]!.runId)).data.tags['sweep.artifacts.error'] ?? '';
    const kept = /the command's artifacts are kept in (\S+)$/.exec(note)?.[1];
    expect(note).toMatch(/^trial\.logArtifact: cannot upload direct\.txt to http:.* \(4 attempts\); the command's artifacts are kept in /);
    expect(readFileSync(join(kept as string, 'stdout.log'), 'utf8')).toBe('plain output\n');
    rmSync(kept as string, { recursive: true, force: true });
  });

  it('a server gone mid-study: the awaited upload rejects with one clear error, an unawaited one is noted on the run, every trial completes', async () => {
    const s = await setup();
    const source = join(tempDir(), 'note.txt');
    writeFileSync(source, 'hello');
    const caught: string[] = [];
    const study = await createStudy({ name: 'gone', space: { x: hp.uniform(0, 1) }, seed: 3, storage: s.store });
    const result = await study.optimize(async (trial: Trial) => {
      if (trial.number === 1) await closeServer(s.server);
      if (trial.number < 2) {
        try {
          await trial.logArtifact(source);
        } catch (error) {
          caught.push((error as Error).message);
        }
      } else {
        void trial.logArtifact(source); // never awaited: the trial waits for it before it ends
      }
      return trial.number;
    }, { trials: 3 });
    expect(result).toMatchObject({ completed: 3, failed: 0 });
    expect(caught).toHaveLength(1);
    expect(caught[0]).toMatch(/^trial\.logArtifact: cannot upload note\.txt to http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/mlflow-artifacts\/artifacts\/\d+\/\w+\/artifacts: ECONN(REFUSED|RESET) \(4 attempts\)$/);
    const tags = await Promise.all(study.trials.map(async (t) => (await s.store.getRun(t.runId)).data.tags['sweep.artifacts.error']));
    expect(tags[0]).toBeUndefined();
    expect(tags[1]).toBe(caught[0]);
    expect(tags[2]).toMatch(/^trial\.logArtifact: cannot upload note\.txt .*\(4 attempts\)$/);
  });
});
