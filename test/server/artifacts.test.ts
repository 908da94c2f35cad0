// Artifacts over HTTP: the mlflow-artifacts proxy (PUT, GET, DELETE, list), the tracking-side listing,
// and path confinement: `..`, absolute and encoded paths and symlinks leading out are refused with 400.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/tmp.js';
import { makeRun, makeServer } from './helpers.js';
import { rawRequest } from './raw-http.js';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

describe('artifacts', () => {
  it('uploads, lists, downloads and deletes a run\'s artifacts through the proxy, as mlflow.log_artifact does', async () => {
    const s = await makeServer();
    const { experimentId, runId } = await makeRun(s);
    const run = (await s.call('GET', '/runs/get', { run_id: runId })).body.run;
    expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
    const base = `${PROXY}/${experimentId}/${runId}/artifacts`;
    for (const [path, body, type] of [['model.pkl', Buffer.from([0, 1, 2, 255]), 'application/octet-stream'], ['models/conf.json', '{"a":1}', 'application/json'], ['notes.txt', 'hello', undefined]] as const) {
      const put = await s.app.inject({ method: 'PUT', url: `${base}/${path}`, payload: body, headers: type === undefined ? {} : { 'content-type': type } });
      expect([put.statusCode, put.body]).toEqual([200, '{}']);
    }
    // the bytes land under the store's artifact root, where the run's artifact_uri points
    const onDisk = join((await s.store.getRun(runId)).info.artifactUri, 'models', 'conf.json');
    expect(readFileSync(onDisk, 'utf8')).toBe('{"a":1}');
    const got = await s.app.inject({ method: 'GET', url: `${base}/model.pkl` });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(got.headers['content-disposition']).toBe('attachment; filename="model.pkl"');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    const listed = await s.app.inject({ method: 'GET', url: PROXY, query: { path: `${experimentId}/${runId}/artifacts` } });
    expect(JSON.parse(listed.body)).toEqual({ files: [
      { path: 'model.pkl', is_dir: false, file_size: 4 },
      { path: 'models', is_dir: true },
      { path: 'notes.txt', is_dir: false, file_size: 5 },
    ] });
    const tracking = await s.call('GET', '/artifacts/list', { run_id: runId, run_uuid: runId, path: 'models' });
    expect(tracking.body).toEqual({ root_uri: run.info.artifact_uri, files: [{ path: 'models/conf.json', is_dir: false, file_size: 7 }] });
    expect((await s.call('GET', '/artifacts/list', { run_id: runId, path: 'nothing/here' })).body.files).toEqual([]);
    expect(JSON.parse((await s.app.inject({ method: 'GET', url: PROXY, query: { path: 'none' } })).body)).toEqual({ files: [] });
    expect((await s.app.inject({ method: 'DELETE', url: `${base}/models` })).statusCode).toBe(200);
    expect(existsSync(onDisk)).toBe(false);
    expect((await s.app.inject({ method: 'GET', url: `${base}/models/conf.json` })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: base })).statusCode).toBe(400);
  });

  it('keeps uploads in --artifacts-destination when one is given', async () => {
    const destination = tempDir('sweep-dest-');
    const s = await makeServer({ artifactsDestination: destination });
    const { experimentId, runId } = await makeRun(s);
    await s.app.inject({ method: 'PUT', url: `${PROXY}/${experimentId}/${runId}/artifacts/a.txt`, payload: 'A' });
    expect(readFileSync(join(destination, experimentId, runId, 'artifacts', 'a.txt'), 'utf8')).toBe('A');
    expect((await s.call('GET', '/artifacts/list', { run_id: runId })).body.files).toEqual([{ path: 'a.txt', is_dir: false, file_size: 1 }]);
  });

  it('serves the files a process on this host wrote under the store\'s root from there, with --artifacts-destination elsewhere', async () => {
    const destination = tempDir('sweep-dest-');
    const s = await makeServer({ artifactsDestination: destination });
    const { experimentId, runId } = await makeRun(s);
    // as `sweep run` on this host writes them: in place, under the store's own artifact root
    const inPlace = join(s.store.artifactRoot, experimentId, runId, 'artifacts');
    mkdirSync(join(inPlace, 'study'), { recursive: true });
    writeFileSync(join(inPlace, 'study', 'study.ts'), 'export {}');
    expect((await s.call('GET', '/artifacts/list', { run_id: runId, path: 'study' })).body.files).toEqual([{ path: 'study/study.ts', is_dir: false, file_size: 9 }]);
    expect((await s.call('GET', '/runs/get', { run_id: runId })).body.run.info.artifact_uri).toBe(inPlace);
    // a run of the same store with nothing in place yet still uploads to the destination
    const other = await makeRun(s);
    expect((await s.call('GET', '/runs/get', { run_id: other.runId })).body.run.info.artifact_uri).toBe(`mlflow-artifacts:/${experimentId}/${other.runId}/artifacts`);
  });

  it('refuses an upload over the size limit with 413 and keeps no partial file', async () => {
    const s = await makeServer({ maxArtifactBytes: 10 });
    const res = await s.app.inject({ method: 'PUT', url: `${PROXY}/0/big.bin`, payload: Buffer.alloc(100) });
    expect(res.statusCode).toBe(413);
    expect(existsSync(join(s.store.artifactRoot, '0', 'big.bin'))).toBe(false);
  });

  it('keeps the previous file when an upload over the same path fails', async () => {
    const s = await makeServer({ maxArtifactBytes: 10 });
    expect((await s.app.inject({ method: 'PUT', url: `${PROXY}/0/model.bin`, payload: 'version 1' })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'PUT', url: `${PROXY}/0/model.bin`, payload: Buffer.alloc(100) })).statusCode).toBe(413);
    expect(readFileSync(join(s.store.artifactRoot, '0', 'model.bin'), 'utf8')).toBe('version 1');
    const listed = await s.app.inject({ method: 'GET', url: `${PROXY}?path=0` });
    expect(listed.json()).toEqual({ files: [{ path: 'model.bin', is_dir: false, file_size: 9 }] });
  });

  it('two uploads of one path at once leave one of them whole, never a mix of both', async () => {
    const dir = tempDir('sweep-race-');
    const store = new SqliteStore(join(dir, 'sweep.db'));
    const server = await startServer({ store, port: 0 });
    try {
      const long = Buffer.alloc(8 * 1024 * 1024, 'a');
      const short = Buffer.alloc(4 * 1024 * 1024, 'b');
      const results = await Promise.all([long, short, long, short].map((body) => rawRequest(server.url, 'PUT', `${PROXY}/0/same.bin`, { body })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const kept = readFileSync(join(store.artifactRoot, '0', 'same.bin'));
      expect(kept.equals(long) || kept.equals(short)).toBe(true);
    } finally {
      await server.close();
      await store.close();
    }
  });

  it('answers multipart upload requests with 501 NOT_IMPLEMENTED', async () => {
    const s = await makeServer();
    const res = await s.app.inject({ method: 'POST', url: '/api/2.0/mlflow-artifacts/mpu/create/0/x', payload: { path: '0/x' } });
    expect([res.statusCode, JSON.parse(res.body).error_code]).toEqual([501, 'NOT_IMPLEMENTED']);
  });

  describe('path confinement (raw HTTP, paths sent as written)', () => {
    async function running() {
      const dir = tempDir('sweep-traversal-');
      const store = new SqliteStore(join(dir, 'sweep.db'));
      const server = await startServer({ store, port: 0 });
      const root = store.artifactRoot;
      writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
      mkdirSync(join(root, '0'), { recursive: true });
      symlinkSync(join(dir, 'secret.txt'), join(root, '0', 'link.txt'));
      symlinkSync(dir, join(root, '0', 'outdir'));
      return { server, store, dir };
    }
    function raw(url: string, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const { hostname, port } = new URL(url);
        const req = request({ host: hostname, port, method, path }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    }

    it.each([
      ['GET', `${PROXY}/../../secret.txt`],
      ['GET', `${PROXY}/0/../../../secret.txt`],
      ['GET', `${PROXY}/%2e%2e/%2e%2e/secret.txt`],
      ['GET', `${PROXY}/0/%252e%252e/%252e%252e/secret.txt`],
      ['GET', `${PROXY}/%2Fetc%2Fpasswd`],
      ['GET', `${PROXY}//etc/passwd`],
      ['GET', `${PROXY}/0/..%5C..%5Csecret.txt`],
      ['GET', `${PROXY}/C:%2Fwindows`],
      ['GET', `${PROXY}/0/link.txt`],
      ['GET', `${PROXY}/0/outdir/secret.txt`],
      ['GET', `${PROXY}?path=../..`],
      ['GET', `${PROXY}?path=/etc`],
      ['GET', `${PROXY}?path=0/outdir`],
      ['PUT', `${PROXY}/../escape.txt`],
      ['PUT', `${PROXY}/0/outdir/escape.txt`],
      ['PUT', `${PROXY}/0/link.txt`],
      ['DELETE', `${PROXY}/0/outdir`],
    ])('%s %s is refused with 400 and touches nothing outside', async (method, path) => {
      const { server, store, dir } = await running();
      try {
        const res = await raw(server.url, method, path, method === 'PUT' ? 'pwned' : undefined);
        expect(res.status).toBe(400);
        expect(JSON.parse(res.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
        expect(res.body).not.toContain('TOP-SECRET');
        expect(readFileSync(join(dir, 'secret.txt'), 'utf8')).toBe('TOP-SECRET-CONTENT');
        expect(existsSync(join(dir, 'escape.txt'))).toBe(false);
      } finally {
        await server.close();
        await store.close();
      }
    });

    it('refuses a run artifacts listing that climbs out', async () => {
      const s = await makeServer();
      const { runId } = await makeRun(s);
      const res = await s.call('GET', '/artifacts/list', { run_id: runId, path: '../../..' });
      expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    });
  });
});
