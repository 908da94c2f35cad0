// End to end: the built `sweep` command on the examples, checked against the SQLite file it writes.
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { PG_URL, pgAvailable } from '../helpers/pg.js';
import { ROOT, spawnSweep, sweep, queryDb as query } from './helpers.js';

const QUADRATIC = join(ROOT, 'examples/quadratic/study.ts');
const fixture = (name: string): string => join(ROOT, 'test/fixtures/studies', name);

const pgReachable = await pgAvailable();

/**
 * Leaves `dir` readable but not writable for the process `sweep` runs as: root (who may write anything)
 * runs it as nobody; anyone else loses write permission on the folder.
 */
async function readerWithoutWriteAccess(dir: string): Promise<{ uid?: number; gid?: number }> {
  chmodSync(dir, 0o755);
  if (process.getuid?.() !== 0) {
    chmodSync(dir, 0o555);
    onTestFinished(() => chmodSync(dir, 0o755));
    return {};
  }
  return { uid: 65534, gid: 65534 };
}

describe('sweep run', () => {
  it('runs the quadratic example into ./sweep.db: one parent run, N child runs with params and the metric', async () => {
    const dir = tempDir();
    const result = await sweep(['run', QUADRATIC, '--trials', '25', '--seed', '3'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Ran 25 trials \(25 complete, 0 failed\)/);
    expect(result.stdout).toMatch(/Best loss: /);
    const db = join(dir, 'sweep.db');
    expect(existsSync(db)).toBe(true);
    const parents = query<{ run_id: string; status: string }>(db, "SELECT r.run_id, r.status FROM runs r JOIN tags t ON t.run_id = r.run_id WHERE t.key = 'sweep.role' AND t.value = 'study'");
    expect(parents).toHaveLength(1);
    expect(parents[0]?.status).toBe('FINISHED');
    const children = query<{ run_id: string }>(db, "SELECT run_id FROM tags WHERE key = 'mlflow.parentRunId' AND value = ?", parents[0]?.run_id);
    expect(children).toHaveLength(25);
    for (const { run_id } of children) {
      const params = query<{ key: string }>(db, 'SELECT key FROM params WHERE run_id = ? ORDER BY key', run_id).map((p) => p.key);
      expect(params).toEqual(['x', 'y']);
      expect(query(db, "SELECT 1 FROM latest_metrics WHERE run_id = ? AND key = 'loss'", run_id)).toHaveLength(1);
    }
  });

  it('adds trials to the same study when run again, and `best --json` prints the best trial', async () => {
    const dir = tempDir();
    expect((await sweep(['run', QUADRATIC, '--trials', '10'], dir)).code).toBe(0);
    const again = await sweep(['run', QUADRATIC, '--trials', '10'], dir);
    expect(again.stderr).toMatch(/Resuming study "quadratic" .* with 10 earlier trials/);
    const db = join(dir, 'sweep.db');
    expect(query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM trials')[0]?.n).toBe(20);
    expect(query<{ n: number }>(db, 'SELECT COUNT(DISTINCT number) AS n FROM trials')[0]?.n).toBe(20);
    const best = await sweep(['best', '--json'], dir);
    expect(best.code).toBe(0);
    const parsed = JSON.parse(best.stdout) as { study: string; value: number; params: { x: number; y: number }; runId: string };
    const min = query<{ v: number }>(db, "SELECT MIN(value) AS v FROM trials WHERE state = 'COMPLETE'")[0]?.v;
    expect(parsed.study).toBe('quadratic');
    expect(parsed.value).toBe(min);
    expect(parsed.value).toBeCloseTo((parsed.params.x - 2) ** 2 + (parsed.params.y + 1) ** 2, 10);
    expect(parsed.runId).toMatch(/^[0-9a-f]{32}$/);
    const top = JSON.parse((await sweep(['best', '--json', '--top', '3'], dir)).stdout) as { value: number }[];
    expect(top.map((t) => t.value)).toEqual([...top.map((t) => t.value)].sort((a, b) => a - b));
  });

  it('starts no more worker threads than trials to run: --jobs 8 --trials 2 starts 2', async () => {
    const dir = tempDir();
    const loads = join(dir, 'loads.txt');
    const result = await sweep(['run', fixture('count-loads.ts'), '--jobs', '8', '--trials', '2'], dir, { LOADS_FILE: loads });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Starting study "count-loads" \(.*, threads x2\)/);
    // The main thread's load and one per worker (each loads the study file as it starts).
    expect(new Set(readFileSync(loads, 'utf8').trim().split('\n')).size).toBeLessThanOrEqual(3);
  });

  it('keeps going when trials throw, and lists them with their errors', async () => {
    const dir = tempDir();
    const result = await sweep(['run', fixture('flaky.ts'), '--trials', '9'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Ran 9 trials \(6 complete, 3 failed\)/);
    const failed = await sweep(['trials', 'flaky', '--state', 'fail', '--json'], dir);
    const rows = JSON.parse(failed.stdout) as { number: number; error: string }[];
    expect(rows.map((r) => r.number)).toEqual([2, 5, 8]);
    expect(rows[0]?.error).toBe('Error: flaky failure in trial 2');
  });

  it('shows an error of many lines and 100,000 characters as one short line per trial, and stores it bounded', async () => {
    const dir = tempDir();
    const result = await sweep(['run', fixture('long-errors.ts'), '--trials', '2'], dir);
    expect(result.code).toBe(0);
    const trialLines = result.stderr.split('\n').filter((l) => l.startsWith('trial '));
    expect(trialLines).toHaveLength(2);
    for (const line of trialLines) {
      expect(line).toMatch(/^trial \d FAIL error="Error: first line \| second line \| x+…"$/);
      expect(line.length).toBeLessThan(400);
    }
    const listed = (await sweep(['trials'], dir)).stdout.trimEnd().split('\n');
    expect(listed).toHaveLength(3); // the header and one row per trial
    for (const row of listed) expect(row.length).toBeLessThan(400);
    const rows = JSON.parse((await sweep(['trials', '--json'], dir)).stdout) as { error: string }[];
    expect(rows[0]?.error).toMatch(/^Error: first line\nsecond line\nx+…$/);
    expect(rows[0]?.error.length).toBeLessThanOrEqual(20_010);
  });

  it('lists the trials of the only study without naming it, whole when piped', async () => {
    const dir = tempDir();
    expect((await sweep(['run', QUADRATIC, '--trials', '5'], dir)).code).toBe(0);
    const listed = await sweep(['trials', '--json'], dir);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { number: number }[]).map((t) => t.number)).toEqual([0, 1, 2, 3, 4]);
    const named = await sweep(['trials', '--study', 'quadratic', '--json'], dir);
    expect(named.stdout).toBe(listed.stdout);
  });

  it('honours --storage, --study and SWEEP_TRACKING_URI', async () => {
    const dir = tempDir();
    await sweep(['run', QUADRATIC, '--trials', '3', '--storage', 'sqlite:custom.db', '--study', 'other'], dir);
    expect(existsSync(join(dir, 'custom.db'))).toBe(true);
    expect(existsSync(join(dir, 'sweep.db'))).toBe(false);
    const viaEnv = await sweep(['studies', '--json'], dir, { SWEEP_TRACKING_URI: 'sqlite:custom.db' });
    expect((JSON.parse(viaEnv.stdout) as { name: string }[]).map((s) => s.name)).toEqual(['other']);
  });

  it('stops the running trial (FAIL, interrupted) on SIGTERM and exits 143', async () => {
    const dir = tempDir();
    const child = spawnSweep(['run', fixture('slow.ts'), '--trials', '5'], dir);
    await printed(child.stdout, 'TRIAL-1-RUNNING');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(143);
    const db = join(dir, 'sweep.db');
    const states = query<{ number: number; state: string }>(db, 'SELECT number, state FROM trials ORDER BY number');
    expect(states).toEqual([{ number: 0, state: 'COMPLETE' }, { number: 1, state: 'FAIL' }]);
    expect(query<{ value: string }>(db, "SELECT value FROM tags WHERE key = 'sweep.fail_reason'")[0]?.value).toBe('interrupted');
  });

  it('drains on the first Ctrl-C, stops the running trial (FAIL, interrupted) on the second', async () => {
    const dir = tempDir();
    const child = spawnSweep(['run', fixture('slow.ts'), '--trials', '5'], dir);
    await printed(child.stdout, 'TRIAL-1-RUNNING');
    child.kill('SIGINT');
    await printed(child.stderr, 'Stopping: no new trials');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const db = join(dir, 'sweep.db');
    const states = query<{ number: number; state: string }>(db, 'SELECT number, state FROM trials ORDER BY number');
    expect(states).toEqual([{ number: 0, state: 'COMPLETE' }, { number: 1, state: 'FAIL' }]);
    expect(query<{ value: string }>(db, "SELECT value FROM tags WHERE key = 'sweep.fail_reason'")[0]?.value).toBe('interrupted');
  });
});

