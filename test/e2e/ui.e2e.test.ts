// The web UI end to end in headless Chromium (Debian's `chromium`, driven by playwright-core):
// a small study run with the built CLI into a temp SQLite file, `sweep server --port 0` on it,
// then every main page is opened, checked and screenshotted into test-output/screenshots/.
//
// Needs `npm run build` first (`npm test` does it) and /usr/bin/chromium. Without chromium the
// tests fail when $CI is set (CI must install it: see .ci/run) and are skipped otherwise.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverUrl } from '../helpers/server-url.js';
import { CHROMIUM, haveChromium, openBrowser, stopServer } from './browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const FIXTURE = join(ROOT, 'test/e2e/fixtures/ui-study.ts');
const SHOTS = join(ROOT, 'test-output/screenshots');
const STUDY = 'e2e-ui';
const TRIALS = 20;
/** What the fixture writes into each trial's notes.txt artifact. */
const notesFor = (n: number): string => `sweep e2e artifact of trial ${n}\n`;

const skip = !haveChromium && !process.env['CI'];

interface TrialRow { number: number; state: string; value: number | null; runId: string; params: Record<string, unknown> }
interface StudyData {
  study: { experimentId: string; parentRunId: string };
  counts: Record<string, number>;
  params: { name: string; log: boolean }[];
  trials: { number: number[]; state: string[]; value: (number | null)[]; params: Record<string, (number | null)[]> };
}

