// A worker on another host (its own UTS namespace and host name) is killed with SIGKILL in the middle of
// a trial: the workers left on this host fail its trial as stale by the database's clock once the grace
// period passes (no pid shortcut applies across hosts), retry it, and the study goes on with unique
// numbers and nothing left RUNNING. Every wait is on an event: a line on stderr or a process exit.
// The lost trial is checked to be RUNNING once its worker is killed: a trial its own worker ended
// (the fixture's hang seen as one that can never settle) would leave nothing to reap, and the two
// workers would run the whole budget without the line this test waits for.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { PG_URL, dropSchema, freshSchema, pgAvailable, pgUri } from '../helpers/pg.js';
import { BIN, ROOT } from './helpers.js';

const available = await pgAvailable();
const canUnshare = spawnSync('unshare', ['-u', 'true']).status === 0;
const schema = freshSchema();
afterAll(async () => {
  if (available) await dropSchema(schema);
});

const FIXTURE = join(ROOT, 'test/fixtures/studies/steady-or-hang.ts');
const LIVENESS = ['--heartbeat-interval', '0.1', '--stale-after', '1'];

function waitFor(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.stderr?.off('data', onData);
        resolve(match[0]);
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}: ${seen.slice(-2000)}`)));
  });
}

/** The first of `waits` to resolve; rejects only when every one has (each of its process exited first). */
async function firstOf(waits: readonly Promise<string>[]): Promise<string> {
  try {
    return await Promise.any(waits);
  } catch (error) {
    throw new Error((error as AggregateError).errors.map((e: unknown) => String(e)).join('\n'));
  }
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

describe.runIf(available && canUnshare)('a worker lost on another host', () => {
  it('has its trial failed as stale by the others, retried, and the study goes on', async () => {
    const dir = tempDir();
    const storage = pgUri(schema);
    const env = { ...process.env, SWEEP_TRACKING_URI: '' };
    const doomed = spawn('unshare', ['-u', 'sh', '-c', `hostname sweep-test-host-b && exec "${process.execPath}" "${BIN}" "$@"`, 'sh',
      'run', FIXTURE, '--max-trials', '5000', '--storage', storage, ...LIVENESS], { cwd: dir, env: { ...env, SWEEP_TEST_HANG: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const hung = await waitFor(doomed, /hanging in trial (\d+)/);
    const hungNumber = Number(/\d+/.exec(hung)?.[0]);
    doomed.kill('SIGKILL');
    await exited(doomed);

    const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      const lost = (await client.query<{ state: string; system_attrs: string }>('SELECT state, system_attrs FROM trials WHERE number = $1', [hungNumber])).rows[0];
      expect(lost?.state, `the killed worker's trial is lost (RUNNING), not ended by its own process: ${lost?.system_attrs}`).toBe('RUNNING');

      const workers = [1, 2].map(() => spawn(process.execPath, [BIN, 'run', FIXTURE, '--max-trials', '5000', '--retry-failed', '1', '--storage', storage, ...LIVENESS],
        { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }));
      const completed = workers.map((w) => waitFor(w, /trial \d+ COMPLETE/));
      const reaped = workers.map((w) => waitFor(w, new RegExp(`Marked trial #${hungNumber} of another process as FAIL \\(stale`)));
      for (const wait of [...completed, ...reaped]) wait.catch(() => undefined); // the loser rejects when its process exits
      try {
        await firstOf(reaped); // one worker exiting first (the budget spent) does not end the wait while the other may still reap
        await Promise.all(completed); // and the study goes on
      } finally {
        for (const w of workers) w.kill('SIGINT');
        await Promise.all(workers.map(exited));
      }

      const trials = (await client.query<{ number: number; state: string; worker_id: string | null; system_attrs: string }>(
        'SELECT number, state, worker_id, system_attrs FROM trials ORDER BY number')).rows;
      expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
      const failed = trials[hungNumber];
      expect(failed?.worker_id).toMatch(/^sweep-test-host-b:\d+$/);
      expect(failed?.state).toBe('FAIL');
      expect(JSON.parse(failed?.system_attrs ?? '{}')).toMatchObject({ failReason: 'stale' });
      expect(trials.filter((t) => t.state === 'RUNNING')).toEqual([]);
      expect(trials.some((t) => JSON.parse(t.system_attrs).retryOf === hungNumber)).toBe(true);
      expect(trials.filter((t) => t.state === 'COMPLETE').length).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });
});