/** Resolves once `stream` has printed `text`, which may arrive split across chunks. */
function printed(stream: NodeJS.ReadableStream | null, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    stream?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve();
    });
  });
}

describe('study files in a user project', () => {
  // The user's project depends on sweep (node_modules/sweep: this package) and its study file is a `.ts`
  // file that Node takes for CommonJS: no package.json, or one without "type": "module".
  const STUDY = `import { defineStudy, hp } from 'sweep';
export const offset = 2;
export default defineStudy({
  name: 'user-project',
  space: { x: hp.uniform(-5, 5) },
  objective: (trial) => (trial.params.x - offset) ** 2,
});
`;
  const project = (file: string, packageJson?: object): string => {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'sweep'), 'dir');
    if (packageJson) writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson));
    writeFileSync(join(dir, file), STUDY);
    return dir;
  };

  it.each([
    ['study.ts', 'without a package.json', undefined],
    ['study.ts', 'in a CommonJS package', { name: 'user-project', type: 'commonjs' }],
    ['study.ts', 'in an ESM package', { name: 'user-project', type: 'module' }],
    ['study.mts', 'in a CommonJS package', { name: 'user-project' }],
    ['study.cts', 'in an ESM package', { name: 'user-project', type: 'module' }],
  ])('loads %s %s, inline', async (file, _label, packageJson) => {
    const dir = project(file, packageJson);
    const inline = await sweep(['run', file, '--trials', '4', '--seed', '1'], dir);
    expect(inline.stderr).not.toMatch(/cannot load/);
    expect(inline.code).toBe(0);
    expect(inline.stdout).toMatch(/Ran 4 trials \(4 complete, 0 failed\)/);
    const best = JSON.parse((await sweep(['best', '--json'], dir)).stdout) as { study: string };
    expect(best.study).toBe('user-project');
  });

  it.each([
    ['study.ts', 'without a package.json', undefined],
    ['study.mts', 'in a CommonJS package', { name: 'user-project' }],
    ['study.cts', 'in an ESM package', { name: 'user-project', type: 'module' }],
  ])('loads %s %s in worker threads', async (file, _label, packageJson) => {
    const dir = project(file, packageJson);
    const threads = await sweep(['run', file, '--trials', '4', '--jobs', '2'], dir);
    expect(threads.stderr).not.toMatch(/cannot load/);
    expect(threads.code).toBe(0);
    expect(threads.stdout).toMatch(/Ran 4 trials \(4 complete, 0 failed\)/);
  });

  it.each(['study.ts', 'study.mts', 'study.cts'])('runs %s whose project has no sweep with the sweep that runs it, inline and in worker threads', async (file) => {
    // A sweep installed globally (or in another project) runs a study file in any directory.
    const dir = tempDir();
    writeFileSync(join(dir, file), STUDY);
    const inline = await sweep(['run', file, '--trials', '2', '--seed', '1'], dir);
    expect(inline.stderr).not.toMatch(/cannot load/);
    expect(inline.stdout).toMatch(/Ran 2 trials \(2 complete, 0 failed\)/);
    const threads = await sweep(['run', file, '--trials', '2', '--jobs', '2'], dir);
    expect(threads.stderr).not.toMatch(/cannot load/);
    expect(threads.stdout).toMatch(/Ran 2 trials \(2 complete, 0 failed\)/);
  });

  it.each([
    ['study.ts', 'without a package.json', undefined],
    ['study.cts', 'in an ESM package', { name: 'user-project', type: 'module' }],
  ])('gives %s %s (CommonJS) the ES module sweep that runs it, not a compiled copy, inline and in worker threads', async (file, _label, packageJson) => {
    // One sweep per process: the namespace already loaded, instead of tsx compiling sweep to CommonJS again.
    const dir = project(file, packageJson);
    writeFileSync(join(dir, file), `import { defineStudy, hp } from 'sweep';
const self = require('sweep');
process.stderr.write('sweep is ' + String(self[Symbol.toStringTag]) + '\\n');
export default defineStudy({ name: 'user-project', space: { x: hp.uniform(-5, 5) }, objective: (trial) => trial.params.x ** 2 });
`);
    for (const args of [['--seed', '1'], ['--jobs', '2', '--executor', 'threads']]) {
      const run = await sweep(['run', file, '--trials', '2', ...args], dir);
      expect(run.stdout).toMatch(/Ran 2 trials \(2 complete, 0 failed\)/);
      expect(run.stderr).toMatch(/sweep is Module/);
      expect(run.stderr).not.toMatch(/sweep is (?!Module)/);
    }
  });

  it('loads in worker threads an ES module study that imports TypeScript, statically and at trial time', async () => {
    // Workers load what the main thread compiled; late.ts, first imported by a trial, the main thread never saw.
    const dir = project('study.ts', { name: 'user-project', type: 'module' });
    writeFileSync(join(dir, 'helper.ts'), 'export const square = (x: number): number => x * x;\n');
    writeFileSync(join(dir, 'late.ts'), 'export const shift: number = 1;\n');
    writeFileSync(join(dir, 'study.ts'), `import { defineStudy, hp } from 'sweep';
import { square } from './helper.js';
export default defineStudy({
  name: 'user-project',
  space: { x: hp.uniform(-5, 5) },
  objective: async (trial) => square(trial.params.x) + (await import('./late.js')).shift,
});
`);
    const threads = await sweep(['run', 'study.ts', '--trials', '4', '--jobs', '2'], dir);
    expect(threads.stderr).not.toMatch(/cannot load/);
    expect(threads.stdout).toMatch(/Ran 4 trials \(4 complete, 0 failed\)/);
    const best = JSON.parse((await sweep(['best', '--json'], dir)).stdout) as { value: number; params: { x: number } };
    expect(best.value).toBeCloseTo(best.params.x ** 2 + 1, 9);
  });
});

