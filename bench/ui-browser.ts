// Issue 6 benchmark: the web UI in headless Chromium with 100,000 runs in the store. Two pages:
//   - runs table: #/experiment/<id of the experiment holding the study>, first page (50 top-level rows);
//   - study page: #/study/<the 5,000-trial study>.
//
// Store (SQLite file in a temp dir, written through the real APIs so the data has its real shape):
//   - one study of 5,000 finished trials run by createStudy + study.optimize (random sampler, 5 params,
//     8 intermediate values per trial, the objective logged as the metric `loss`; every 25th trial
//     pruned after reporting), through the same store calls as `sweep run`: 5,001 runs;
//   - --same-experiment (default 10,000) top-level runs in the study's experiment, started before it,
//     so the runs table's first page is the study's parent row plus 49 plain runs;
//   - the rest, up to --runs (default 100,000), in other experiments: parent runs with 49 children each;
//   plain runs get 3 params and 2 metrics through store.createRun / logBatch / updateRun.
//
// For each page: a fresh `sweep server` process (node dist/src/cli/bin.js server, 127.0.0.1, port 0)
// and a fresh Chromium (Debian's /usr/bin/chromium through playwright-core, the e2e flags) with an
// empty cache. Visit 1 is cold: the server's first request after start (no cache of any kind warmed;
// only the operating system's file cache holds the just-written SQLite file); then --warm (default 5)
// visits, each on a fresh page (tab) of the same browser and server: their median. With --rounds R
// all of that is done R times (cold: the median of R first visits; warm: of all warm visits).
//
// "Rendered", checked in the page on every animation frame by a script installed before the app
// loads; the time is performance.now() at the first frame where it holds, i.e. milliseconds since
// navigation start (precision one frame, about 17 ms):
//   - both pages: #app exists and is no longer aria-busy (the router's page promise resolved);
//   - runs table: #runs-table holds a table.data whose tbody has the first page's rows (50, or every
//     top-level run if fewer), none of them the empty placeholder, and the pager is drawn;
//   - study page: #history-chart[data-points] has its uPlot canvas; #curves-chart has its canvas (or
//     the "no intermediate values" note); #parallel has canvas.pc[data-selected] (axes drawn) and
//     canvas.pc-lines[data-lines] (its lines drawn, by the drawing worker or the main thread); one
//     #slices .slice[data-points] with a canvas per param; #importance has its bars or note; and
//     #trials-table's tbody has the first page's 50 rows.
// uPlot draws in a microtask after construction and the parallel coordinates' axes synchronously; their
// lines are drawn by a worker, which answers once it has drawn them (then data-lines is set). So at that
// frame callback every canvas holds its whole drawing: the frame being produced shows the complete page.
//
// Where a warm study page's time went (Chromium trace, 2026-12-03): one task of about 330 ms drew the
// page once its data was there: ~100 ms of script (uPlot layout and our chart code), ~120 ms rasterizing
// canvases when the task ended (CanvasRenderingContext2D::FinalizeFrame; the parallel coordinates' 5,000
// antialiased polylines about half of it, the 5,000-point scatter plots most of the rest), ~20 ms style
// and layout; then the trials table and one frame. Cold adds the server's first read (about 250 ms).
// Since then the polylines are drawn by a worker (ui/src/pc-worker.ts), beside the main thread.
// Run: npm run bench:ui [-- --warm 5 --runs 100000 --trials 5000 --same-experiment 10000
//                           --rounds 1 (fresh server and browser per round: cold is the median of the rounds)
//                           --db /tmp/x.db (seeded once, then reused)
//                           --write (the section into bench/RESULTS.md, or into --results FILE)]
// Exits 1 when a page misses the target.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createStudy } from '../src/app/create-study.js';
import { hp } from '../src/space/hp.js';
import { SqliteStore } from '../src/tracking/sqlite/sqlite-store.js';
import { serverUrl } from '../test/helpers/server-url.js';
import { numberFlag } from './flags.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const CHROMIUM = process.env['SWEEP_E2E_CHROMIUM'] || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const STUDY = 'ui-bench';
const PAGE_ROWS = 50;
const TARGET_MS = 1000;
const NAVIGATION_TIMEOUT_MS = 30_000;
const WHOLE_BENCH_LIMIT_MS = 15 * 60_000;

