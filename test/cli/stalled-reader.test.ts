// `sweep run` whose progress reader stops reading (a paused pipe): the run goes on, holding a bounded
// amount of progress text, and says how many lines it left out once the reader is back.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { BIN, ROOT } from './helpers.js';

describe('sweep run with a stalled stderr reader', () => {
  it('finishes its trials while nobody reads its progress, leaving out lines past the bound', async () => {
    const trials = 8000; // about 400 KiB of progress lines: more than the pipe, the reader's buffer and the bound
    const child = spawn(process.execPath, [BIN, 'run', join(ROOT, 'test/fixtures/studies/instant.ts'), '--trials', String(trials), '--storage', 'memory:'], {
      cwd: tempDir(),
      env: { ...process.env, SWEEP_TRACKING_URI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.pause(); // read nothing: the pipe fills
    let stdout = '';
    // The summary (on stdout) comes once every trial has ended: only then is stderr read.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Ran ')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code} before its summary`)));
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`Ran ${trials} trials \\(${trials} complete, 0 failed\\)`));
    const shown = stderr.split('\n').filter((line) => line.startsWith('trial ')).length;
    const leftOut = [...stderr.matchAll(/sweep: (\d+) progress lines? left out: the reader of this output fell 256 KiB behind/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(leftOut).toBeGreaterThan(0);
    expect(shown + leftOut).toBe(trials);
  });
});
