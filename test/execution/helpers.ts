// Running trials of a command fixture through the ProcessExecutor, and watching the processes it left.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { ProcessExecutor, type ProcessOptions } from '../../src/execution/process.js';
import { hp } from '../../src/space/hp.js';
import type { Executor } from '../../src/study/executor.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';
import { ROOT } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';

export const EMIT = join(ROOT, 'test/fixtures/commands/emit.mjs');

const executors: Executor[] = [];
afterEach(async () => {
  for (const e of executors.splice(0)) await e.close();
});

/** Closed after the test. */
export function track<E extends Executor>(executor: E): E {
  executors.push(executor);
  return executor;
}

/** Alive and not a zombie (an orphan's zombie lingers where PID 1 does not reap, as in containers). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Runs `trials` trials of emit.mjs, trial n in the mode argsFor(n) gives, two at a time.
 * The template picks the mode through the trial number: {trial} indexes a mode table in argv.
 */
export async function runCommand(
  argsFor: (n: number) => string[],
  trials: number,
  options: Partial<Pick<ProcessOptions, 'trialTimeoutMs' | 'killGraceMs' | 'maxLineBytes'>> & { artifactRoot?: string } = {},
) {
  const { artifactRoot, ...executorOptions } = options;
  const store = new MemoryStore({ artifactRoot: artifactRoot ?? tempDir() });
  const study = await createStudy({ name: 'cmd', space: { x: hp.quniform(1, 9, 1) }, seed: 2, storage: store });
  const modes = Array.from({ length: trials }, (_, n) => argsFor(n));
  const executor = track(new ProcessExecutor({
    command: [process.execPath, join(ROOT, 'test/fixtures/commands/dispatch.mjs'), JSON.stringify(modes), '{trial}', '{x}'],
    concurrency: 2,
    metric: 'objective',
    trackingUri: 'memory:',
    killGraceMs: 200,
    ...executorOptions,
  }));
  const result = await study.optimize({ kind: 'module', path: EMIT }, { trials, executor, jobs: 2 });
  return { study, store, result };
}