describe('sweep run with a pruner', () => {
  it('ends hopeless trials PRUNED: shown with their last report by `trials`, KILLED runs tagged PRUNED', async () => {
    const dir = tempDir();
    const run = await sweep(['run', join(ROOT, 'examples/pruning/study.ts'), '--trials', '40', '--seed', '2'], dir);
    expect(run.code).toBe(0);
    const counts = /Ran 40 trials \((\d+) complete, (\d+) pruned, 0 failed\)/.exec(run.stdout);
    expect(counts).not.toBeNull();
    const pruned = Number(counts?.[2]);
    expect(pruned).toBeGreaterThan(0);
    expect(Number(counts?.[1]) + pruned).toBe(40);

    const listed = await sweep(['trials', 'pruning-curves', '--state', 'pruned'], dir);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(pruned);
    for (const row of rows) expect(row).toMatch(/^\d+\s+PRUNED\s+\d+(\.\d+)? @\d+\s/);

    const db = join(dir, 'sweep.db');
    const killed = query<{ status: string; value: string }>(
      db,
      "SELECT r.status, t.value FROM runs r JOIN tags t ON t.run_id = r.run_id AND t.key = 'sweep.state' WHERE t.value = 'PRUNED'",
    );
    expect(killed).toHaveLength(pruned);
    expect(new Set(killed.map((k) => k.status))).toEqual(new Set(['KILLED']));
    const search = await sweep(['runs', 'search', '--filter', "tags.`sweep.state` = 'PRUNED'", '--json'], dir);
    expect(search.code).toBe(0);
    expect((JSON.parse(search.stdout) as unknown[]).length).toBe(pruned);
  });
});

