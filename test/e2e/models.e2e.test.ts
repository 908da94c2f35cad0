// The Models pages in headless Chromium (Debian's `chromium`, driven by playwright-core): a study whose
// trials log models is run with the built CLI, its best trial registered (`sweep best --register gbm
// --alias champion`), then `sweep server` serves the UI: the Models page lists the model with its
// alias, the model page lists the version with its stage and a link to its run, and the run page
// shows the model it logged and where it is registered. Screenshots go to test-output/screenshots/.
//
// Needs `npm run build` first. Without chromium the tests fail when $CI is set and are skipped otherwise.
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
const STUDY_FILE = join(ROOT, 'test/fixtures/studies/gbm.ts');
const SHOTS = join(ROOT, 'test-output/screenshots');

const skip = !haveChromium && !process.env['CI'];

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) =>
      (error ? reject(new Error(`sweep ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout)));
  });
}

describe.skipIf(skip)('Models pages in headless Chromium', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let base = '';
  let context: BrowserContext | undefined;
  let page: Page;
  let bestRunId = '';
  const pageErrors: string[] = [];

  const open = async (hash: string, ready: string): Promise<void> => {
    await page.goto(`${base}/#${hash}`);
    await page.waitForSelector(ready, { timeout: 10_000 });
    await page.waitForFunction("!document.getElementById('app').hasAttribute('aria-busy')", undefined, { timeout: 10_000 });
  };

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
    if (!existsSync(BIN) || !existsSync(join(ROOT, 'dist/ui/index.html'))) throw new Error('the built CLI or UI is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'sweep-e2e-models-'));
    mkdirSync(SHOTS, { recursive: true });
    const env = { ...process.env, SWEEP_TRACKING_URI: `sqlite:${join(dir, 'e2e.db')}` };
    await cli(['run', STUDY_FILE, '--trials', '5', '--seed', '3'], env);
    bestRunId = (JSON.parse(await cli(['best', '--json'], env)) as { runId: string }).runId;
    await cli(['best', '--register', 'gbm', '--alias', 'champion'], env);
    await cli(['models', 'stage', 'gbm', '1', 'Staging'], env);
    const proc = spawn(process.execPath, [BIN, 'server', '--port', '0', '--host', '127.0.0.1', '--no-access-log'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = proc;
    base = await serverUrl(proc);
    ({ context, page } = await openBrowser(join(dir, 'profile'), pageErrors));
  }, 90_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stopServer(server);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('lists the registered model with its alias on the Models page (linked from the header)', async () => {
    await open('/', 'header nav');
    await page.click('header nav a[href="#/models"]');
    await page.waitForSelector('a.model-link');
    const row = page.locator('table.data tbody tr', { hasText: 'gbm' });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('.alias').textContent()).resolves.toBe('@champion → v1');
    await expect(row.locator('.badge').textContent()).resolves.toBe('Staging');
    await page.screenshot({ path: join(SHOTS, 'models.png'), fullPage: true });
  });

  it('shows the versions with stage and aliases, each linked to its run; the run page shows the model', async () => {
    await open('/model/gbm', 'a.version-link');
    const row = page.locator('table.data tbody tr').first();
    await expect(row.locator('.badge').textContent()).resolves.toBe('Staging');
    await expect(row.locator('.alias').textContent()).resolves.toBe('@champion');
    await expect(row.locator('a[href^="#/study/"]').textContent()).resolves.toBe('gbm');
    await page.screenshot({ path: join(SHOTS, 'model.png'), fullPage: true });
    await row.locator('a.run-link').click();
    await page.waitForSelector('section[aria-label="Models"] a.version-link');
    expect(page.url()).toContain(`#/run/${bestRunId}`);
    await expect(page.locator('section[aria-label="Models"] .logged-models li').first().textContent()).resolves.toMatch(/^model \(gbm_json\) logged /);
    await expect(page.locator('section[aria-label="Models"] a.version-link').textContent()).resolves.toBe('gbm v1');
    const dataset = page.locator('section[aria-label="Datasets"] table tbody tr');
    await expect(dataset.count()).resolves.toBe(1);
    await expect(dataset.locator('td').nth(1).textContent()).resolves.toBe('training');
    await page.screenshot({ path: join(SHOTS, 'run-models.png'), fullPage: true });
  });

  it('shows a version page with its source run and the URI to load it', async () => {
    await open('/model/gbm/1', 'table.kv');
    const text = await page.locator('table.kv').textContent();
    expect(text).toContain('models:/gbm@champion');
    expect(text).toContain(`runs:/${bestRunId}/model`);
    const mlmodel = await page.evaluate("fetch(document.querySelector('a.mlmodel-link').href).then((r) => r.text())") as string;
    expect(mlmodel).toMatch(/^artifact_path: model$/m);
    expect(pageErrors).toEqual([]);
  });
});
