// The study page of a study with several objectives in headless Chromium: the Pareto-front plot has
// one point per complete trial with the front highlighted, the hypervolume and objective histories
// are drawn, and the trials table has a column per objective and a feasibility column.
// Needs `npm run build` first and /usr/bin/chromium (skipped without it unless $CI is set).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverUrl } from '../helpers/server-url.js';
import { CHROMIUM, haveChromium, openBrowser, stopServer } from './browser.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const EXAMPLE = join(ROOT, 'examples/multi-objective/study.ts');
const SHOTS = join(ROOT, 'test-output/screenshots');
const STUDY = 'multi-objective';
const TRIALS = 40;

const skip = !haveChromium && !process.env['CI'];

interface StudyData {
  counts: Record<string, number>;
  objectives: { metrics: string[]; values: (number | null)[][]; feasible: (boolean | null)[]; front: number[]; hypervolume: { value: number[] } };
}

describe.skipIf(skip)('Pareto front in the web UI (headless Chromium)', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let base = '';
  let context: BrowserContext | undefined;
  let page: Page;
  let study: StudyData;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
    if (!existsSync(BIN) || !existsSync(join(ROOT, 'dist/ui/index.html'))) throw new Error('the built CLI or UI is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'sweep-e2e-mo-'));
    mkdirSync(SHOTS, { recursive: true });
    const env = { ...process.env, SWEEP_TRACKING_URI: '' };
    const storage = `sqlite:${join(dir, 'mo.db')}`;
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [BIN, 'run', EXAMPLE, '--trials', String(TRIALS), '--seed', '4', '--storage', storage],
        { cwd: ROOT, env, timeout: 30_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`sweep run failed: ${error.message}\n${stderr}`)) : resolve()));
    });
    const proc = spawn(process.execPath, [BIN, 'server', '--port', '0', '--host', '127.0.0.1', '--storage', storage], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = proc;
    base = await serverUrl(proc);
    const res = await fetch(`${base}/api/ui/study?name=${STUDY}`);
    expect(res.status).toBe(200);
    study = (await res.json()) as StudyData;
    ({ context, page } = await openBrowser(join(dir, 'profile'), pageErrors));
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('plots one point per complete trial and highlights the front', async () => {
    await page.goto(`${base}/#/study/${STUDY}`);
    await page.waitForSelector('#pareto-front .pareto[data-points] canvas');
    const complete = study.counts['COMPLETE'] as number;
    expect(complete).toBe(TRIALS);
    const plot = page.locator('#pareto-front .pareto');
    await expect(plot.count()).resolves.toBe(1); // two objectives: one scatter
    await expect(plot.getAttribute('data-points')).resolves.toBe(String(complete));
    await expect(plot.getAttribute('data-front')).resolves.toBe(String(study.objectives.front.length));
    const infeasible = study.objectives.feasible.filter((f) => f === false).length;
    await expect(plot.getAttribute('data-infeasible')).resolves.toBe(String(infeasible));
    expect(study.objectives.front.length).toBeGreaterThan(0);
    await expect(page.locator('#pareto-front-trials .front-trial').allTextContents()).resolves.toEqual(study.objectives.front.map((n) => `#${n}`));
    // The hypervolume history and one history per objective.
    await expect(page.locator('#hypervolume-chart').getAttribute('data-points')).resolves.toBe(String(study.objectives.hypervolume.value.length));
    await expect(page.locator('.objective-history canvas').count()).resolves.toBe(2);
    await page.locator('#objectives').screenshot({ path: join(SHOTS, 'pareto.png') });
    expect(pageErrors).toEqual([]);
  });

  it('shows a column per objective and feasibility in the trials table', async () => {
    await page.waitForSelector('#trials-table tbody tr');
    await page.waitForFunction("[...document.querySelectorAll('#trials-table thead th')].some((th) => th.textContent.includes('latency_ms'))");
    const headers = await page.locator('#trials-table thead th').allTextContents();
    expect(headers.join('|')).toMatch(/error.*latency_ms.*Feasible/);
    expect(headers.some((t) => t.trim() === 'Value')).toBe(false);
  });
});
