// Threads and process executors on real fixtures: every way a trial can go wrong ends that trial as
// FAIL with the reason, and the study completes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { ProcessExecutor } from '../../src/execution/process.js';
import { ThreadsExecutor } from '../../src/execution/threads.js';
import { hp } from '../../src/space/hp.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { ROOT } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';
import { EMIT, isRunning, runCommand, track } from './helpers.js';

const BEHAVIOURS = join(ROOT, 'test/fixtures/objectives/behaviours.ts');
afterEach(() => {
  delete process.env['SWEEP_FIXTURE_MODE'];
});

async function runThreads(modes: string, trials: number, options: { trialTimeoutMs?: number; maxOldSpaceMb?: number } = {}) {
  // workers read the mode list from the environment they inherit
  process.env['SWEEP_FIXTURE_MODE'] = modes;
  const store = new MemoryStore({ artifactRoot: tempDir() });
  const study = await createStudy({ name: 'behaviours', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store });
  const executor = track(new ThreadsExecutor({ threads: 2, ...options }));
  const result = await study.optimize({ kind: 'module', path: BEHAVIOURS }, { trials, executor });
  return { study, store, result };
}

describe('ThreadsExecutor', () => {
  it('runs trials in workers with reports, logs, tags and define-by-run suggestions stored', async () => {
    const { study, store, result } = await runThreads('ok,suggest', 4);
    expect(result).toMatchObject({ completed: 4, failed: 0 });
    const ok = study.trials[0];
    const steps = Object.entries(ok?.intermediate ?? {});
    expect(steps.map(([step]) => step)).toEqual(['0', '1', '2']);
    steps.forEach(([step, v]) => expect(v).toBeCloseTo((ok?.value ?? 0) + 3 - Number(step), 12));
    const suggested = study.trials[1];
    expect(Object.keys(suggested?.params ?? {}).sort()).toEqual(['opt', 'x', 'y']);
    const run = await store.getRun(suggested?.runId ?? '');
    expect(run.data.params['y']).toBe(String(suggested?.params['y']));
    expect(run.data.tags['opt']).toBe(suggested?.params['opt']);
    expect(run.data.metrics['extra']?.value).toBe(2);
  });

  it('stores every report a worker sent before its objective returned', async () => {
    const { study, store, result } = await runThreads('burst', 4);
    expect(result).toMatchObject({ completed: 4, failed: 0 });
    for (const trial of study.trials) {
      expect(Object.keys(trial.intermediate)).toHaveLength(5000);
      expect(trial.intermediate[4999]).toBe(4999);
      expect((await store.getRun(trial.runId)).data.metrics['last']).toMatchObject({ value: 4999, step: 4999 });
    }
  });

  it.each([
    ['throws', 'Error: objective failed on purpose in trial 1', 'error'],
    ['exit', 'the worker thread crashed: worker exited with code: 3', 'crashed'],
    ['async-throw', 'the worker thread crashed: thrown from a timer', 'crashed'],
  ])('ends a trial whose objective %s as FAIL and goes on', async (mode, message, reason) => {
    const { study, store, result } = await runThreads(`ok,${mode}`, 4);
    expect(result).toMatchObject({ completed: 2, failed: 2 });
    const failed = study.trials[1];
    expect(failed?.error).toContain(message);
    expect((await store.getRun(failed?.runId ?? '')).data.tags['sweep.fail_reason']).toBe(reason);
  });

  it('stops a trial past the trial timeout', async () => {
    const { study, result } = await runThreads('ok,hang', 4, { trialTimeoutMs: 500 });
    expect(result).toMatchObject({ completed: 2, failed: 2 });
    expect(study.trials[1]?.error).toContain('trial exceeded the trial timeout of 0.5 s');
  });

  it('has each worker load a preloaded study file as it starts, before any trial', async () => {
    const marker = join(tempDir(), 'loaded.txt');
    process.env['SWEEP_FIXTURE_LOADED'] = marker;
    try {
      track(new ThreadsExecutor({ threads: 2, preload: join(ROOT, 'test/fixtures/objectives/marks-load.ts') }));
      // (the main thread loads it too, to hand the workers what it compiled: not counted here)
      const workerLoads = (): number => (existsSync(marker) ? readFileSync(marker, 'utf8') : '').split('\n').filter((l) => l === 'worker').length;
      await vi.waitFor(() => expect(workerLoads()).toBe(2), { timeout: 30_000, interval: 20 });
    } finally {
      delete process.env['SWEEP_FIXTURE_LOADED'];
    }
  });

  it('stops a worker that passes its memory cap', async () => {
    const { study, result } = await runThreads('ok,oom', 2, { maxOldSpaceMb: 48 });
    expect(result).toMatchObject({ completed: 1, failed: 1 });
    expect(study.trials[1]?.error).toContain('the worker ran out of memory (limit 48 MB)');
  });
});

