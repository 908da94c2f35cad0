// `node <flags> sweep run`: the Node flags of the process sweep runs in (a profiler, a V8 switch).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { BIN, ROOT, type CliResult } from './helpers.js';

function nodeSweep(nodeFlags: readonly string[], args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeFlags, BIN, ...args], { cwd, env: { ...process.env, SWEEP_TRACKING_URI: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('sweep run under node flags', () => {
  it('runs worker threads under V8 and per-process flags workers refuse, and gives them the flags they accept', async () => {
    const study = join(ROOT, 'test/fixtures/studies/worker-flags.ts');
    const flags = ['--expose-gc', '--trace-deopt', '--max-old-space-size=512', '--stack-size=900', '--enable-source-maps'];
    const result = await nodeSweep(flags, ['run', study, '--executor', 'threads', '--jobs', '2', '--trials', '4', '--max-failures', '1', '--storage', 'memory:'], tempDir());
    expect(result.stderr).not.toMatch(/unexpected error|ERR_WORKER_INVALID_EXEC_ARGV/);
    expect(result.stdout).toMatch(/Ran 4 trials \(4 complete, 0 failed\)/);
    expect(result.code).toBe(0);
  });
});
