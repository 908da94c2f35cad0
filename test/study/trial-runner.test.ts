// The trial runner: one finish per trial whatever throws where, a failed background write, the
// pruner that never prunes, read-only history for samplers and pruners, background faults reported.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RandomSampler } from '../../samplers/random.js';
import { createStudy } from '../../src/app/create-study.js';
import { NotFoundError, StorageError } from '../../src/errors.js';
import { ProcessExecutor } from '../../src/execution/process.js';
import { ThreadsExecutor } from '../../src/execution/threads.js';
import { hp } from '../../src/space/hp.js';
import type { Executor } from '../../src/study/executor.js';
import { nopPruner, type Pruner } from '../../src/study/pruner.js';
import type { Sampler } from '../../src/study/sampler.js';
import { Study } from '../../src/study/study.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import type { TrialProgress } from '../../src/tracking/store.js';
import { ROOT } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';

const space = { x: hp.uniform(0, 1) };
const executors: Executor[] = [];
afterEach(async () => {
  for (const e of executors.splice(0)) await e.close();
  delete process.env['SWEEP_FIXTURE_MODE'];
});

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** A memory store whose recordTrialProgress fails `failures` times (a full disk, for a while). */
class FlakyProgressStore extends MemoryStore {
  constructor(private failures: number) {
    super();
  }
  override async recordTrialProgress(trialId: number, progress: TrialProgress): Promise<void> {
    if (this.failures-- > 0) throw new StorageError('disk full (on purpose)');
    return super.recordTrialProgress(trialId, progress);
  }
}

