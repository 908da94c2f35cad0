// sweep server's flags as a user passes them: --request-timeout bounds how long a request may take to
// arrive; a bad value is a one-line error.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { serverUrl } from '../helpers/server-url.js';
import { stalledRequestAnswer } from '../helpers/stalled-request.js';
import { tempDir } from '../helpers/tmp.js';
import { spawnSweep, sweep } from './helpers.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const proc of started.splice(0)) proc.kill('SIGTERM');
});

describe('sweep server --request-timeout', () => {
  it('answers 408 to a request whose body does not arrive within the timeout it was given', async () => {
    const dir = tempDir();
    const proc = spawnSweep(['server', '--port', '0', '--no-access-log', '--request-timeout', '1', '--storage', `sqlite:${join(dir, 's.db')}`], dir);
    started.push(proc);
    // Waits on the server closing the connection (the default, 10 minutes, would outlast the test).
    const answer = await stalledRequestAnswer(Number(new URL(await serverUrl(proc)).port));
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it.each(['0', '-3', 'soon'])('refuses --request-timeout %s in one line', async (value) => {
    const dir = tempDir();
    const result = await sweep(['server', '--port', '0', '--request-timeout', value, '--storage', `sqlite:${join(dir, 's.db')}`], dir);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^sweep: --request-timeout must be .*\n$/);
  });
});