describe.skipIf(skip)('web UI in headless Chromium', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let base = '';
  let context: BrowserContext | undefined;
  let page: Page;
  let study: StudyData;
  let trials: TrialRow[] = [];
  const pageErrors: string[] = [];

  const api = async <T,>(path: string): Promise<T> => {
    const res = await fetch(`${base}/api/ui/${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const open = async (hash: string, ready: string): Promise<void> => {
    await page.goto(`${base}/#${hash}`);
    await page.waitForSelector(ready, { timeout: 10_000 });
    // Expressions run in the page (strings: this file is type-checked without the DOM lib).
    await page.waitForFunction("!document.getElementById('app').hasAttribute('aria-busy')", undefined, { timeout: 10_000 });
    // The parallel coordinates' lines are drawn by a worker: wait for them too (screenshots).
    await page.waitForFunction("document.querySelector('#parallel canvas.pc-lines:not([data-lines])') === null", undefined, { timeout: 10_000 });
  };
  const shoot = (name: string): Promise<Buffer> => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, timeout: 10_000 });

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does it in CI`);
    if (!existsSync(BIN) || !existsSync(join(ROOT, 'dist/ui/index.html'))) throw new Error('the built CLI or UI is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'sweep-e2e-'));
    mkdirSync(join(dir, 'scratch'));
    mkdirSync(SHOTS, { recursive: true });
    const env = { ...process.env, SWEEP_TRACKING_URI: '', SWEEP_E2E_SCRATCH: join(dir, 'scratch') };
    const storage = `sqlite:${join(dir, 'e2e.db')}`;

    // 1. A small study, run by the built CLI as a user would.
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [BIN, 'run', FIXTURE, '--trials', String(TRIALS), '--sampler', 'random', '--seed', '7', '--storage', storage],
        { cwd: ROOT, env, timeout: 30_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`sweep run failed: ${error.message}\n${stderr}`)) : resolve()));
    });

    // 2. The server on a free port; the URL is on its first line.
    const proc = spawn(process.execPath, [BIN, 'server', '--port', '0', '--host', '127.0.0.1', '--storage', storage], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = proc;
    base = await serverUrl(proc);

    study = await api<StudyData>(`study?name=${STUDY}`);
    trials = (await api<{ items: TrialRow[] }>(`study/trials?name=${STUDY}&page_size=100`)).items;

    // 3. Chromium with a fresh profile (playwright takes the profile dir as launchPersistentContext's argument).
    ({ context, page } = await openBrowser(join(dir, 'profile'), pageErrors, { acceptDownloads: true }));
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('ran a study with complete, pruned and failed trials', () => {
    expect(trials).toHaveLength(TRIALS);
    expect(study.counts['COMPLETE']).toBeGreaterThan(5);
    expect(study.counts['PRUNED']).toBeGreaterThan(0);
    expect(study.counts['FAIL']).toBeGreaterThan(0);
  });

  it('lists the study on the studies page', async () => {
    await open('/', 'table.data');
    const row = page.locator('table.data tbody tr', { hasText: STUDY });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe(String(study.counts['COMPLETE']));
    await shoot('studies');
  });

  it('study page: the history plot has one point per finished trial, failed and pruned trials marked', async () => {
    await open(`/study/${STUDY}`, '#history-chart[data-points] canvas');
    const complete = study.trials.state.filter((s, i) => s === 'COMPLETE' && study.trials.value[i] !== null).length;
    expect(complete).toBe(study.counts['COMPLETE']);
    const chart = page.locator('#history-chart');
    await expect(chart.getAttribute('data-points')).resolves.toBe(String(complete));
    await expect(chart.getAttribute('data-failed')).resolves.toBe(String(study.counts['FAIL']));
    await expect(chart.getAttribute('data-pruned')).resolves.toBe(String(study.counts['PRUNED']));
    // The other charts are there too: a slice per param, the learning curves, the importance bars.
    await expect(page.locator('#slices .slice canvas').count()).resolves.toBeGreaterThanOrEqual(study.params.length);
    await expect(page.locator('#curves-chart canvas').count()).resolves.toBeGreaterThan(0);
    await page.waitForSelector('#trials-table tbody tr');
    await shoot('study');
  });

  it('study page: the data request index.html starts before the bundle is the one the page uses', async () => {
    const studyRequests: string[] = [];
    const onRequest = (r: Request): void => {
      if (new URL(r.url()).pathname === '/api/ui/study') studyRequests.push(r.url());
    };
    await page.goto('about:blank'); // a full load: index.html runs again
    page.on('request', onRequest);
    try {
      await open(`/study/${STUDY}`, '#history-chart[data-points] canvas');
    } finally {
      page.off('request', onRequest);
    }
    expect(studyRequests.filter((u) => !u.includes('since='))).toEqual([`${base}/api/ui/study?name=${STUDY}`]);
    // getJson took the early request over (and removed it).
    await expect(page.evaluate('window.sweepPrefetch && Object.keys(window.sweepPrefetch).length')).resolves.toBe(0);
  });

  it('study page: brushing the parallel coordinates selects the trials in the range, a click clears it', async () => {
    await open(`/study/${STUDY}`, '#parallel canvas.pc[data-selected]');
    const canvas = page.locator('#parallel canvas.pc');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('parallel coordinates canvas has no box');
    const axisX = ((await canvas.getAttribute('data-axis-x')) ?? '').split(',').map(Number);
    const names = study.params.map((p) => p.name);
    const j = names.indexOf('x');
    expect(axisX.length).toBe(names.length + 1);
    const total = study.counts['COMPLETE'] as number;
    await expect(canvas.getAttribute('data-selected')).resolves.toBe(String(total));

    // Drag along the x axis over its upper half (top margin 34 px, bottom 26 px, height 320 px).
    const top = 34;
    const span = 320 - 34 - 26;
    const x = box.x + (axisX[j] as number);
    const y0 = box.y + top + span * 0.05;
    const y1 = box.y + top + span * 0.5;
    await page.mouse.move(x, y0);
    await page.mouse.down();
    await page.mouse.move(x, (y0 + y1) / 2, { steps: 4 });
    await page.mouse.move(x, y1, { steps: 4 });
    await page.mouse.up();
    const selected = Number(await canvas.getAttribute('data-selected'));
    // Expected: COMPLETE trials whose x is in the top 5%..50% of the axis's range.
    const xs = study.trials.params['x']?.filter((_, i) => study.trials.state[i] === 'COMPLETE' && study.trials.value[i] !== null) as number[];
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const expected = xs.filter((v) => (v - lo) / (hi - lo) >= 0.5 && (v - lo) / (hi - lo) <= 0.95).length;
    expect(selected).toBeGreaterThan(0);
    expect(selected).toBeLessThan(total);
    expect(Math.abs(selected - expected)).toBeLessThanOrEqual(1);
    await expect(page.locator('#parallel [role=status]').textContent()).resolves.toBe(`${selected} of ${total} trials selected`);
    // The lines layer catches up with the selection (drawn in a worker, the newest selection last).
    await page.waitForFunction(`document.querySelector('#parallel canvas.pc-lines')?.dataset.lines === '${selected}'`, undefined, { timeout: 10_000 });
    await page.locator('#parallel .pc-stack').screenshot({ path: join(SHOTS, 'parallel-brushed.png') });

    await page.locator('#parallel button', { hasText: 'Clear selection' }).click();
    await expect(canvas.getAttribute('data-selected')).resolves.toBe(String(total));
    await page.waitForFunction(`document.querySelector('#parallel canvas.pc-lines')?.dataset.lines === '${total}'`, undefined, { timeout: 10_000 });
  });

  it('study page: the parallel coordinates draw their lines in a worker, or on the main thread without one', async () => {
    const complete = String(study.counts['COMPLETE']);
    const shots: Buffer[] = [];
    for (const mode of ['worker', 'no OffscreenCanvas', 'worker script missing'] as const) {
      const withWorker = mode === 'worker';
      const fresh = await (context as BrowserContext).newPage();
      try {
        if (mode === 'no OffscreenCanvas') await fresh.addInitScript('delete window.OffscreenCanvas');
        if (mode === 'worker script missing') await fresh.route('**/ui/pc-worker.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
        const workers: string[] = [];
        fresh.on('worker', (w) => workers.push(w.url()));
        await fresh.goto(`${base}/#/study/${STUDY}`);
        await fresh.waitForSelector('#parallel canvas.pc-lines[data-lines]', { timeout: 10_000 });
        await expect(fresh.locator('#parallel canvas.pc-lines').getAttribute('data-lines')).resolves.toBe(complete);
        if (mode !== 'worker script missing') expect(workers.some((u) => u.endsWith('/ui/pc-worker.js')), mode).toBe(withWorker);
        shots.push(await fresh.locator('#parallel .pc-stack').screenshot());
        if (!withWorker) {
          const painted = await fresh.evaluate(`(() => {
            const c = document.querySelector('#parallel canvas.pc-lines');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
            return n;
          })()`);
          expect(painted, mode).toBeGreaterThan(1000);
        }
      } finally {
        await fresh.close();
      }
    }
    // The worker's picture is the main thread's, pixel for pixel (which has lines: counted above).
    expect(shots[0]?.equals(shots[1] as Buffer)).toBe(true);
    expect(shots[2]?.equals(shots[1] as Buffer)).toBe(true);
  });

  it('study page: the trials table filters with the grammar and shows a bad filter inline', async () => {
    await open(`/study/${STUDY}`, '#trials-table tbody tr');
    const rows = page.locator('#trials-table tbody tr');
    await expect(rows.count()).resolves.toBe(TRIALS);

    await page.fill('#trials-filter', 'params.x > 0');
    await page.press('#trials-filter', 'Enter');
    await page.waitForSelector('#trials-table caption:has-text("matching the filter")');
    const positive = trials.filter((t) => (t.params['x'] as number) > 0);
    expect(positive.length).toBeGreaterThan(0);
    expect(positive.length).toBeLessThan(TRIALS);
    await expect(rows.count()).resolves.toBe(positive.length);
    const numbers = (await page.locator('#trials-table tbody tr td:first-child').allTextContents()).map(Number);
    expect(numbers.sort((a, b) => a - b)).toEqual(positive.map((t) => t.number).sort((a, b) => a - b));
    // The filtered view is a shareable link.
    expect(new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '').get('filter')).toBe('params.x > 0');

    await page.fill('#trials-filter', 'params.x >');
    await page.press('#trials-filter', 'Enter');
    const error = page.locator('#trials-filter-error');
    await page.waitForFunction("document.getElementById('trials-filter-error').textContent !== ''");
    await expect(error.textContent()).resolves.toMatch(/column \d+/);
    await expect(page.locator('#trials-filter').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(rows.count()).resolves.toBe(0);
    await page.locator('#trials-filter-error').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'trials-filter-error.png') });
  });

  it('runs table: the study parent run expands to its trial runs', async () => {
    await open(`/experiment/${study.study.experimentId}`, '#runs-table tbody tr');
    const expand = page.locator('#runs-table button.expand').first();
    await expand.click();
    await page.waitForSelector('#runs-table tbody tr.child');
    await expect(page.locator('#runs-table tbody tr.child').count()).resolves.toBe(TRIALS);
    await expect(expand.getAttribute('aria-expanded')).resolves.toBe('true');
    await shoot('runs');

    await page.fill('#runs-filter', 'metrics.loss <');
    await page.press('#runs-filter', 'Enter');
    await page.waitForFunction("document.getElementById('runs-error').textContent !== ''");
    await expect(page.locator('#runs-filter').getAttribute('aria-invalid')).resolves.toBe('true');
  });

  it('run page: metric chart, and the artifact downloads with its bytes', async () => {
    const best = trials.filter((t) => t.state === 'COMPLETE').sort((a, b) => (a.value as number) - (b.value as number))[0] as TrialRow;
    await open(`/run/${best.runId}`, '.metric-chart[data-points] canvas');
    const chart = page.locator('.metric-chart[data-metric="loss"]');
    await expect(chart.count()).resolves.toBe(1);
    // 8 intermediate values reported (steps 0..7) plus the final objective value logged under the same key.
    const run = await api<{ histories: Record<string, { steps: number[] }> }>(`run?run_id=${best.runId}&max_points=1000`);
    const points = run.histories['loss']?.steps.length ?? 0;
    expect(points).toBeGreaterThanOrEqual(8);
    await expect(chart.getAttribute('data-points')).resolves.toBe(String(points));
    await expect(chart.locator('canvas').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('h1').textContent()).resolves.toContain('Run ');
    await expect(page.locator('main, #app').first().textContent()).resolves.toContain(`trial #${best.number}`);

    const link = page.locator('a.download', { hasText: 'notes.txt' });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), link.click()]);
    expect(download.suggestedFilename()).toBe('notes.txt');
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toBe(notesFor(best.number));

    await page.locator('button.link', { hasText: 'preview' }).first().click();
    await page.waitForSelector('#artifact-preview pre');
    await expect(page.locator('#artifact-preview pre').textContent()).resolves.toBe(notesFor(best.number));
    await shoot('run');
  });

  it('compare: params side by side with differences, metric histories overlaid', async () => {
    const picked = trials.filter((t) => t.state === 'COMPLETE').slice(0, 3);
    await open(`/compare?runs=${picked.map((t) => t.runId).join(',')}`, '.chart[data-metric="loss"] canvas');
    await expect(page.locator('h1').textContent()).resolves.toBe('Compare 3 runs');
    await expect(page.locator('.chart[data-metric="loss"]').getAttribute('data-series')).resolves.toBe('3');
    await expect(page.locator('tr.differs').count()).resolves.toBeGreaterThan(0);
    await shoot('compare');
  });

  // Last: it adds trials to the study the tests above describe.
  it('study page: updates while `sweep run` adds trials, without a reload', async () => {
    await open(`/study/${STUDY}`, '#history-chart[data-points] canvas');
    const complete = String(study.counts['COMPLETE']);
    await expect(page.locator('#history-chart').getAttribute('data-points')).resolves.toBe(complete);
    await page.evaluate('window.__sameDocument = true');
    const more = 6;
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [BIN, 'run', FIXTURE, '--trials', String(more), '--sampler', 'random', '--storage', `sqlite:${join(dir, 'e2e.db')}`],
        { cwd: ROOT, env: { ...process.env, SWEEP_TRACKING_URI: '', SWEEP_E2E_SCRATCH: join(dir, 'scratch') }, timeout: 30_000 },
        (error, _stdout, stderr) => (error ? reject(new Error(`sweep run failed: ${error.message}\n${stderr}`)) : resolve()));
    });
    const after = await api<StudyData>(`study?name=${STUDY}`);
    expect(after.trials.number).toHaveLength(TRIALS + more);
    expect(after.counts['COMPLETE']).toBeGreaterThan(study.counts['COMPLETE'] as number);
    // The page polls every 2 s: the history and the trials table catch up on their own.
    await page.waitForFunction(`document.querySelector('#history-chart')?.getAttribute('data-points') === '${after.counts['COMPLETE']}'`, undefined, { timeout: 10_000 });
    await page.waitForFunction(`document.querySelector('#trials-table caption')?.textContent?.includes(': ${TRIALS + more}')`, undefined, { timeout: 10_000 });
    await expect(page.evaluate('window.__sameDocument')).resolves.toBe(true);
  });

  it('study page: a trials request that fails shows its error above the table, not as a page error', async () => {
    await page.route('**/api/ui/study/trials*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error_code":"TEMPORARILY_UNAVAILABLE","message":"trials are away"}' }));
    try {
      await page.goto('about:blank'); // a full load, whatever page the last test left open
      await open(`/study/${STUDY}`, '#history-chart');
      await page.waitForFunction("document.getElementById('trials-filter-error')?.textContent !== ''");
      await expect(page.locator('#trials-filter-error').textContent()).resolves.toContain('trials are away');
    } finally {
      await page.unroute('**/api/ui/study/trials*');
    }
  });

  it('a link with bad %-encoding opens the "could not load" view, not a page error', async () => {
    await page.goto(`${base}/#/study/%E0%A4%A`);
    await page.waitForSelector('h1:has-text("Could not load this view")');
    await expect(page.locator('#app [role=alert]').textContent()).resolves.toMatch(/URI/);
  });

  it('raised no uncaught errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
