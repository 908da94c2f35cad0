// The process executor against commands that misbehave: processes that escape or outlive the command,
// endless lines, and logs that cannot be written. Each ends its trial with a clear outcome, on time,
// and the study goes on.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { isRunning, runCommand } from './helpers.js';

const gone = (pid: number) => vi.waitFor(() => expect(isRunning(pid)).toBe(false), { timeout: 10_000, interval: 20 });

describe('ProcessExecutor and processes that outlive the command', () => {
  it('fails a timed-out trial on time when a setsid grandchild ignoring SIGTERM holds stdout, and kills it', async () => {
    // Without the kill of the whole tree the trial would wait for the grandchild, a minute.
    const { study, store, result } = await runCommand((n) => [n === 0 ? 'stubborn' : 'ok'], 2, { trialTimeoutMs: 1500 });
    expect(result).toMatchObject({ completed: 1, failed: 1 });
    const stuck = study.trials[0];
    expect(stuck?.state).toBe('FAIL');
    expect(stuck?.error).toContain('exceeded the trial timeout of 1.5 s');
    const grandchild = Number((await store.getRun(stuck?.runId ?? '')).data.tags['grandchild']);
    expect(grandchild).toBeGreaterThan(0);
    await gone(grandchild);
  });

  it.each([
    ['leave-child', 'in its process group'],
    ['leave-setsid', 'in a new session'],
  ])('ends the trial when the command exits, although a child (%s: %s) holds stdout', async (mode) => {
    const { study, store, result } = await runCommand((n) => [n === 0 ? mode : 'ok'], 2);
    expect(result).toMatchObject({ completed: 2, failed: 0 });
    const trial = study.trials[0];
    expect(trial?.value).toBe(trial?.params['x']);
    const child = Number((await store.getRun(trial?.runId ?? '')).data.tags['child']);
    expect(child).toBeGreaterThan(0);
    await gone(child);
  });
});

describe('ProcessExecutor and long lines', () => {
  it('cuts a line longer than the limit in the log and does not read it as protocol', async () => {
    const { study, store } = await runCommand((n) => [n === 0 ? 'long-line' : 'ok'], 1);
    const trial = study.trials[0];
    expect(trial?.state).toBe('COMPLETE');
    expect(trial?.value).toBe(trial?.params['x']); // not the 7 of the 3 MiB line
    const run = await store.getRun(trial?.runId ?? '');
    const log = join(run.info.artifactUri, 'stdout.log');
    expect(statSync(log).size).toBeLessThan(1024 * 1024 + 200);
    expect(readFileSync(log, 'utf8')).toContain(`[sweep: line cut at ${1024 * 1024} of ${3 * 1024 * 1024 + 42} bytes]`);
  });

  it('says that over-long lines were ignored when no objective came', async () => {
    const { study } = await runCommand(() => ['ok'], 1, { maxLineBytes: 20 });
    expect(study.trials[0]?.error).toMatch(/reported no objective \(.*lines? longer than 20 bytes ignored\)/);
  });
});

describe('ProcessExecutor and a full disk', () => {
  /** A tmpfs of `size` mounted on a new directory, or undefined where mounting is not allowed. */
  function smallDisk(size: string): { dir: string; unmount: () => void } | undefined {
    const dir = join(tempDir(), 'disk');
    mkdirSync(dir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      return undefined;
    }
    return { dir, unmount: () => execFileSync('umount', ['-l', dir], { stdio: 'ignore' }) };
  }

  it('fails a trial whose output cannot be written (ENOSPC) with the reason, and goes on', async (context) => {
    const disk = smallDisk('512k');
    if (disk === undefined) return context.skip('cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)');
    try {
      const { study, store, result } = await runCommand((n) => [n === 0 ? 'flood' : 'ok'], 3, { artifactRoot: disk.dir });
      expect(result.completed + result.failed).toBe(3);
      const flooded = study.trials[0];
      expect(flooded?.state).toBe('FAIL');
      expect(flooded?.error).toMatch(/^ArtifactWriteError: cannot write the trial's output to its artifacts \(.*stdout\.log: ENOSPC/);
      expect((await store.getRun(flooded?.runId ?? '')).data.tags['sweep.fail_reason']).toBe('error');
      for (const t of study.trials.slice(1)) expect(t.state === 'COMPLETE' || t.error?.includes('ENOSPC')).toBe(true);
    } finally {
      disk.unmount();
    }
  });
});
