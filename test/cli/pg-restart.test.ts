// PostgreSQL restarted in the middle of a study (a private cluster, stopped and started while two
// workers run): both reconnect with backoff and go on; the study ends with exactly --max-trials
// trials, every one COMPLETE, none lost or written twice. Waits are on stderr lines and exits.
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { PrivateCluster, privateClusterAvailable } from '../helpers/private-pg.js';
import { BIN, ROOT } from './helpers.js';

const available = privateClusterAvailable();
let cluster: PrivateCluster | undefined;
beforeAll(async () => {
  if (available) cluster = await PrivateCluster.create();
}, 60_000);
afterAll(async () => {
  await cluster?.destroy();
}, 60_000);

function waitFor(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}: ${seen.slice(-2000)}`)));
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe.runIf(available)('a database restart mid-study', () => {
  it('loses nothing and doubles nothing: exactly --max-trials trials, all COMPLETE', async () => {
    const db = cluster as PrivateCluster;
    const storage = `${db.url}?schema=restart&retry_for=60`;
    const dir = tempDir();
    const args = [BIN, 'run', join(ROOT, 'test/fixtures/studies/steady.ts'), '--max-trials', '200', '--storage', storage];
    const workers = [1, 2].map(() => spawn(process.execPath, args, { cwd: dir, env: { ...process.env, SWEEP_TRACKING_URI: '' }, stdio: ['ignore', 'pipe', 'pipe'] }));
    const ends = workers.map(finished);
    await Promise.all(workers.map((w) => waitFor(w, /trial \d+ COMPLETE/)));
    await db.stop();
    await db.start();
    const results = await Promise.all(ends);
    for (const r of results) expect(r.code, r.stderr.replace(/.*trial \d+ COMPLETE.*\n/g, "")).toBe(0);

    const client = new pg.Client({ connectionString: db.url, options: '-c search_path=restart' });
    await client.connect();
    try {
      const trials = (await client.query<{ number: number; state: string; run_id: string }>('SELECT number, state, run_id FROM trials ORDER BY number')).rows;
      expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(trials.filter((t) => t.state !== 'COMPLETE')).toEqual([]);
      // one child run per trial, one final value per run: nothing written twice
      const runs = (await client.query<{ n: string }>("SELECT count(*) AS n FROM runs WHERE parent_run_id IS NOT NULL")).rows[0];
      expect(Number(runs?.n)).toBe(200);
      const finals = (await client.query<{ run_id: string; n: string }>(
        "SELECT m.run_id, count(*) AS n FROM metrics m JOIN studies s ON m.key = s.metric JOIN trials t ON t.run_id = m.run_id GROUP BY m.run_id HAVING count(*) <> 1")).rows;
      expect(finals).toEqual([]);
    } finally {
      await client.end();
    }
  }, 120_000);
});