const argv = process.argv.slice(2);
const totalRuns = numberFlag('runs', 100_000, argv);
const trials = numberFlag('trials', 5000, argv);
const sameExperiment = numberFlag('same-experiment', 10_000, argv);
const warmVisits = Math.min(50, Math.max(1, Math.round(numberFlag('warm', 5, argv))));
const rounds = Math.min(10, Math.max(1, Math.round(numberFlag('rounds', 1, argv))));
const dbFlag = argv.indexOf('--db');
const resultsFlag = argv.indexOf('--results');
const resultsFile = resultsFlag >= 0 ? (argv[resultsFlag + 1] as string) : join(ROOT, 'bench/RESULTS.md');
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const loadAtStart = loadavg();
const tempDirectory = mkdtempSync(join(tmpdir(), 'sweep-bench-ui-'));
const dbPath = dbFlag >= 0 ? (argv[dbFlag + 1] as string) : join(tempDirectory, 'sweep.db');
const servers = new Set<ChildProcess>();
let browser: Browser | undefined;
const limit = setTimeout(() => {
  log(`bench:ui: gave up after ${WHOLE_BENCH_LIMIT_MS / 60_000} min`);
  void cleanup().finally(() => process.exit(2));
}, WHOLE_BENCH_LIMIT_MS);
process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

interface Visit { ms: number; api: ApiTiming[]; drawMs: number; chartsEndMs: number; scriptsMs: number; domReadyMs: number }
interface ApiTiming { path: string; startMs: number; ms: number; waitMs: number; kib: number }
/** Per page: one cold visit per round, and every warm visit of every round. */
interface PageResult { name: string; hash: string; cold: Visit[]; warm: Visit[] }

try {
  if (!existsSync(BIN) || !existsSync(join(ROOT, 'dist/ui/index.html'))) throw new Error('the built CLI or UI is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);
  const seedSeconds = existsSync(dbPath) ? undefined : await seed(dbPath);
  if (seedSeconds === undefined) log(`reusing ${dbPath}`);
  const layout = await describeStore(dbPath);
  const pages = [
    {
      name: `runs table, first page (experiment of the study, ${layout.topLevel.toLocaleString('en-US')} top-level runs)`, hash: `/experiment/${layout.experimentId}`,
      kind: 'runs' as const, rows: Math.min(PAGE_ROWS, layout.topLevel),
      // The study's parent run is the newest top-level run: first row, with its trial count.
      check: `document.querySelector('#runs-table tbody tr')?.textContent?.includes('${layout.trials}') === true`,
    },
    {
      name: `study page (${layout.trials.toLocaleString('en-US')} trials)`, hash: `/study/${STUDY}`, kind: 'study' as const, rows: Math.min(PAGE_ROWS, layout.trials),
      // One history point per COMPLETE trial.
      check: `document.querySelector('#history-chart')?.getAttribute('data-points') === '${layout.complete}'`,
    },
  ];
  const results: PageResult[] = [];
  let chromiumVersion = '?';
  for (const p of pages) {
    const result: PageResult = { name: p.name, hash: p.hash, cold: [], warm: [] };
    for (let round = 0; round < rounds; round++) {
      const server = await startSweepServer(dbPath);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 30_000 });
      chromiumVersion = browser.version();
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(renderedProbe(p.kind, p.rows, layout.params));
      const visit = async (): Promise<Visit> => {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        try {
          const timing = await timeVisit(page, `${server.url}/#${p.hash}`);
          if (errors.length > 0) throw new Error(`${p.name}: the page threw: ${errors.join('; ')}`);
          if ((await page.evaluate(p.check)) !== true) throw new Error(`${p.name}: rendered, but not what the store holds (${p.check} is false)`);
          return timing;
        } finally {
          await page.close();
        }
      };
      const cold = await visit();
      const warm: Visit[] = [];
      for (let i = 0; i < warmVisits; i++) warm.push(await visit());
      log(`${p.name}: cold ${cold.ms.toFixed(0)} ms, warm ${warm.map((v) => v.ms.toFixed(0)).join(', ')} ms`);
      result.cold.push(cold);
      result.warm.push(...warm);
      await browser.close();
      browser = undefined;
      await stopServer(server.process);
    }
    results.push(result);
  }
  const section = report(results, layout, seedSeconds, chromiumVersion);
  process.stdout.write(`${section}\n`);
  if (argv.includes('--write')) writeSection(resultsFile, section);
  if (results.some((r) => median(r.cold.map((v) => v.ms)) >= TARGET_MS || median(r.warm.map((v) => v.ms)) >= TARGET_MS)) process.exitCode = 1;
} finally {
  await cleanup();
}

