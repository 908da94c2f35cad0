// DELETE on the artifact proxy: refused for the root (however it is spelled) and for anything outside
// one run's artifacts; a run's own files can still be deleted.
import { existsSync, lstatSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';
import { rawRequest } from './raw-http.js';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';
const opened: { server: RunningServer; store: SqliteStore }[] = [];

afterEach(async () => {
  for (const { server, store } of opened.splice(0)) {
    await server.close();
    await store.close();
  }
});

async function withTwoRuns() {
  const store = new SqliteStore(join(tempDir('sweep-delete-'), 'sweep.db'));
  const server = await startServer({ store, port: 0 });
  opened.push({ server, store });
  const experiment = await store.createExperiment('e');
  const [a, b] = [await store.createRun({ experimentId: experiment.experimentId }), await store.createRun({ experimentId: experiment.experimentId })];
  const paths: string[] = [];
  for (const run of [a, b]) {
    const rel = `${experiment.experimentId}/${run.info.runId}/artifacts/dir/model.txt`;
    const put = await rawRequest(server.url, 'PUT', `${PROXY}/${rel}`, { body: `model of ${run.info.runId}` });
    expect(put.status).toBe(200);
    paths.push(join(store.artifactRoot, ...rel.split('/')));
  }
  return { server, store, experimentId: experiment.experimentId, a: a.info.runId, b: b.info.runId, paths };
}

describe('artifact proxy DELETE', () => {
  it.each([
    `${PROXY}/`,
    `${PROXY}/.`,
    `${PROXY}/./`,
    `${PROXY}/%2e`,
    `${PROXY}/%2e/`,
    `${PROXY}//`,
  ])('DELETE %s (the root) is refused with 400 and deletes nothing', async (path) => {
    const { server, paths } = await withTwoRuns();
    const res = await rawRequest(server.url, 'DELETE', path);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('artifact root') });
    for (const file of paths) expect(existsSync(file)).toBe(true);
  });

  it('refuses an experiment folder, an unknown run and a path beside a run\'s artifacts', async () => {
    const { server, experimentId, a, paths } = await withTwoRuns();
    for (const path of [`${experimentId}`, `${experimentId}/`, `${experimentId}/nope`, `${experimentId}/${a}`, `${experimentId}/${a}/other`, `9/${a}/artifacts`]) {
      const res = await rawRequest(server.url, 'DELETE', `${PROXY}/${path}`);
      expect([path, res.status]).toEqual([path, 400]);
    }
    for (const file of paths) expect(existsSync(file)).toBe(true);
  });

  it('deletes inside one run\'s artifacts, and only there', async () => {
    const { server, experimentId, a, b, paths } = await withTwoRuns();
    expect((await rawRequest(server.url, 'DELETE', `${PROXY}/${experimentId}/${a}/artifacts/dir`)).status).toBe(200);
    expect(existsSync(paths[0] as string)).toBe(false);
    expect(readFileSync(paths[1] as string, 'utf8')).toBe(`model of ${b}`);
    expect((await rawRequest(server.url, 'DELETE', `${PROXY}/${experimentId}/${b}/artifacts`)).status).toBe(200);
    expect(existsSync(paths[1] as string)).toBe(false);
  });

  it('removes a symbolic link, not the other run\'s files it points to, and refuses paths through it', async () => {
    const { server, store, experimentId, a, b, paths } = await withTwoRuns();
    const link = join(store.artifactRoot, experimentId, a, 'artifacts', 'other');
    symlinkSync(join('..', '..', b, 'artifacts'), link);
    const through = await rawRequest(server.url, 'DELETE', `${PROXY}/${experimentId}/${a}/artifacts/other/dir/model.txt`);
    expect(through.status).toBe(400);
    expect(JSON.parse(through.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('outside the artifacts of its run') });
    expect((await rawRequest(server.url, 'DELETE', `${PROXY}/${experimentId}/${a}/artifacts/other`)).status).toBe(200);
    expect(() => lstatSync(link)).toThrow();
    expect(readFileSync(paths[1] as string, 'utf8')).toBe(`model of ${b}`);
    expect(readFileSync(paths[0] as string, 'utf8')).toBe(`model of ${a}`);
  });
});
