// `sweep run --artifacts http://server` (and `?artifacts=http://server` on a PostgreSQL URI): the
// trials' files go through a sweep server's artifact proxy into its --artifacts-destination, from the
// inline, threads and process executors, and the server lists and serves them. An unreachable server
// stops the run at start with one line naming it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { PgStore } from '../../src/tracking/postgres/pg-store.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { dropSchema, pgAvailable, pgUri } from '../helpers/pg.js';
import { closeServer } from '../helpers/close-server.js';
import { tempDir } from '../helpers/tmp.js';
import { ROOT, sweep } from './helpers.js';

const FIXTURE = join(ROOT, 'test/fixtures/objectives/log-artifacts.ts');
const COMMAND = join(ROOT, 'test/fixtures/commands/log-artifacts.mjs');
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await dropSchema(schema);
});

interface Served {
  readonly url: string;
  readonly destination: string;
  readonly store: TrackingStore;
}

/** A sweep server on loopback over `store`, keeping uploads in its own destination directory. */
async function serve(store: TrackingStore): Promise<Served> {
  const destination = tempDir('sweep-dest-');
  const server: RunningServer = await startServer({ store, port: 0, artifactsDestination: destination, accessLog: () => undefined });
  closers.push(() => store.close(), () => closeServer(server));
  return { url: server.url, destination, store };
}

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.json();
}

/** The study's child runs, as the server shows them. */
async function trialRuns(s: Served, study: string): Promise<{ runId: string; experimentId: string; uri: string }[]> {
  const record = await s.store.getStudy(study);
  expect(record).toBeDefined();
  const trials = await s.store.getTrials(record!.studyId);
  return Promise.all(trials.map(async (t) => {
    const run = (await getJson(`${s.url}/api/2.0/mlflow/runs/get?run_id=${t.runId}`)).run;
    return { runId: t.runId, experimentId: run.info.experiment_id, uri: run.info.artifact_uri };
  }));
}

/** Lists a run's artifacts (one level) through the server, as the UI does. */
async function listed(s: Served, runId: string, path = ''): Promise<string[]> {
  return (await getJson(`${s.url}/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=${encodeURIComponent(path)}`)).files.map((f: { path: string }) => f.path);
}

async function download(s: Served, uri: string, path: string): Promise<string> {
  const res = await fetch(`${s.url}/api/2.0/mlflow-artifacts/artifacts/${uri.slice('mlflow-artifacts:/'.length)}/${path}`);
  expect(res.status).toBe(200);
  return res.text();
}

