// Inline objectives (this thread, the default with one job) that misbehave outside their promise:
// an error thrown from a timer, a rejection nobody awaits, a promise that can never settle, and
// process.exit. Each ends its trial FAIL with the reason; all but process.exit let the study go on.
// Run through the built CLI, as a user would: these faults reach the process, not just a promise.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/tracking/sqlite/sqlite-store.js';
import { ROOT, sweep } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';

const BEHAVIOURS = join(ROOT, 'test/fixtures/objectives/behaviours.ts');

async function runInline(modes: string, trials: number) {
  const dir = tempDir();
  const db = join(dir, 'sweep.db');
  const result = await sweep(['run', BEHAVIOURS, '--trials', String(trials), '--storage', `sqlite:${db}`], dir, { SWEEP_FIXTURE_MODE: modes });
  const store = new SqliteStore(db);
  try {
    const study = await store.getStudy('behaviours');
    const trials = study ? await store.getTrials(study.studyId) : [];
    const parent = study ? await store.getRun(study.parentRunId) : undefined;
    return { result, trials, parent };
  } finally {
    await store.close();
  }
}

const errorOf = (trial: { systemAttrs: Record<string, unknown> } | undefined): string => {
  const error = trial?.systemAttrs['error'] as { name?: string; message?: string } | undefined;
  return `${error?.name}: ${error?.message}`;
};

describe('inline executor faults', () => {
  it.each([
    ['async-throw', 'thrown asynchronously (outside the objective\'s promise): thrown from a timer'],
    ['unhandled', 'thrown asynchronously (outside the objective\'s promise): rejected and never awaited'],
    ['hang', "ObjectiveNeverSettles: the objective's promise can never settle"],
  ])('ends a trial whose objective does %s as FAIL and goes on', async (mode, message) => {
    const { result, trials, parent } = await runInline(`ok,${mode},ok`, 3);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code, result.stderr).toBe(0);
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE']);
    expect(errorOf(trials[1])).toContain(message);
    expect(parent?.info.status).toBe('FINISHED');
  });

  it('suggests --trial-timeout with the threads executor for a trial that can never settle', async () => {
    const { trials } = await runInline('hang', 1);
    expect(errorOf(trials[0])).toContain('--executor threads and --trial-timeout');
  });

  it('marks the trial FAIL with the exit code when the objective calls process.exit', async () => {
    const { result, trials, parent } = await runInline('ok,exit,ok', 3);
    expect(result.code).toBe(3);
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL']);
    expect(errorOf(trials[1])).toContain('ProcessExited: the process exited with code 3 while the trial was running');
    expect(parent?.info.status).toBe('FAILED');
  });
});