describe('sweep errors', () => {
  it.each([
    [['run', 'missing.ts'], /^sweep: study file not found: missing.ts\n  hint: /],
    [['run', '.'], /^sweep: \. is a directory, not a study file\n  hint: /],
    [['run', fixture('no-default.ts')], /does not default-export a study\n  hint: end the file with: export default defineStudy/],
    [['run', fixture('bad-space.ts')], /^sweep: \/.*bad-space\.ts: space.model\[1\].depth: quniform needs q > 0, got low=1, high=12, q=0\n$/],
    [['run', fixture('syntax-error.ts')], /^sweep: cannot load study file .*syntax-error.ts: .*syntax-error\.ts:1:16: Expected identifier but found "\{"\n/],
    [['run', QUADRATIC, '--trials', 'many'], /^sweep: --trials must be an integer >= 0, got many\n$/],
    [['run', QUADRATIC, '--sampler', 'bogus'], /^sweep: sampler "bogus" does not exist\n  hint: use one of: /],
    [['best'], /^sweep: no sweep database at .*sweep.db\n  hint: run a study first/],
    [['run', QUADRATIC, '--pruner', '{"name": "asha", "reductionFactor": 1}'], /^sweep: pruner "asha": reductionFactor/],
    [['run', QUADRATIC, '--pruner', '{oops'], /^sweep: --pruner: not valid JSON/],
    [['run', QUADRATIC, '--sampler', '{"name": "tpe", "gama": 0.2}'], /^sweep: sampler "tpe": unknown option "gama"\n$/],
    [['run', QUADRATIC, '--sampler', '{"gamma": 0.2}'], /^sweep: --sampler: a JSON spec needs a "name"/],
    [['frobnicate'], /^sweep: unknown command "frobnicate"/],
    // threads start before the storage is opened: its error still ends the run as one line
    [['run', QUADRATIC, '--jobs', '2', '--storage', 'mysql://x'], /^sweep: storage "mysql:\/\/x": unknown scheme "mysql"\n/],
    [['run', QUADRATIC, '--jobs', '2', '--storage', 'postgresql://u@h/db?pool=0'], /^sweep: storage .*pool=0 must be an integer from 1 to 100\n$/],
    [['run', QUADRATIC, '--trails', '3'], /^sweep: Unknown option `--trails`/],
    [['run', QUADRATIC, '--max-trails', '3'], /^sweep: Unknown option `--max-trails`\n/],
    [['trials', 'x', '--no-such=1'], /^sweep: Unknown option `--no-such`\n/],
    // a negative number or an empty value is the flag's fault, named as such (cac alone: "Unknown option `-1`", study "0")
    [['run', QUADRATIC, '--jobs', '-1'], /^sweep: --jobs must be an integer >= 1, got -1\n$/],
    [['run', QUADRATIC, '--jobs', '100000', '--timeout', '5'], /^sweep: --jobs must be at most 1024 \(each job is a worker thread or a process on this machine\), got 100000\n$/],
    [['run', QUADRATIC, '--timeout', '-5'], /^sweep: --timeout must be a number >= 0, got -5\n$/],
    [['run', QUADRATIC, '--study', ''], /^sweep: --study needs a value\n$/],
    // Node's timers wait at most 2^31-1 ms: a 30-day trial timeout fired at once and failed every trial
    [['run', QUADRATIC, '--executor', 'threads', '--trial-timeout', '2592000'], /^sweep: --trial-timeout must be at most 2147483 s \(about 24\.8 days, the longest a timer waits\), got 2592000\n  hint: leave --trial-timeout out for no limit\n$/],
    [['run', QUADRATIC, '--heartbeat-interval', '2592000', '--stale-after', '5184000'], /^sweep: --heartbeat-interval must be at most 2147483 s/],
  ])('sweep %j fails with one clear line', async (args, message) => {
    const result = await sweep(args, tempDir());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  // Found as a new user: `sweep run missing.ts` exited 1 while `--space missing.json` and a bad space exited 2.
  it.each([
    [['run', 'missing.ts']],
    [['run', '.']],
    [['run', fixture('no-default.ts')]],
    [['run', fixture('syntax-error.ts')]],
    [['run', '--command', 'true', '--space', 'missing.json']],
    [['run', fixture('bad-space.ts')]],
  ])('sweep %j is bad input: exit 2, as the README says', async (args) => {
    const result = await sweep(args, tempDir());
    expect([result.code, result.stderr.split('\n')[0]]).toEqual([2, expect.stringMatching(/^sweep: /)]);
  });

  it.runIf(pgReachable)('names a PostgreSQL database that does not exist, as bad input (exit 2)', async () => {
    const url = new URL(PG_URL);
    url.pathname = '/sweep_no_such_database';
    const result = await sweep(['studies', '--storage', url.toString()], tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^sweep: list studies: database "sweep_no_such_database" does not exist at postgresql:\/\/.*\/sweep_no_such_database\n  hint: create it/);
  });

  it('says at once that it is waiting for an unreachable PostgreSQL, then fails naming it', async () => {
    // Port 1 on loopback refuses at once; retry_for=1 keeps the wait short (the default is 120 s).
    const result = await sweep(['studies', '--storage', 'postgresql://postgres@127.0.0.1:1/test?retry_for=1'], tempDir());
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^sweep: cannot reach PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/test\?retry_for=1 \(.*ECONNREFUSED.*\); retrying for up to 1 s/);
    expect(lines.filter((l) => l.includes('retrying for up to'))).toHaveLength(1);
    expect(result.stderr).toMatch(/\nsweep: list studies: cannot reach PostgreSQL/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes sampler options as JSON on the command line and stores them with the study', async () => {
    const dir = tempDir();
    const result = await sweep(['run', QUADRATIC, '--trials', '12', '--sampler', '{"name": "tpe", "gamma": 0.2, "candidates": 48}'], dir);
    expect(result.code).toBe(0);
    const [row] = query<{ sampler: string }>(join(dir, 'sweep.db'), 'SELECT sampler FROM studies');
    expect(JSON.parse(row?.sampler ?? '')).toEqual({ name: 'tpe', options: { gamma: 0.2, candidates: 48 } });
  });

  it('lists the trials of a database in a folder the user may not write (another user\'s results)', async () => {
    const dir = tempDir();
    expect((await sweep(['run', QUADRATIC, '--trials', '2'], dir)).code).toBe(0);
    const reader = await readerWithoutWriteAccess(dir);
    const listed = await sweep(['trials'], dir, {}, reader);
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(3);
    const run = await sweep(['run', QUADRATIC, '--trials', '1'], dir, {}, reader);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the database is open read-only\n  hint: the file \(or its folder\) is not writable/);
  });

  it('keeps a numeric-looking --study as typed: 007 names study "007", not "7"', async () => {
    const dir = tempDir();
    expect((await sweep(['run', QUADRATIC, '--trials', '1', '--study', '007'], dir)).code).toBe(0);
    expect(query<{ name: string }>(join(dir, 'sweep.db'), 'SELECT name FROM studies')).toEqual([{ name: '007' }]);
    const listed = await sweep(['trials', '--study', '007'], dir);
    expect(listed.code).toBe(0);
  });

  it('names the unknown study and lists the known ones', async () => {
    const dir = tempDir();
    await sweep(['run', QUADRATIC, '--trials', '1'], dir);
    const result = await sweep(['trials', 'nope'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/sweep: study "nope" does not exist in sqlite:.*sweep.db\n  hint: studies there: quadratic/);
  });

  it('refuses to resume with a changed space and suggests a new name', async () => {
    const dir = tempDir();
    await sweep(['run', QUADRATIC, '--trials', '1', '--study', 'flaky'], dir);
    const result = await sweep(['run', fixture('flaky.ts'), '--trials', '1'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/study "flaky" in sqlite:.* was created with a different declared space.*\n  hint: pass another study name/);
  });
});
