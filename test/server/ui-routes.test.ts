// The web UI mounted on the tracking server: JSON routes over a real study, errors as 404/400 or an
// inline filter error, artifact download confined to the run, and the built front end at /.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { tempDir } from '../helpers/tmp.js';
import { makeServer } from './helpers.js';

async function withStudy() {
  const server = await makeServer();
  const study = await createStudy({ name: 'ui', space: { x: hp.uniform(0, 1), k: hp.choice(['a', 'b']) }, seed: 1, sampler: 'random', storage: server.store });
  const source = join(tempDir(), 'notes.txt');
  writeFileSync(source, 'hello artifact');
  await study.optimize((t) => {
    t.report(t.params.x + 1, 0);
    if (t.number === 0) t.logArtifact(source);
    return t.params.x;
  }, { trials: 12 });
  return { server, study };
}

describe('UI routes on the server', () => {
  it('serves the studies list and the study page data', async () => {
    const { server } = await withStudy();
    const list = await server.app.inject({ method: 'GET', url: '/api/ui/studies' });
    expect(list.statusCode).toBe(200);
    expect(JSON.stringify(list.json())).toContain('"name":"ui"');
    const page = await server.app.inject({ method: 'GET', url: '/api/ui/study?name=ui' });
    expect(page.statusCode).toBe(200);
    expect(JSON.stringify(page.json())).toContain('"x"');
  });

  it('answers 404 for an unknown study, 400 for a missing parameter, and an inline error for a bad filter', async () => {
    const { server } = await withStudy();
    expect((await server.app.inject({ method: 'GET', url: '/api/ui/study?name=nope' })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/api/ui/study' })).statusCode).toBe(400);
    const bad = await server.app.inject({ method: 'GET', url: `/api/ui/study/trials?name=ui&filter=${encodeURIComponent('metrics.objective <')}` });
    expect(bad.json()).toMatchObject({ column: expect.any(Number) });
    expect(String(bad.json().error)).toMatch(/^filter: .* at column \d+/);
  });

  it('downloads an artifact of a run and refuses paths out of it', async () => {
    const { server, study } = await withStudy();
    const runId = study.trials[0]?.runId ?? '';
    const ok = await server.app.inject({ method: 'GET', url: `/api/ui/artifact?run_id=${runId}&path=notes.txt` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('hello artifact');
    expect(ok.headers['content-disposition']).toContain('attachment; filename="notes.txt"');
    const out = await server.app.inject({ method: 'GET', url: `/api/ui/artifact?run_id=${runId}&path=${encodeURIComponent('../../../etc/passwd')}` });
    expect(out.statusCode).toBe(400);
  });

  it('serves the built front end', async () => {
    const server = await makeServer();
    const index = await server.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect((await server.app.inject({ method: 'GET', url: '/ui/app.js' })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/ui/..%2Fpackage.json' })).statusCode).toBe(404);
  });
});
