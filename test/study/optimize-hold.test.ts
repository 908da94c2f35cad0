// optimize and executors that hold next trials (Executor.holdsNext): one trial more per worker in
// flight while the executor asks for it, none beyond the trial budget, none with fewer jobs than workers.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import type { Executor, TrialTask } from '../../src/study/executor.js';
import { outcomeOfReturn, type TrialOutcome } from '../../src/study/outcome.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';

/** An executor of `concurrency` workers that finishes each trial a few turns of the event loop later and counts trials in flight. */
function countingExecutor(concurrency: number, holdsNext: (() => boolean) | undefined): Executor & { maxInFlight: number; runs: number } {
  let inFlight = 0;
  const executor = {
    name: 'counting',
    concurrency,
    maxInFlight: 0,
    runs: 0,
    async run(task: TrialTask): Promise<TrialOutcome> {
      executor.runs++;
      executor.maxInFlight = Math.max(executor.maxInFlight, ++inFlight);
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return outcomeOfReturn(task.params['x'] as number);
    },
    close: async () => undefined,
    ...(holdsNext && { holdsNext }),
  };
  return executor;
}

async function optimizeWith(executor: Executor, trials: number, jobs: number) {
  const study = await createStudy({ name: 'hold', space: { x: hp.uniform(0, 1) }, seed: 1, storage: new MemoryStore() });
  const result = await study.optimize({ kind: 'module', path: 'unused' }, { trials, jobs, executor });
  return { study, result };
}

describe('optimize with an executor that holds next trials', () => {
  it('keeps one trial more per worker in flight while the executor holds next trials, and runs exactly the budget', async () => {
    const executor = countingExecutor(2, () => true);
    const { study, result } = await optimizeWith(executor, 21, 2);
    expect(executor.maxInFlight).toBe(4);
    expect(executor.runs).toBe(21);
    expect(result).toMatchObject({ completed: 21, started: 21 });
    expect(study.trials.map((t) => t.state).every((s) => s === 'COMPLETE')).toBe(true);
  });

  it('keeps jobs trials in flight while the executor does not want more', async () => {
    let wants = false;
    const executor = countingExecutor(2, () => wants);
    await optimizeWith(executor, 10, 2);
    expect(executor.maxInFlight).toBe(2);
    wants = true; // (from here on the holders claim: the same executor, a new call)
    await optimizeWith(executor, 10, 2);
    expect(executor.maxInFlight).toBe(4);
  });

  it('holds nothing when jobs leave workers idle, or when the executor cannot hold', async () => {
    const idle = countingExecutor(4, () => true);
    await optimizeWith(idle, 12, 2);
    expect(idle.maxInFlight).toBe(2);
    const plain = countingExecutor(2, undefined);
    await optimizeWith(plain, 12, 2);
    expect(plain.maxInFlight).toBe(2);
  });

  it('fills up to two trials per worker when jobs exceed the workers', async () => {
    const executor = countingExecutor(2, () => true);
    await optimizeWith(executor, 12, 3);
    expect(executor.maxInFlight).toBe(4);
  });
});