describe('trial runner', () => {
  it('has one place outside the stores that ends a trial', () => {
    const calls = sourceFiles('src')
      .filter((f) => !f.startsWith('src/tracking/'))
      .flatMap((f) => readFileSync(join(ROOT, f), 'utf8').split('\n').filter((line) => line.includes('.finishTrial(')).map(() => f));
    expect(calls).toEqual(['src/study/trial-runner.ts']);
  });

  it('keeps the reports of a background write the store refused once, and ends the trial', async () => {
    const store = new FlakyProgressStore(1);
    const study = await createStudy({ name: 'flaky-write', space, seed: 1, storage: store });
    const result = await study.optimize((t) => {
      for (let step = 0; step < 1500; step++) t.report(step, step);
      return 1;
    }, { trials: 2 });
    expect(result).toMatchObject({ completed: 2, failed: 0 });
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'COMPLETE']);
    expect(Object.keys(study.trials[0]?.intermediate ?? {})).toHaveLength(1500);
  });

  it('ends the trial FAIL and stops the study when the store refuses every write', async () => {
    class BrokenStore extends FlakyProgressStore {
      override async finishTrial(...args: Parameters<MemoryStore['finishTrial']>): Promise<boolean> {
        const [, finish] = args;
        if ((finish.intermediate?.length ?? 0) > 0) throw new StorageError('disk full (on purpose)');
        return super.finishTrial(...args);
      }
    }
    const store = new BrokenStore(Number.POSITIVE_INFINITY);
    const study = await createStudy({ name: 'broken-write', space, seed: 1, storage: store });
    const run = study.optimize((t) => {
      for (let step = 0; step < 1500; step++) t.report(step, step);
      return 1;
    }, { trials: 3 });
    await expect(run).rejects.toThrow('disk full (on purpose)');
    expect(study.trials.map((t) => t.state)).toEqual(['FAIL']);
    expect(study.trials[0]?.error).toContain('StorageError: disk full (on purpose)');
    expect((await store.getRun(study.record.parentRunId)).info.status).toBe('FAILED');
  });

  it('ends a trial FAIL when the executor rejects, once, and rethrows', async () => {
    const store = new MemoryStore();
    const study = await createStudy({ name: 'bad-executor', space, seed: 1, storage: store });
    let finishes = 0;
    const finishTrial = store.finishTrial.bind(store);
    store.finishTrial = async (...args) => {
      finishes++;
      return finishTrial(...args);
    };
    const broken: Executor = { name: 'broken', concurrency: 1, run: async () => { throw new Error('pool is dead'); }, close: async () => undefined };
    await expect(study.optimize({ kind: 'module', path: 'x' }, { trials: 3, executor: broken })).rejects.toThrow('pool is dead');
    expect(study.trials.map((t) => [t.state, t.error])).toEqual([['FAIL', 'Error: pool is dead']]);
    expect(finishes).toBe(1);
  });

  it('asks a pruner of your own even when it is called "none"', async () => {
    const pruner: Pruner = { name: 'none', shouldPrune: (_study, trial) => Object.keys(trial.intermediate).length >= 2 };
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const study = await createStudy({ name: 'own-none', space, seed: 1, storage: store, pruner });
    const executor = new ProcessExecutor({
      command: [process.execPath, join(ROOT, 'test/fixtures/commands/emit.mjs'), 'forever'],
      concurrency: 1,
      metric: 'objective',
      trackingUri: 'memory:',
      killGraceMs: 500,
    });
    executors.push(executor);
    await study.optimize({ kind: 'module', path: 'unused' }, { trials: 1, executor });
    expect(study.trials[0]?.state).toBe('PRUNED');
  });

  it('hands samplers and pruners a history they cannot change', async () => {
    const store = new MemoryStore();
    const made = await createStudy({ name: 'read-only', space, seed: 1, storage: store });
    await made.optimize((t) => t.params.x, { trials: 2 });
    const errors: unknown[] = [];
    const meddling: Sampler = {
      name: 'meddling',
      sampleIndependent: (ctx, name, distribution) => {
        for (const attempt of [
          () => (ctx.study.trials as unknown[]).push(ctx.study.trials[0]),
          () => ((ctx.study.trials as unknown[]).length = 0),
          () => ((ctx.study.trials[0] as { value: number }).value = -1e9),
          () => ((ctx.study.trials[0]?.params as Record<string, number>)['x'] = 5),
          () => ((ctx.study as { version: number }).version = 0),
        ]) {
          try {
            attempt();
          } catch (error) {
            errors.push(error);
          }
        }
        return new RandomSampler().sampleIndependent(ctx, name, distribution);
      },
    };
    const study = new Study({ store, record: made.record, sampler: meddling, pruner: nopPruner, space: made.space, seed: 1 });
    await study.optimize((t) => t.params.x, { trials: 1 });
    expect(errors).toHaveLength(5);
    for (const error of errors) expect(error).toBeInstanceOf(TypeError);
    expect(study.trials.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(study.trials[0]?.value).toBe(made.trials[0]?.value);
  });

  it('drops a trial the store lost (a database crash rolled back its creation) with a warning, and goes on', async () => {
    // As PostgreSQL after `pg_ctl restart -m immediate`: the finish of trial #2 finds no such trial.
    class LosingStore extends MemoryStore {
      lost: number | undefined;
      override async createTrial(...args: Parameters<MemoryStore['createTrial']>): ReturnType<MemoryStore['createTrial']> {
        const record = await super.createTrial(...args);
        if (record.number === 2) this.lost = record.trialId;
        return record;
      }
      override async finishTrial(...args: Parameters<MemoryStore['finishTrial']>): Promise<boolean> {
        if (args[0] === this.lost) throw new NotFoundError(`trial ${args[0]} does not exist`);
        return super.finishTrial(...args);
      }
    }
    const study = await createStudy({ name: 'lost', space, seed: 1, storage: new LosingStore() });
    const warnings: string[] = [];
    const result = await study.optimize((t) => t.params.x, { trials: 5, onWarning: (m) => warnings.push(m) });
    expect(result).toMatchObject({ completed: 5, failed: 0 });
    expect(warnings.filter((m) => m.includes('trial #'))).toEqual([
      'study "lost": trial #2 is gone from the store (a database crash lost its creation); its outcome is dropped',
    ]);
  });

  it('reports the fault that stopped the study, not the failed closing of its parent run after it', async () => {
    // As a database gone for longer than retry_for: the finish fails, then so does every later write.
    class GoneStore extends MemoryStore {
      gone = false;
      override async finishTrial(...args: Parameters<MemoryStore['finishTrial']>): Promise<boolean> {
        this.gone = true;
        throw new StorageError('finish trial 1: cannot reach the database');
      }
      override async updateRun(...args: Parameters<MemoryStore['updateRun']>): ReturnType<MemoryStore['updateRun']> {
        if (this.gone) throw new StorageError('update run: cannot reach the database');
        return super.updateRun(...args);
      }
    }
    const study = await createStudy({ name: 'gone', space, seed: 1, storage: new GoneStore() });
    await expect(study.optimize((t) => t.params.x, { trials: 3 })).rejects.toThrow('finish trial 1: cannot reach the database');
  });

  it('reports a failing heartbeat instead of swallowing it', async () => {
    const store = new MemoryStore();
    store.heartbeat = async () => {
      throw new StorageError('heartbeat refused (on purpose)');
    };
    const study = await createStudy({ name: 'beat', space, seed: 1, storage: store });
    let warned: (message: string) => void = () => undefined;
    const warning = new Promise<string>((resolve) => (warned = resolve));
    await study.optimize(async () => (await warning, 1), { trials: 1, heartbeatIntervalMs: 5, onWarning: (m) => warned(m) });
    expect(await warning).toBe('study "beat": heartbeat failed: StorageError: heartbeat refused (on purpose)');
  });

  it('keeps a sampler error\'s code when a worker thread asks for a value', async () => {
    process.env['SWEEP_FIXTURE_MODE'] = 'suggest';
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const made = await createStudy({ name: 'behaviours', space, seed: 1, storage: store });
    const random = new RandomSampler();
    const outside: Sampler = { name: 'outside', sampleIndependent: (ctx, name, d) => (name === 'y' ? 99 : random.sampleIndependent(ctx, name, d)) };
    const study = new Study({ store, record: made.record, sampler: outside, pruner: nopPruner, space: made.space, seed: 1 });
    const executor = new ThreadsExecutor({ threads: 1 });
    executors.push(executor);
    await study.optimize({ kind: 'module', path: join(ROOT, 'test/fixtures/objectives/behaviours.ts') }, { trials: 1, executor });
    const [failed] = await store.getTrials(made.record.studyId);
    expect(failed?.state).toBe('FAIL');
    expect(failed?.systemAttrs['error']).toMatchObject({ code: 'E_CONFIG', message: expect.stringContaining('sampler "outside" returned 99 for y') });
  });
});
