// Several `sweep run` processes (the built CLI) on one PostgreSQL study: the --max-trials budget is
// exact across them, numbers are unique, a grid point never runs twice; for TPE, random and grid.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { pgAvailable, queryStorage, scratchStorages } from '../helpers/pg.js';
import { ROOT, sweep } from './helpers.js';

const available = await pgAvailable();
const newStorage = scratchStorages();
const query = queryStorage;

describe.runIf(available)('several processes on one PostgreSQL study', () => {
  it.each(['tpe', 'random'])('runs exactly --max-trials 120 across three processes with %s, numbers unique', async (sampler) => {
    const dir = tempDir();
    const storage = newStorage();
    const args = ['run', join(ROOT, 'examples/quadratic/study.ts'), '--max-trials', '120', '--sampler', sampler, '--storage', storage];
    const runs = await Promise.all([1, 2, 3].map(() => sweep(args, dir)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const rows = await query<{ number: number; state: string }>(storage, 'SELECT number, state FROM trials ORDER BY number');
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(rows.every((r) => r.state === 'COMPLETE')).toBe(true);
    const children = await query<{ n: string }>(storage, "SELECT count(*) AS n FROM tags WHERE key = 'mlflow.parentRunId'");
    expect(Number(children[0]?.n)).toBe(120);
    const workers = await query<{ worker_id: string }>(storage, 'SELECT DISTINCT worker_id FROM trials');
    expect(workers.length).toBeGreaterThan(1); // the processes shared the work
    const more = await sweep(args, dir);
    expect(more.stdout).toMatch(/Ran 0 trials .*reached --max-trials/);
  });

  it('runs each grid point exactly once across three processes', async () => {
    const dir = tempDir();
    const storage = newStorage();
    const runs = await Promise.all([1, 2, 3].map(() => sweep(['run', join(ROOT, 'test/fixtures/studies/grid.ts'), '--trials', '100', '--storage', storage], dir)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const points = await query<{ params: string; claim_key: string }>(storage, 'SELECT params, claim_key FROM trials');
    expect(points).toHaveLength(24);
    expect(new Set(points.map((p) => p.params)).size).toBe(24);
    expect(new Set(points.map((p) => p.claim_key)).size).toBe(24);
  });
});
