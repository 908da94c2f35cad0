// The Executor contract (test/contracts/executor.contract.ts) against inline, threads and process.
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ProcessExecutor } from '../../src/execution/process.js';
import { ThreadsExecutor } from '../../src/execution/threads.js';
import type { ObjectiveFn } from '../../src/study/executor.js';
import { InlineExecutor } from '../../src/study/inline-executor.js';
import { ROOT } from '../cli/helpers.js';
import { executorContract, type ContractMode } from '../contracts/executor.contract.js';

const BEHAVIOURS = join(ROOT, 'test/fixtures/objectives/behaviours.ts');
const DISPATCH = join(ROOT, 'test/fixtures/commands/dispatch.mjs');

afterEach(() => {
  delete process.env['SWEEP_FIXTURE_MODE'];
});

executorContract({
  name: 'inline',
  async make(modes) {
    process.env['SWEEP_FIXTURE_MODE'] = modes.join(',');
    const study = (await import(BEHAVIOURS)) as { default: { objective: ObjectiveFn } };
    return { executor: new InlineExecutor(1), objective: { kind: 'function', fn: study.default.objective } };
  },
});

executorContract({
  name: 'threads',
  async make(modes) {
    // Worker threads take the environment as it is when the pool starts them.
    process.env['SWEEP_FIXTURE_MODE'] = modes.join(',');
    return { executor: new ThreadsExecutor({ threads: 2 }), objective: { kind: 'module', path: BEHAVIOURS } };
  },
});

const COMMAND_MODE: Record<ContractMode, string> = { io: 'io', throws: 'exit1', prunable: 'forever', 'report-hang': 'forever' };

executorContract({
  name: 'process',
  async make(modes) {
    const table = JSON.stringify(modes.map((m) => [COMMAND_MODE[m]]));
    const executor = new ProcessExecutor({
      command: [process.execPath, DISPATCH, table, '{trial}', '{x}'],
      concurrency: 2,
      metric: 'objective',
      trackingUri: 'memory:',
      killGraceMs: 200,
    });
    return { executor, objective: { kind: 'module', path: DISPATCH } };
  },
});