async function expectStudyFiles(s: Served, study: string, trials: number): Promise<void> {
  const runs = await trialRuns(s, study);
  expect(runs).toHaveLength(trials);
  for (const run of runs) {
    expect(run.uri).toBe(`mlflow-artifacts:/${run.experimentId}/${run.runId}/artifacts`);
    expect(existsSync(join(s.destination, run.experimentId, run.runId, 'artifacts', 'figures', 'deep', 'p.csv'))).toBe(true);
    expect(await listed(s, run.runId)).toEqual(['figures', 'model', 'note.txt']);
    expect(await listed(s, run.runId, 'figures/deep')).toEqual(['figures/deep/p.csv']);
    expect(await download(s, run.uri, 'note.txt')).toMatch(/^trial \d+$/);
    // the UI's run page lists them and its download serves them
    const page = await getJson(`${s.url}/api/ui/run?run_id=${run.runId}`);
    expect(page.artifacts.items.map((i: { path: string }) => i.path)).toEqual(['figures', 'figures/deep', 'figures/deep/p.csv', 'model', 'model/MLmodel', 'model/weights.json', 'note.txt']);
    expect(await (await fetch(`${s.url}/api/ui/artifact?run_id=${run.runId}&path=note.txt`)).text()).toMatch(/^trial \d+$/);
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('sweep run --artifacts http://server (SQLite)', () => {
  it.each([['inline', []], ['threads', ['--executor', 'threads', '--jobs', '2']]] as const)('%s: the files land in the server\'s destination; it lists and serves them', async (_name, extra) => {
    const dir = tempDir();
    const db = join(dir, 'sweep.db');
    const s = await serve(new SqliteStore(db));
    const r = await sweep(['run', FIXTURE, '--trials', '3', '--storage', `sqlite:${db}`, '--artifacts', s.url, ...extra], dir);
    expect(r.code, r.stderr).toBe(0);
    await expectStudyFiles(s, 'log-artifacts', 3);
    // the study file itself is kept on the study's run, through the proxy too
    const record = await s.store.getStudy('log-artifacts');
    expect(await listed(s, record!.parentRunId, 'study')).toEqual(['study/log-artifacts.ts']);
    expect(existsSync(join(dir, 'http:'))).toBe(false);
  });

  it('process: the command\'s output, the files it writes to $SWEEP_ARTIFACT_DIR and the ones it logs are uploaded', async () => {
    const dir = tempDir();
    const db = join(dir, 'sweep.db');
    writeFileSync(join(dir, 'space.json'), JSON.stringify({ x: { $dist: 'uniform', low: 0, high: 1 } }));
    const s = await serve(new SqliteStore(db));
    const r = await sweep(['run', '--command', `${process.execPath} ${COMMAND} {x}`, '--space', 'space.json', '--study', 'cmd', '--trials', '2',
      '--storage', `sqlite:${db}`, '--artifacts', s.url], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const run of await trialRuns(s, 'cmd')) {
      expect(await listed(s, run.runId)).toEqual(['direct.txt', 'model', 'out', 'stderr.log', 'stdout.log']);
      expect(await download(s, run.uri, 'stdout.log')).toBe('plain output\n');
      expect(await download(s, run.uri, 'out/logged.txt')).toBe('logged\n');
      expect(await download(s, run.uri, 'model/model.txt')).toMatch(/^x=0\.\d+\n$/);
    }
  });

  it('an unreachable server stops the run at start with one line naming it; nothing runs', async () => {
    const dir = tempDir();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await sweep(['run', FIXTURE, '--trials', '3', '--storage', `sqlite:${join(dir, 'sweep.db')}`, '--artifacts', url], dir);
    expect(r.code).toBe(2); // a configuration error
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('sweep:'));
    expect(lines).toEqual([`sweep: cannot reach the artifact server at ${url}/api/2.0/mlflow-artifacts/artifacts: ECONNREFUSED`]);
    expect(r.stderr).not.toContain('Starting study');
  });

  it('refuses --artifacts with an http:// storage (its server keeps them) and a storage whose experiment keeps them elsewhere', async () => {
    const dir = tempDir();
    const db = join(dir, 'sweep.db');
    const s = await serve(new SqliteStore(db));
    const viaServer = await sweep(['run', FIXTURE, '--trials', '1', '--storage', s.url, '--artifacts', s.url], dir);
    expect(viaServer.code).toBe(2);
    expect(viaServer.stderr).toContain(`sweep: --artifacts ${s.url}: the storage ${s.url} is a sweep server, which keeps the artifacts of its runs`);
    // a study started with local artifacts cannot switch to the server: its experiment says where they are
    expect((await sweep(['run', FIXTURE, '--trials', '1', '--storage', `sqlite:${db}`], dir)).code).toBe(0);
    const switched = await sweep(['run', FIXTURE, '--trials', '1', '--storage', `sqlite:${db}`, '--artifacts', s.url], dir);
    expect(switched.code).toBe(2);
    expect(switched.stderr).toMatch(/^sweep: experiment \d+ keeps its artifacts in \/.*sweep-artifacts\/\d+ \(chosen when it was created\), not on the server/m);
    const back = await sweep(['run', FIXTURE, '--trials', '1', '--storage', `sqlite:${db}`, '--study', 'other', '--artifacts', s.url], dir);
    expect(back.code, back.stderr).toBe(0);
  });

  it('the study on the server (--storage http://) uploads there without --artifacts', async () => {
    const dir = tempDir();
    const s = await serve(new SqliteStore(join(dir, 'sweep.db')));
    const r = await sweep(['run', FIXTURE, '--trials', '2', '--storage', s.url, '--executor', 'threads', '--jobs', '2'], dir);
    expect(r.code, r.stderr).toBe(0);
    await expectStudyFiles(s, 'log-artifacts', 2);
  });
});

describe('sweep models download of a model behind a server\'s artifact proxy', () => {
  it('fetches the files the run uploaded, through the server (--storage http://)', async () => {
    const dir = tempDir();
    const s = await serve(new SqliteStore(join(dir, 'sweep.db')));
    const ran = await sweep(['run', join(ROOT, 'test/fixtures/objectives/log-model.ts'), '--trials', '2', '--storage', s.url], dir);
    expect(ran.code, ran.stderr).toBe(0);
    const registered = await sweep(['best', '--study', 'log-model', '--register', 'proxied', '--storage', s.url], dir);
    expect(registered.code, registered.stderr).toBe(0);
    const dst = join(dir, 'downloaded');
    const r = await sweep(['models', 'download', 'models:/proxied/1', '--dst', dst, '--storage', s.url], dir);
    expect(r.code, r.stderr).toBe(0);
    const best = (await s.store.getTrials((await s.store.getStudy('log-model'))!.studyId)).filter((t) => t.state === 'COMPLETE').sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
    expect(JSON.parse(readFileSync(join(dst, 'weights.json'), 'utf8'))).toEqual({ x: best?.params['x'] });
    expect(existsSync(join(dst, 'MLmodel'))).toBe(true);
  });
});

describe('sweep models download through a server that keeps the files in a directory of its own', () => {
  it('fetches them from the server, not from the server\'s path on this machine (--storage http://)', async () => {
    // Runs that wrote their files into a shared directory (`--artifacts DIR`, as hosts mounting one do),
    // served by a server given it as --artifacts-destination: the runs' URIs are paths on the server's
    // machine, which a client elsewhere does not have (or has, holding something else).
    const dir = tempDir();
    const shared = join(dir, 'shared');
    const ran = await sweep(['run', join(ROOT, 'test/fixtures/objectives/log-model.ts'), '--trials', '2', '--artifacts', shared], dir);
    expect(ran.code, ran.stderr).toBe(0);
    expect((await sweep(['best', '--register', 'served'], dir)).code).toBe(0);
    const requests: string[] = [];
    const store = new SqliteStore(join(dir, 'sweep.db'));
    const server: RunningServer = await startServer({ store, port: 0, artifactsDestination: shared, accessLog: (line) => requests.push(line) });
    closers.push(() => store.close(), () => closeServer(server));
    const dst = join(dir, 'downloaded');
    const r = await sweep(['models', 'download', 'models:/served/1', '--dst', dst, '--storage', server.url], dir);
    expect(r.code, r.stderr).toBe(0);
    const best = JSON.parse((await sweep(['best', '--json'], dir)).stdout) as { params: { x: number } };
    expect(JSON.parse(readFileSync(join(dst, 'weights.json'), 'utf8'))).toEqual({ x: best.params.x });
    // Both files came from the server (MLmodel, weights.json), through its artifact proxy.
    expect(requests.filter((line) => /GET \/api\/2\.0\/mlflow-artifacts\/artifacts\/\S+\/model\/(MLmodel|weights\.json) 200/.test(line))).toHaveLength(2);
  });
});

const available = await pgAvailable();

describe.runIf(available)('sweep run on PostgreSQL with ?artifacts=http://server', () => {
  it('trials of two processes upload through the server; a server over it needs --artifacts-destination', async () => {
    const dir = tempDir();
    const schema = `helper_artproxy_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    const s = await serve(new PgStore(pgUri(schema)));
    const storage = pgUri(schema, `&artifacts=${s.url}`);
    const runs = await Promise.all([1, 2].map(() => sweep(['run', FIXTURE, '--max-trials', '4', '--storage', storage], dir)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    for (const r of runs) expect(r.stderr).not.toContain('Note:');
    await expectStudyFiles(s, 'log-artifacts', 4);
    const server = await sweep(['server', '--port', '0', '--storage', storage], dir);
    expect(server.code).toBe(2);
    expect(server.stderr).toContain('this server needs --artifacts-destination DIR');
    const noProxy = await sweep(['run', FIXTURE, '--trials', '1', '--storage', pgUri(schema)], dir);
    expect(noProxy.code).toBe(2);
    expect(noProxy.stderr).toMatch(/^sweep: experiment \d+ keeps its artifacts on a tracking server \(mlflow-artifacts:\/\d+\), and this run has no server for them$/m);
    expect(readFileSync(join(s.destination, (await trialRuns(s, 'log-artifacts'))[0]!.experimentId, (await trialRuns(s, 'log-artifacts'))[0]!.runId, 'artifacts', 'note.txt'), 'utf8')).toMatch(/^trial \d$/);
  });
});
