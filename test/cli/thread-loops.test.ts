// `sweep run --jobs 2 --executor threads`, as a user runs it: each worker thread runs its own optimize
// loop (study/optimize-loops.ts). Every trial runs once, the budget is exact, and a trial whose worker
// is stopped or dies (trial timeout, process.exit, out of memory) ends FAIL with the reason while the
// study goes on; SIGTERM stops the running trials.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { ROOT, spawnSweep, sweep, queryDb as query } from './helpers.js';

const BEHAVIOURS = join(ROOT, 'test/fixtures/objectives/behaviours.ts');
const THREADS = ['--jobs', '2', '--executor', 'threads'];

async function runThreads(modes: string, trials: number, extra: readonly string[] = []) {
  const dir = tempDir();
  const db = join(dir, 'sweep.db');
  const result = await sweep(['run', BEHAVIOURS, '--trials', String(trials), '--storage', `sqlite:${db}`, ...THREADS, ...extra], dir, { SWEEP_FIXTURE_MODE: modes });
  const trialRows = query<{ number: number; state: string; system_attrs: string }>(db, 'SELECT number, state, system_attrs FROM trials ORDER BY number');
  const reasons = query<{ number: string; reason: string }>(
    db,
    "SELECT n.value AS number, r.value AS reason FROM tags r JOIN tags n ON n.run_id = r.run_id AND n.key = 'sweep.trial' WHERE r.key = 'sweep.fail_reason'",
  );
  const parent = query<{ status: string }>(db, "SELECT r.status FROM runs r JOIN tags t ON t.run_id = r.run_id WHERE t.key = 'sweep.role' AND t.value = 'study'");
  const error = (n: number): string => {
    const attrs = JSON.parse(trialRows[n]?.system_attrs ?? '{}') as { error?: { name?: string; message?: string } };
    return `${attrs.error?.name}: ${attrs.error?.message}`;
  };
  return { result, db, states: trialRows.map((t) => t.state), reasons, parent: parent[0]?.status, error };
}

describe('worker loops (--jobs 2 --executor threads)', () => {
  it('runs every trial once, in the workers\' own loops, with the budget exact', async () => {
    const { result, db, states, parent } = await runThreads('kind', 7);
    expect(result.code, result.stderr).toBe(0);
    expect(states).toEqual(Array(7).fill('COMPLETE'));
    const kinds = query<{ value: string }>(db, "SELECT value FROM tags WHERE key = 'trial-kind'").map((t) => t.value);
    expect(kinds).toEqual(Array(7).fill('worker loop'));
    expect(result.stdout).toContain('Ran 7 trials (7 complete, 0 failed)');
    expect(result.stderr.match(/^trial \d+ COMPLETE/gm)).toHaveLength(7);
    expect(parent).toBe('FINISHED');
  });

  it.each([
    ['throws', [], 'error', 'Error: objective failed on purpose in trial 1'],
    ['async-throw', [], 'crashed', "thrown asynchronously (outside the objective's promise): thrown from a timer"],
    ['hang', ['--trial-timeout', '1'], 'timeout', 'TrialTimeout: trial exceeded the trial timeout of 1 s; its worker was stopped'],
    ['exit', [], 'crashed', 'the process exited with code 3 while the trial was running'],
    ['oom', ['--max-old-space', '64'], 'crashed', 'OutOfMemory: the worker ran out of memory (limit 64 MB)'],
  ] as const)('ends a trial that %s FAIL with the reason; the study goes on', async (mode, extra, reason, message) => {
    const { result, states, reasons, parent, error } = await runThreads(`ok,${mode},ok,ok,ok`, 5, extra);
    expect(result.code, result.stderr).toBe(0);
    expect(states).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(reasons).toEqual([{ number: '1', reason }]);
    expect(error(1)).toContain(message);
    expect(result.stdout).toContain('Ran 5 trials (4 complete, 1 failed)');
    expect(parent).toBe('FINISHED');
  });

  it('stops after --max-failures and leaves nothing running', async () => {
    const { states, parent } = await runThreads('throws', 20, ['--max-failures', '3']);
    expect(states.length).toBeGreaterThanOrEqual(3);
    expect(states.length).toBeLessThan(20);
    expect(states.every((s) => s === 'FAIL')).toBe(true);
    expect(parent).not.toBe('RUNNING');
  });

  it('stops the running trials (FAIL, interrupted) on SIGTERM and exits 143', async () => {
    const dir = tempDir();
    const child = spawnSweep(['run', join(ROOT, 'test/fixtures/studies/slow.ts'), '--trials', '5', ...THREADS], dir);
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('TRIAL-1-RUNNING')) resolve();
      });
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(143);
    const db = join(dir, 'sweep.db');
    const states = query<{ number: number; state: string }>(db, 'SELECT number, state FROM trials ORDER BY number');
    expect(states.find((t) => t.number === 1)?.state, `${JSON.stringify(states)}\n${output}`).toBe('FAIL');
    expect(states.filter((t) => t.state === 'RUNNING'), output).toEqual([]);
    const reasons = query<{ value: string }>(db, "SELECT r.value FROM tags r JOIN tags n ON n.run_id = r.run_id AND n.key = 'sweep.trial' AND n.value = '1' WHERE r.key = 'sweep.fail_reason'");
    expect(reasons.map((r) => r.value), output).toEqual(['interrupted']);
  });
});
