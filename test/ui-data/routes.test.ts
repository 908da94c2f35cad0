// The route table the server mounts: query parsing (required, numbers, lists, repeated keys) and
// delegation to the data functions (the server's own HTTP answers: test/server/ui-routes.test.ts).
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { UI_ROUTES } from '../../src/ui-data/index.js';

const route = (path: string) => {
  const r = UI_ROUTES.find((x) => x.path === path);
  if (!r) throw new Error(`no route ${path}`);
  return r;
};

async function filledStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  const study = await createStudy({ name: 's', space: { x: hp.uniform(0, 1) }, sampler: 'random', seed: 2, storage: store });
  await study.optimize((t) => t.params.x, { trials: 12 });
  return store;
}

describe('UI_ROUTES', () => {
  it('lists one GET route per data function under /api/ui', () => {
    expect(UI_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/ui/studies', 'GET /api/ui/study', 'GET /api/ui/study/trials', 'GET /api/ui/runs', 'GET /api/ui/runs/children',
      'GET /api/ui/run', 'GET /api/ui/metric-history', 'GET /api/ui/compare', 'GET /api/ui/artifact/preview',
    ]);
  });

  it('refuses a missing required parameter with ConfigError', async () => {
    await expect(route('/api/ui/study').handle({ store: new MemoryStore() }, {})).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/name is required/) });
  });

  it('refuses a non-numeric number with ConfigError', async () => {
    const store = await filledStore();
    await expect(route('/api/ui/study').handle({ store }, { name: 's', since: 'abc' })).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/since must be a number/) });
  });

  it('parses page size, order and since', async () => {
    const store = await filledStore();
    const page = await route('/api/ui/study/trials').handle({ store }, { name: 's', page_size: '5', order_by: 'value DESC' });
    expect(page['items']).toHaveLength(5);
    const { version } = await route('/api/ui/study').handle({ store }, { name: 's' });
    expect(await route('/api/ui/study').handle({ store }, { name: 's', since: String(version) })).toEqual({ changed: false, version });
  });

  it('takes compare ids as a comma list or repeated keys', async () => {
    const store = await filledStore();
    const trials = await route('/api/ui/study/trials').handle({ store }, { name: 's', page_size: '3' });
    const ids = (trials['items'] as { runId: string }[]).map((r) => r.runId);
    expect((await route('/api/ui/compare').handle({ store }, { run_ids: ids.join(',') }))['runs']).toHaveLength(3);
    expect((await route('/api/ui/compare').handle({ store }, { run_ids: ids }))['runs']).toHaveLength(3);
  });
});
