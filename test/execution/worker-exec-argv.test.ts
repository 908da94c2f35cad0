// Worker threads start with the parent's Node flags, less those Node refuses in a worker.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { withWorkerExecArgv } from '../../src/execution/worker-exec-argv.js';

/** Starts a real worker (Node's own check) and stops it; returns the flags it was started with. */
async function startWorker(parent: readonly string[]): Promise<{ execArgv: string[]; attempts: number }> {
  let attempts = 0;
  let started: string[] = [];
  const worker = withWorkerExecArgv(parent, (execArgv) => {
    attempts++;
    const created = new Worker('', { eval: true, execArgv });
    started = execArgv;
    return created;
  });
  await worker.terminate();
  return { execArgv: started, attempts };
}

describe('withWorkerExecArgv', () => {
  it('passes flags a worker accepts at the first attempt, less a tsx loader', async () => {
    const result = await startWorker(['--enable-source-maps', '--conditions', 'dev', '--import', 'tsx']);
    expect(result).toEqual({ execArgv: ['--enable-source-maps', '--conditions', 'dev'], attempts: 1 });
  });

  it('drops V8 and per-process flags (with their separate values) and keeps the rest', async () => {
    const parent = ['--expose-gc', '--enable-source-maps', '--max-old-space-size=200', '--title', 'sweep-test', '--conditions', 'dev', '--trace-opt', '--stack-size=900'];
    const result = await startWorker(parent);
    expect(result.execArgv).toEqual(['--enable-source-maps', '--conditions', 'dev']);
  });

  it('reports a refusal it cannot attribute to a flag as one line naming Node\'s reason', () => {
    const refuse = (): never => {
      throw Object.assign(new Error('Initiated Worker with invalid execArgv flags: --cpu-prof-dir must be used with --cpu-prof'), { code: 'ERR_WORKER_INVALID_EXEC_ARGV' });
    };
    expect(() => withWorkerExecArgv(['--cpu-prof-dir', '/tmp'], refuse)).toThrow(ConfigError);
    expect(() => withWorkerExecArgv(['--cpu-prof-dir', '/tmp'], refuse)).toThrow(/^threads executor: worker threads refuse .*--cpu-prof-dir must be used with --cpu-prof.*--executor process$/);
  });

  it('rethrows any other error of start', () => {
    const boom = new Error('boom');
    expect(() => withWorkerExecArgv(['--expose-gc'], () => { throw boom; })).toThrow(boom);
  });
});
