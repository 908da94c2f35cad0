// UI data for runs: the runs table (nesting, columns, paging, inline filter errors), the run page
// (downsampled histories, artifacts, links), compare, and artifact resolution.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { artifactPreview, compareRuns, metricHistory, resolveArtifact, runChildren, runPage, runsTable } from '../../src/ui-data/index.js';
import { tempDir } from '../helpers/tmp.js';

type Row = { runId: string; runName: string; childrenCount: number; studyName: string | null; values: Record<string, unknown> };

async function setUp() {
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'ui.db'), { artifactRoot: join(dir, 'artifacts') });
  const study = await createStudy({ name: 'st', space: { x: hp.uniform(0, 1) }, sampler: 'random', seed: 1, storage: store });
  await study.optimize((t) => { t.log('acc', t.params.x); return t.params.x; }, { trials: 6 });
  const record = (await store.getStudy('st'))!;
  // Loose top-level runs in the same experiment, one with a long metric history and an artifact.
  const loose = [];
  for (let i = 0; i < 5; i++) {
    const run = await store.createRun({ experimentId: record.experimentId, runName: `loose-${i}`, startTime: 1000 + i });
    await store.logBatch(run.info.runId, { params: { model: i % 2 ? 'cnn' : 'mlp' }, metrics: [{ key: 'acc', value: i / 10, timestamp: 1, step: 0 }] });
    loose.push(run);
  }
  const long = loose[0]!;
  await store.logBatch(long.info.runId, {
    metrics: Array.from({ length: 5000 }, (_, s) => ({ key: 'loss', value: s === 2500 ? 100 : Math.sin(s / 50), timestamp: s, step: s })),
  });
  const art = long.info.artifactUri;
  mkdirSync(join(art, 'plots'), { recursive: true });
  writeFileSync(join(art, 'notes.txt'), 'hello');
  writeFileSync(join(art, 'plots', 'a.png'), Buffer.from([0x89, 0x50]));
  writeFileSync(join(dir, 'secret.txt'), 'no');
  symlinkSync(join(dir, 'secret.txt'), join(art, 'escape.txt'));
  return { store, record, loose, long };
}

describe('runsTable', () => {
  it('lists top-level runs only, with a study parent counting its trials', async () => {
    const { store, record } = await setUp();
    const page = await runsTable(store, record.experimentId);
    const rows = page['items'] as Row[];
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.runId === record.parentRunId)).toMatchObject({ childrenCount: 6, studyName: 'st' });
    const children = await runChildren(store, record.parentRunId);
    expect(children['items']).toHaveLength(6);
  });

  it('lists every run flat when nested is false', async () => {
    const { store, record } = await setUp();
    expect((await runsTable(store, record.experimentId, { nested: false, pageSize: 100 }))['items']).toHaveLength(12);
  });

  it('filters, orders and pages with the grammar', async () => {
    const { store, record } = await setUp();
    const first = await runsTable(store, record.experimentId, { filter: "params.model = 'mlp'", orderBy: ['metrics.acc DESC'], pageSize: 2 });
    expect((first['items'] as Row[]).map((r) => r.runName)).toEqual(['loose-4', 'loose-2']);
    const second = await runsTable(store, record.experimentId, { filter: "params.model = 'mlp'", orderBy: ['metrics.acc DESC'], pageSize: 2, pageToken: first['nextPageToken'] as string });
    expect((second['items'] as Row[]).map((r) => r.runName)).toEqual(['loose-0']);
    expect(second['nextPageToken']).toBeUndefined();
  });

  it('sends only the chosen columns and lists the available ones', async () => {
    const { store, record } = await setUp();
    const page = await runsTable(store, record.experimentId, { columns: ['params.model'] });
    expect(page['columns']).toEqual(['params.model']);
    expect(page['availableColumns']).toEqual(expect.arrayContaining(['metrics.acc', 'params.model']));
    for (const r of page['items'] as Row[]) expect(Object.keys(r.values).every((k) => k === 'params.model')).toBe(true);
  });

  it.each([
    ['metrics.acc >', /column/],
    ['params.model = ', /column/],
    ['bogus.x = 1', /column/],
  ])('answers the filter %j with its error message and column', async (filter, message) => {
    const { store, record } = await setUp();
    const page = await runsTable(store, record.experimentId, { filter });
    expect(page).toMatchObject({ error: expect.stringMatching(message), column: expect.any(Number) });
  });

  it('refuses an experiment that does not exist, naming it (the page showed an empty table)', async () => {
    const { store } = await setUp();
    await expect(runsTable(store, '999')).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringContaining('999') });
  });

  it('answers a bad order_by with its error', async () => {
    const { store, record } = await setUp();
    expect(await runsTable(store, record.experimentId, { orderBy: ['metrics.acc SIDEWAYS'] })).toMatchObject({ error: expect.stringMatching(/order_by/) });
  });
});

