// `sweep ui` is a viewer: pointed at a SQLite file that is not there (a typo in --storage), it says so
// and exits 1 instead of creating an empty database (and its artifacts folder) and serving that.
// Found as a new user: `sweep ui --storage sqlite:./nope.db` served an empty UI and left nope.db behind.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { spawnSweep } from './helpers.js';
import { tempDir } from '../helpers/tmp.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs the command until it exits, or until it prints its first line on stdout (a server listening). */
function firstOutcome(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSweep(args, cwd);
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) resolve({ code: null, stdout, stderr });
    });
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sweep ui', () => {
  it('refuses a SQLite file that does not exist, creating nothing', async () => {
    const dir = tempDir();
    const result = await firstOutcome(['ui', '--storage', 'sqlite:./nope.db', '--port', '0'], dir);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(/^sweep: no sweep database at .*nope\.db\n  hint: /);
    expect([existsSync(join(dir, 'nope.db')), existsSync(join(dir, 'nope-artifacts'))]).toEqual([false, false]);
  }, 30_000);

  it('while sweep server still creates the database it is given', async () => {
    const dir = tempDir();
    const result = await firstOutcome(['server', '--storage', 'sqlite:./new.db', '--port', '0', '--no-access-log'], dir);
    expect(result.stdout).toMatch(/^sweep server listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(existsSync(join(dir, 'new.db'))).toBe(true);
  }, 30_000);
});
