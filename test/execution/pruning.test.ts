// Pruning through every executor: the decision is taken on the main thread from the stored reports;
// a worker objective returns trial.pruned(), a command is stopped; the trial ends PRUNED.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { ProcessExecutor } from '../../src/execution/process.js';
import { ThreadsExecutor } from '../../src/execution/threads.js';
import { hp } from '../../src/space/hp.js';
import type { Executor } from '../../src/study/executor.js';
import type { Pruner } from '../../src/study/pruner.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { ROOT } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';

/** Prunes every trial once it has reported three steps. */
const afterThreeSteps: Pruner = { name: 'after-three', shouldPrune: (_study, trial) => Object.keys(trial.intermediate).length >= 3 };
const executors: Executor[] = [];
afterEach(async () => {
  for (const e of executors.splice(0)) await e.close();
  delete process.env['SWEEP_FIXTURE_MODE'];
});

async function study(store: MemoryStore) {
  return createStudy({ name: 'prune', space: { x: hp.uniform(0, 1) }, seed: 1, storage: store, pruner: afterThreeSteps });
}

describe('pruning', () => {
  it('prunes inline objectives that ask', async () => {
    const store = new MemoryStore();
    const s = await study(store);
    await s.optimize(async (t) => {
      for (let step = 0; step < 100; step++) {
        t.report(step, step);
        if (await t.shouldPrune()) return t.pruned();
      }
      return 0;
    }, { trials: 2 });
    expect(s.trials.map((t) => [t.state, Object.keys(t.intermediate).length])).toEqual([['PRUNED', 3], ['PRUNED', 3]]);
    const run = await store.getRun(s.trials[0]?.runId ?? '');
    expect(run.info.status).toBe('KILLED');
    expect(run.data.tags['sweep.state']).toBe('PRUNED');
  });

  it('prunes objectives in worker threads', async () => {
    process.env['SWEEP_FIXTURE_MODE'] = 'prunable';
    const store = new MemoryStore();
    const s = await study(store);
    const executor = new ThreadsExecutor({ threads: 2 });
    executors.push(executor);
    await s.optimize({ kind: 'module', path: join(ROOT, 'test/fixtures/objectives/behaviours.ts') }, { trials: 2, executor });
    expect(s.trials.map((t) => [t.state, Object.keys(t.intermediate).length])).toEqual([['PRUNED', 3], ['PRUNED', 3]]);
  });

  it('stops a command that reports forever and ends it PRUNED with its reports kept', async () => {
    const store = new MemoryStore({ artifactRoot: tempDir() });
    const s = await study(store);
    const executor = new ProcessExecutor({
      command: [process.execPath, join(ROOT, 'test/fixtures/commands/emit.mjs'), 'forever'],
      concurrency: 1,
      metric: 'objective',
      trackingUri: 'memory:',
      killGraceMs: 500,
    });
    executors.push(executor);
    await s.optimize({ kind: 'module', path: 'unused' }, { trials: 1, executor });
    const [t] = s.trials;
    expect(t?.state).toBe('PRUNED');
    // reports that arrived before the command died are kept; at least the three that triggered it
    expect(Object.keys(t?.intermediate ?? {}).length).toBeGreaterThanOrEqual(3);
    expect(t?.intermediate[0]).toBe(100);
  });
});