describe('runPage', () => {
  it('downsamples each history to at most max_points, keeping the ends and a spike', async () => {
    const { store, long } = await setUp();
    const page = await runPage(store, long.info.runId, { maxPoints: 300 });
    const loss = (page['histories'] as Record<string, { steps: number[]; values: number[]; total: number }>)['loss']!;
    expect(loss.total).toBe(5000);
    expect(loss.steps.length).toBeLessThanOrEqual(300);
    expect(loss.steps[0]).toBe(0);
    expect(loss.steps.at(-1)).toBe(4999);
    expect(loss.values).toContain(100);
    const single = await metricHistory(store, long.info.runId, 'loss', 50);
    expect((single['steps'] as number[]).length).toBeLessThanOrEqual(50);
  });

  it('lists params, metrics, artifacts (no symlinks) and links a trial to its parent and study', async () => {
    const { store, record, long } = await setUp();
    const loose = await runPage(store, long.info.runId);
    expect(loose['params']).toEqual({ model: 'mlp' });
    expect((loose['artifacts'] as { items: { path: string }[] }).items.map((a) => a.path)).toEqual(['notes.txt', 'plots', 'plots/a.png']);
    const child = ((await runChildren(store, record.parentRunId))['items'] as Row[])[0]!;
    const trial = await runPage(store, child.runId);
    expect(trial['parent']).toMatchObject({ runId: record.parentRunId, runName: 'st' });
    expect(trial['study']).toMatchObject({ name: 'st', role: 'trial' });
  });
});

describe('artifacts', () => {
  it('resolves a file for download and previews text', async () => {
    const { store, long } = await setUp();
    expect(await resolveArtifact(store, long.info.runId, 'plots/a.png')).toMatchObject({ contentType: 'image/png', size: 2, name: 'a.png' });
    expect(await artifactPreview(store, long.info.runId, 'notes.txt')).toMatchObject({ kind: 'text', text: 'hello', truncated: false });
  });

  it.each(['../../secret.txt', '/etc/passwd', 'escape.txt'])('refuses %j with ConfigError', async (path) => {
    const { store, long } = await setUp();
    await expect(resolveArtifact(store, long.info.runId, path)).rejects.toMatchObject({ code: 'E_CONFIG' });
  });

  it('answers a missing file with NotFoundError', async () => {
    const { store, long } = await setUp();
    await expect(resolveArtifact(store, long.info.runId, 'nope.txt')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});

describe('compareRuns', () => {
  it('marks differing params first and overlays histories', async () => {
    const { store, loose } = await setUp();
    const out = await compareRuns(store, [loose[0]!.info.runId, loose[1]!.info.runId, loose[2]!.info.runId]);
    expect(out['params']).toEqual([{ key: 'model', values: ['mlp', 'cnn', 'mlp'], differs: true }]);
    const histories = out['histories'] as Record<string, unknown[]>;
    expect(histories['loss']?.[1]).toBeNull();
    expect(histories['acc']).toHaveLength(3);
  });

  it.each([[1], [11]])('refuses %i distinct runs with ConfigError', async (n) => {
    const { store } = await setUp();
    const ids = Array.from({ length: n }, (_, i) => `id${i}`);
    await expect(compareRuns(store, ids)).rejects.toMatchObject({ code: 'E_CONFIG', message: expect.stringMatching(/2 to 10/) });
  });
});