describe('ProcessExecutor', () => {
  it('substitutes params, reads the protocol and keeps the output as artifacts', async () => {
    const { study, store, result } = await runCommand(() => ['ok'], 2);
    expect(result).toMatchObject({ completed: 2, failed: 0 });
    const t = study.trials[0];
    expect(t?.value).toBe(t?.params['x']);
    expect(t?.intermediate).toEqual({ 0: (t?.value ?? 0) + 3, 1: (t?.value ?? 0) + 2, 2: (t?.value ?? 0) + 1 });
    const run = await store.getRun(t?.runId ?? '');
    expect(run.data.tags['lang']).toBe('node');
    expect(run.data.metrics['acc']?.value).toBe(0.5);
    const stdout = readFileSync(join(run.info.artifactUri, 'stdout.log'), 'utf8');
    expect(stdout).toContain(`params from env: {"x":${t?.params['x']}}`);
  });

  it('takes the last reported value when no result is printed', async () => {
    const { study } = await runCommand(() => ['last'], 1);
    expect(study.trials[0]).toMatchObject({ state: 'COMPLETE', value: 8 });
  });

  it.each([
    ['exit1', 'the command exited with code 1; stderr ends with: something went wrong in the training script'],
    ['signal', 'the command was killed by SIGKILL'],
    ['garbage', 'the command exited 0 but reported no objective (1 malformed sweep line, first: malformed sweep message'],
  ])('ends a trial whose command does %s as FAIL and goes on', async (mode, message) => {
    const { study, result } = await runCommand((n) => [n === 1 ? mode : 'ok'], 3);
    expect(result).toMatchObject({ completed: 2, failed: 1 });
    expect(study.trials[1]?.error).toContain(message);
  });

  it('kills the whole process tree on timeout', async () => {
    const { study, store } = await runCommand((n) => [n === 0 ? 'sleep' : 'ok'], 2, { trialTimeoutMs: 1500 });
    const slow = study.trials[0];
    expect(slow?.error).toContain('exceeded the trial timeout of 1.5 s');
    const grandchild = Number((await store.getRun(slow?.runId ?? '')).data.tags['grandchild']);
    expect(grandchild).toBeGreaterThan(0);
    // SIGKILL follows SIGTERM after the grace period; wait for it to land rather than for a fixed time.
    await vi.waitFor(() => expect(isRunning(grandchild)).toBe(false), { timeout: 10_000, interval: 20 });
  });

  it('fails the run with a clear error when the command does not exist', async () => {
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const study = await createStudy({ name: 'nope', space: { x: hp.uniform(0, 1) }, storage: store });
    const executor = new ProcessExecutor({ command: ['definitely-not-a-command-xyz', '{x}'], concurrency: 1, metric: 'objective', trackingUri: 'memory:' });
    await expect(study.optimize({ kind: 'module', path: EMIT }, { trials: 2, executor })).rejects.toThrow('command not found: definitely-not-a-command-xyz');
    expect(study.trials.every((t) => t.state !== 'RUNNING')).toBe(true);
  });
});