// --- seeding ---

async function seed(file: string): Promise<number> {
  const started = performance.now();
  const store = new SqliteStore(file);
  try {
    const study = await createStudy({
      name: STUDY, sampler: 'random', seed: 6, storage: store, metric: 'loss', direction: 'minimize',
      space: {
        lr: hp.loguniform(1e-5, 1e-1), dropout: hp.uniform(0, 0.5), layers: hp.randint(1, 9),
        batch: hp.choice([16, 32, 64, 128]), optimizer: hp.choice(['adam', 'sgd', 'rmsprop']),
      },
    });
    await study.optimize((t) => {
      const { lr, dropout, layers, batch, optimizer } = t.params;
      const final = (Math.log10(lr) + 3) ** 2 + (dropout - 0.2) ** 2 + 0.05 * Math.abs(layers - 4) + batch / 1000 + (optimizer === 'adam' ? 0 : 0.2);
      for (let step = 0; step < 8; step++) t.report(final + 1 / (step + 1), step);
      return t.number % 25 === 24 ? t.pruned() : final;
    }, { trials });
    log(`seeded the study: ${trials} trials in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const record = await store.getStudy(STUDY);
    if (!record) throw new Error('the study vanished');
    const before = record.createdTime - 10_000_000;
    let made = trials + 1;
    for (let i = 0; i < sameExperiment && made < totalRuns; i++, made++) await plainRun(store, record.experimentId, `run-${i}`, before + i * 100);
    for (let e = 0; made < totalRuns; e++) {
      const experiment = await store.createExperiment(`other-${e}`);
      let parent = '';
      for (let i = 0; i < 10_000 && made < totalRuns; i++, made++) {
        const runId = await plainRun(store, experiment.experimentId, `other-${e}-${i}`, before + i * 100, i % 50 === 0 ? undefined : parent);
        if (i % 50 === 0) parent = runId;
      }
    }
    log(`seeded ${made} runs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await store.close();
  }
  return (performance.now() - started) / 1000;
}

async function plainRun(store: SqliteStore, experimentId: string, runName: string, startTime: number, parentRunId?: string): Promise<string> {
  const run = await store.createRun({ experimentId, runName, startTime, ...(parentRunId !== undefined && { parentRunId }) });
  const k = startTime % 997;
  await store.logBatch(run.info.runId, {
    params: { model: k % 3 === 0 ? 'mlp' : 'cnn', lr: String(10 ** (-1 - (k % 4))), epochs: String(5 + (k % 20)) },
    metrics: [{ key: 'acc', value: k / 997, timestamp: startTime + 50, step: 0 }, { key: 'loss', value: 1 - k / 997, timestamp: startTime + 50, step: 0 }],
  });
  await store.updateRun(run.info.runId, { status: 'FINISHED', endTime: startTime + 60 });
  return run.info.runId;
}

interface StoreLayout { experimentId: string; trials: number; complete: number; params: number; topLevel: number; runs: number }

async function describeStore(file: string): Promise<StoreLayout> {
  const store = new SqliteStore(file);
  try {
    const study = await store.getStudy(STUDY);
    if (!study) throw new Error(`${file} has no study ${STUDY}`);
    const all = await store.getTrials(study.studyId);
    const params = new Set(all.flatMap((t) => Object.keys(t.distributions))).size;
    const count = async (parentTagNull: boolean, ids: string[]): Promise<number> => {
      let n = 0;
      let pageToken: string | undefined;
      do {
        const page = await store.searchRuns({ experimentIds: ids, maxResults: 50_000, ...(parentTagNull && { filter: 'tags.`mlflow.parentRunId` IS NULL' }), ...(pageToken && { pageToken }) });
        n += page.items.length;
        pageToken = page.nextPageToken;
      } while (pageToken);
      return n;
    };
    const experiments = (await store.listExperiments()).map((e) => e.experimentId);
    return {
      experimentId: study.experimentId, trials: all.length, complete: all.filter((t) => t.state === 'COMPLETE').length, params,
      topLevel: await count(true, [study.experimentId]), runs: await count(false, experiments),
    };
  } finally {
    await store.close();
  }
}

// --- server and browser ---

async function startSweepServer(file: string): Promise<{ url: string; process: ChildProcess }> {
  const proc = spawn(process.execPath, [BIN, 'server', '--host', '127.0.0.1', '--port', '0', '--storage', `sqlite:${file}`],
    { cwd: ROOT, env: { ...process.env, SWEEP_TRACKING_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(proc);
  const url = await serverUrl(proc);
  return { url, process: proc };
}

async function stopServer(proc: ChildProcess): Promise<void> {
  servers.delete(proc);
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

async function cleanup(): Promise<void> {
  clearTimeout(limit);
  await browser?.close().catch(() => undefined);
  browser = undefined;
  await Promise.all([...servers].map(stopServer));
  rmSync(tempDirectory, { recursive: true, force: true }); // the seeded file too, unless --db put it elsewhere
}

/**
 * The in-page check (see the header), as a script run before the app on every new document:
 * sets window.__sweepRendered to performance.now() at the first animation frame where it holds.
 */
function renderedProbe(kind: 'runs' | 'study', rows: number, params: number): string {
  return `(() => {
    const all = (s) => [...document.querySelectorAll(s)];
    const tableFilled = (id) => {
      const body = document.querySelector(id + ' table.data tbody');
      return body !== null && body.rows.length >= ${rows} && body.querySelector('td.empty') === null && document.querySelector(id + ' .pager') !== null;
    };
    const checks = {
      runs: () => tableFilled('#runs-table'),
      study: () => document.querySelector('#history-chart[data-points] canvas') !== null
        && (document.querySelector('#curves-chart canvas') !== null || document.querySelector('#curves-chart p.muted') !== null)
        && document.querySelector('#parallel canvas.pc[data-selected]') !== null
        && document.querySelector('#parallel canvas.pc-lines[data-lines]') !== null
        && all('#slices .slice[data-points]').filter((s) => s.querySelector('canvas') !== null).length >= ${params}
        && document.querySelector('#importance ul.bars, #importance p') !== null
        && tableFilled('#trials-table'),
    };
    const rendered = () => {
      const app = document.getElementById('app');
      return app !== null && !app.hasAttribute('aria-busy') && checks[${JSON.stringify(kind)}]();
    };
    const frame = () => {
      if (rendered()) window.__sweepRendered = performance.now();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })();`;
}

async function timeVisit(page: Page, url: string): Promise<Visit> {
  await page.goto(url, { timeout: NAVIGATION_TIMEOUT_MS });
  await page.waitForFunction('window.__sweepRendered !== undefined', undefined, { timeout: NAVIGATION_TIMEOUT_MS });
  // Strings: this file is type-checked without the DOM lib.
  return (await page.evaluate(`(() => ({
    ms: window.__sweepRendered,
    drawMs: performance.getEntriesByType('measure').filter((m) => m.name.startsWith('sweep:')).reduce((n, m) => n + m.duration, 0),
    chartsEndMs: Math.max(0, ...performance.getEntriesByType('measure').filter((m) => m.name.startsWith('sweep:')).map((m) => m.startTime + m.duration)),
    scriptsMs: Math.max(0, ...performance.getEntriesByType('resource').filter((r) => r.name.includes('/ui/app.')).map((r) => r.responseEnd)),
    domReadyMs: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0,
    api: performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/ui/')).map((r) => ({
      path: new URL(r.name).pathname.replace('/api/ui/', ''), startMs: r.startTime, ms: r.responseEnd - r.startTime, waitMs: r.responseStart - r.requestStart, kib: r.encodedBodySize / 1024,
    })),
  }))()`)) as Visit;
}

// --- report ---

function report(results: readonly PageResult[], layout: StoreLayout, seedSeconds: number | undefined, chromiumVersion: string): string {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
  const fmt = (x: number): string => x.toFixed(0);
  const verdict = (x: number): string => (x < TARGET_MS ? 'met' : '**missed**');
  const apis = (v: Visit): string => `bundle loaded at ${fmt(v.scriptsMs)}, DOM ready at ${fmt(v.domReadyMs)}; ` +
    v.api.map((a) => `${a.path} at ${fmt(a.startMs)} for ${fmt(a.ms)} (server ${fmt(a.waitMs)}, ${a.kib.toFixed(0)} KiB)`).join('; ') +
    (v.drawMs > 0 ? `; charts ${fmt(v.drawMs)} ms of script, the last done at ${fmt(v.chartsEndMs)}` : '');
  const middle = (visits: readonly Visit[]): Visit => [...visits].sort((a, b) => a.ms - b.ms)[Math.floor(visits.length / 2)] as Visit;
  const rows = results.map((r) => {
    const cold = middle(r.cold).ms;
    const warm = middle(r.warm).ms;
    const colds = r.cold.length > 1 ? ` (${r.cold.map((v) => fmt(v.ms)).join(', ')})` : '';
    return `| ${r.name} | ${fmt(cold)}${colds} | ${fmt(warm)} | ${r.warm.map((v) => fmt(v.ms)).join(', ')} | ${verdict(Math.max(cold, warm))} |`;
  });
  const details = results.map((r) => `- ${r.name}: ${rounds > 1 ? 'median ' : ''}cold: ${apis(middle(r.cold))}; rendered at ${fmt(middle(r.cold).ms)}.` +
    ` Median warm: ${apis(middle(r.warm))}; rendered at ${fmt(middle(r.warm).ms)}.`);
  const command = `npm run bench:ui${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  return [
    '## Web UI render (issue 6)',
    '',
    `- Command: \`${command}\` (\`node --import tsx bench/ui-browser.ts\` after the build). Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    `- Machine: \`nproc\` ${availableParallelism()}, CPU \`${cpu}\`, node ${process.version}, Chromium ${chromiumVersion} (headless, Debian build, driven by playwright-core); ` +
      `load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}, at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')}.`,
    `- Store: SQLite, ${layout.runs.toLocaleString('en-US')} runs: study \`${STUDY}\` (${layout.trials.toLocaleString('en-US')} finished trials, ${layout.params} params, 8 intermediate values each,` +
      ` run by createStudy + optimize), ${layout.topLevel.toLocaleString('en-US')} top-level runs in its experiment, the rest in other experiments` +
      `${seedSeconds === undefined ? ' (file reused)' : `; seeded in ${seedSeconds.toFixed(0)} s`}.`,
    `- Each page${rounds > 1 ? `, ${rounds} rounds` : ''}: a fresh \`sweep server\` process and a fresh Chromium; cold = the first visit (the server's first request${rounds > 1 ? '; median of the rounds' : ''}), ` +
      `warm = median of ${warmVisits} more visits${rounds > 1 ? ' per round, pooled' : ''}, each in a new tab. Time: navigation start to "rendered" (every chart drawn, the table's first page filled; ` +
      `see the header of bench/ui-browser.ts), measured in the page to the animation frame. Target < ${TARGET_MS} ms, cold and warm.`,
    '',
    '| page | cold ms | warm ms (median) | warm visits (ms) | target |',
    '|---|---:|---:|---|---|',
    ...rows,
    '',
    'Where the time goes, in ms since navigation start (resource timing: when each JSON request started, how long it took, how long the server took to the first byte and the size;' +
      ' charts: script time of the `sweep:*` measures; after the last, the frame is painted):',
    '',
    ...details,
    '',
  ].join('\n');
}

/** Replaces the section of the same title in RESULTS.md (up to the next `## `), or appends it. */
function writeSection(file: string, section: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const title = section.slice(0, section.indexOf('\n'));
  const start = text.indexOf(`${title}\n`);
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + title.length);
  writeFileSync(file, `${text.slice(0, start)}${section}${next < 0 ? '' : `\n${text.slice(next + 1)}`}`);
}
