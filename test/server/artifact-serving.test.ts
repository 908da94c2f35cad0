// User files never act as the server's origin: every artifact answer is sandboxed (CSP) and nosniff;
// only inert raster images are shown inline; SVG, HTML and XML always download. nosniff is on every answer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRun, makeServer } from './helpers.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/2.0/mlflow/experiments/search")</script></svg>';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

async function withArtifacts() {
  const server = await makeServer();
  const { experimentId, runId } = await makeRun(server);
  const dir = (await server.store.getRun(runId)).info.artifactUri;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'evil.svg'), SVG);
  writeFileSync(join(dir, 'page.html'), '<script>alert(1)</script>');
  writeFileSync(join(dir, 'feed.xml'), '<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>');
  writeFileSync(join(dir, 'plot.png'), PNG);
  return { server, experimentId, runId };
}

describe('artifact serving', () => {
  it.each(['evil.svg', 'page.html', 'feed.xml'])('the UI serves the active file %s as a sandboxed attachment, even when asked inline', async (name) => {
    const { server, runId } = await withArtifacts();
    const res = await server.app.inject({ method: 'GET', url: '/api/ui/artifact', query: { run_id: runId, path: name, inline: '1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    expect(String(res.headers['content-security-policy'])).toMatch(/(^|; )sandbox(;|$)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('previews SVG as text, never as an image the page would load', async () => {
    const { server, runId } = await withArtifacts();
    const preview = (await server.app.inject({ method: 'GET', url: '/api/ui/artifact/preview', query: { run_id: runId, path: 'evil.svg' } })).json();
    expect(preview).toMatchObject({ kind: 'text', text: SVG });
    const png = (await server.app.inject({ method: 'GET', url: '/api/ui/artifact/preview', query: { run_id: runId, path: 'plot.png' } })).json();
    expect(png).toMatchObject({ kind: 'image', contentType: 'image/png' });
  });

  it('shows an inert image inline, still sandboxed and nosniff', async () => {
    const { server, runId } = await withArtifacts();
    const res = await server.app.inject({ method: 'GET', url: '/api/ui/artifact', query: { run_id: runId, path: 'plot.png', inline: '1' } });
    expect([res.statusCode, res.headers['content-disposition'], res.headers['content-type']]).toEqual([200, 'inline', 'image/png']);
    expect(String(res.headers['content-security-policy'])).toMatch(/(^|; )sandbox(;|$)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the artifact proxy sends user files sandboxed, as attachments, nosniff', async () => {
    const { server, experimentId, runId } = await withArtifacts();
    const res = await server.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/evil.svg` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    expect(String(res.headers['content-security-policy'])).toMatch(/(^|; )sandbox(;|$)/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends nosniff on every answer: JSON, errors, health, the UI page', async () => {
    const { server } = await withArtifacts();
    for (const url of ['/health', '/api/2.0/mlflow/experiments/search?max_results=1', '/api/ui/studies', '/api/ui/study', '/no/such/route', '/']) {
      const res = await server.app.inject({ method: 'GET', url });
      expect([url, res.headers['x-content-type-options']]).toEqual([url, 'nosniff']);
    }
  });
});
