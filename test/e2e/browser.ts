// What the browser tests share: Debian's chromium driven by playwright-core with a fresh profile, and
// stopping the sweep server they started.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['SWEEP_E2E_CHROMIUM'] || '/usr/bin/chromium';
/** As the machine's probe starts it: no background networking (the closed network refuses it). */
export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const haveChromium = existsSync(CHROMIUM);

/** Chromium with a fresh profile in `profileDir`; page errors are pushed onto `pageErrors`. */
export async function openBrowser(
  profileDir: string, pageErrors: string[], options: { acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 }, timeout: 30_000, ...options,
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { context, page };
}

/** SIGTERM, then SIGKILL if the server has not exited within 5 s. */
export async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (server.exitCode === null) server.kill('SIGKILL');
}
