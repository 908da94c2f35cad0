// The bounded line splitter of command output, and the trial log that survives write errors.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoundedLineSplitter, type OutputLine } from '../../src/execution/bounded-lines.js';
import { TrialLog } from '../../src/execution/trial-log.js';
import { tempDir } from '../helpers/tmp.js';

function split(chunks: (string | Buffer)[], max: number): OutputLine[] {
  const lines: OutputLine[] = [];
  const splitter = new BoundedLineSplitter(max, (line) => lines.push(line));
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.end();
  return lines;
}

describe('BoundedLineSplitter', () => {
  it('splits on newlines across chunks, and keeps a last line without one', () => {
    const lines = split(['ab', 'c\nd', 'e\n\nf'], 100);
    expect(lines.map((l) => l.bytes.toString())).toEqual(['abc', 'de', '', 'f']);
    expect(lines.every((l) => !l.cut)).toBe(true);
  });

  it('cuts a line at the limit, counts its full length, and goes on with the next line', () => {
    const lines = split(['0123456789', 'abcdef\nnext\n'], 8);
    expect(lines).toEqual([
      { bytes: Buffer.from('01234567'), length: 16, cut: true },
      { bytes: Buffer.from('next'), length: 4, cut: false },
    ]);
  });

  it('keeps no more than the limit of a 256 MiB line fed in 64 KiB chunks', () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const lines: OutputLine[] = [];
    const splitter = new BoundedLineSplitter(1024 * 1024, (line) => lines.push(line));
    for (let i = 0; i < 4096; i++) splitter.push(chunk);
    splitter.push(Buffer.from('\nok\n'));
    expect(lines.map((l) => [l.bytes.length, l.length, l.cut])).toEqual([[1024 * 1024, 256 * 1024 * 1024, true], [2, 2, false]]);
  });
});

describe('TrialLog', () => {
  it('keeps the first write error instead of throwing, and closes', async () => {
    if (!existsSync('/dev/full')) return;
    const log = new TrialLog('/dev/full');
    const failure = new Promise<Error>((resolve) => (log.onError = resolve));
    log.write(Buffer.alloc(100_000, 0x61));
    expect((await failure).message).toMatch(/^\/dev\/full: ENOSPC/);
    log.write('dropped');
    await log.close();
    expect(log.error?.message).toMatch(/ENOSPC/);
  });

  it('writes what it is given', async () => {
    const path = join(tempDir(), 'out.log');
    const log = new TrialLog(path);
    log.write('a\n');
    log.write(Buffer.from('b\n'));
    await log.close();
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    expect(log.error).toBeUndefined();
  });
});
