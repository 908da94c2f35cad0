// Several sweep processes on one SQLite study, and a process killed with SIGKILL: nothing finished is
// lost, no number or grid point is used twice, the global budget holds.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { ROOT, spawnSweep, sweep, queryDb as query } from './helpers.js';

const fixture = (name: string): string => join(ROOT, 'test/fixtures/studies', name);

describe('several processes', () => {
  it('runs exactly --max-trials trials across three concurrent processes, with unique numbers', async () => {
    const dir = tempDir();
    const runs = await Promise.all([1, 2, 3].map(() => sweep(['run', join(ROOT, 'examples/quadratic/study.ts'), '--max-trials', '60'], dir)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const rows = query<{ number: number; state: string }>(join(dir, 'sweep.db'), 'SELECT number, state FROM trials ORDER BY number');
    expect(rows).toHaveLength(60);
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(rows.every((r) => r.state === 'COMPLETE')).toBe(true);
    const children = query<{ n: number }>(join(dir, 'sweep.db'), "SELECT COUNT(*) AS n FROM tags WHERE key = 'mlflow.parentRunId'");
    expect(children[0]?.n).toBe(60);
    // a later invocation tops nothing up: the study is full
    const more = await sweep(['run', join(ROOT, 'examples/quadratic/study.ts'), '--max-trials', '60'], dir);
    expect(more.stdout).toMatch(/Ran 0 trials .*reached --max-trials/);
  });

  it('runs each grid point exactly once across two concurrent processes', async () => {
    const dir = tempDir();
    const runs = await Promise.all([1, 2].map(() => sweep(['run', fixture('grid.ts'), '--trials', '100'], dir)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const db = join(dir, 'sweep.db');
    const points = query<{ params: string }>(db, 'SELECT params FROM trials');
    expect(points).toHaveLength(24);
    expect(new Set(points.map((p) => p.params)).size).toBe(24);
  });
});

describe('a killed process', () => {
  it('loses no finished trial; the restart marks its running trial stale and goes on numbering', async () => {
    const dir = tempDir();
    const child = spawnSweep(['run', fixture('steady.ts'), '--trials', '1000'], dir);
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/trial 8 COMPLETE/.test(seen)) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const db = join(dir, 'sweep.db');
    const before = query<{ number: number; state: string; value: number | null }>(db, 'SELECT number, state, value FROM trials ORDER BY number');
    const finished = before.filter((t) => t.state === 'COMPLETE');
    expect(finished.length).toBeGreaterThanOrEqual(9);
    expect(before.filter((t) => t.state === 'RUNNING').length).toBeLessThanOrEqual(1);

    const restart = await sweep(['run', fixture('steady.ts'), '--trials', '5'], dir);
    expect(restart.code, restart.stderr).toBe(0);
    const after = query<{ number: number; state: string; value: number | null }>(db, 'SELECT number, state, value FROM trials ORDER BY number');
    // every trial that had finished is still there, unchanged
    for (const t of finished) expect(after[t.number]).toEqual(t);
    // no trial is left RUNNING; the one the kill interrupted is FAIL (stale)
    expect(after.filter((t) => t.state === 'RUNNING')).toEqual([]);
    for (const t of before.filter((b) => b.state === 'RUNNING')) {
      expect(after[t.number]?.state).toBe('FAIL');
      expect(restart.stderr).toMatch(new RegExp(`Marked trial #${t.number} of another process as FAIL \\(stale`));
    }
    // said once, when it happened (not again in the summary)
    expect(restart.stderr.match(/as FAIL \(stale/g) ?? []).toHaveLength(before.some((b) => b.state === 'RUNNING') ? 1 : 0);
    expect(after.map((t) => t.number)).toEqual(Array.from({ length: before.length + 5 }, (_, i) => i));
    expect(query<{ n: number }>(db, "SELECT COUNT(*) AS n FROM tags WHERE key = 'sweep.fail_reason' AND value = 'stale'")[0]?.n).toBe(
      before.filter((b) => b.state === 'RUNNING').length,
    );
  });
});
