// Bad input of every kind exits 2 with one line (plus a hint) naming what is at fault; 1 is left for
// failures that are not the input's (a run that stops on --max-failures, a store that fails).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { sweep } from './helpers.js';

/** Exit code 2, a first line naming `names`, at most a hint after it, and no stack trace. */
function expectBadInput(result: { code: number; stderr: string }, names: string): void {
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toContain(names);
  expect(lines.slice(1).every((line) => line.startsWith('  hint: '))).toBe(true);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(result.code).toBe(2);
}

const STUDY_FILES: Record<string, string> = {
  'syntax.ts': 'export default {\n  name: "x",,\n};\n',
  'no-export.ts': 'export const study = 1;\n',
  'not-a-study.ts': 'export default 42;\n',
  'throws.ts': 'throw new Error("boom at import");\n',
  'throws-nothing.ts': 'throw new Error("");\n',
  'throws-a-string.ts': 'throw "not an error";\n',
  'missing-import.ts': 'import { nope } from "./no-such-module.js";\nexport default nope;\n',
  'bad-space.ts': "import { defineStudy, hp } from 'sweep';\nexport default defineStudy({ name: 'b', space: { x: hp.uniform(1, 0) }, objective: () => 1 });\n",
  'storage-error.ts': "import { StorageError } from 'sweep';\nthrow new StorageError('thrown by the study file');\n",
};

describe('sweep run: a study file that does not load', () => {
  it.each(Object.keys(STUDY_FILES))('%s exits 2 with one line naming the file, inline and with worker threads', async (name) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), STUDY_FILES[name] as string);
    expectBadInput(await sweep(['run', name, '--trials', '1', '--storage', 'memory:'], dir), name);
    expectBadInput(await sweep(['run', name, '--trials', '2', '--jobs', '2', '--storage', 'memory:'], dir), name);
  });

  it('a missing file or a directory exits 2 naming it', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder'));
    expectBadInput(await sweep(['run', 'missing.ts'], dir), 'missing.ts');
    expectBadInput(await sweep(['run', 'folder'], dir), 'folder');
  });
});

describe('sweep run --command --space: a space file that does not load', () => {
  it.each([
    ['broken.json', '{"x": {"$dist": "uniform", "low": 0, "high": 1}'],
    ['reversed.json', '{"x": {"$dist": "uniform", "low": 1, "high": 0}}'],
    ['unknown.json', '{"x": {"$dist": "nope"}}'],
    ['list.json', '[1]'],
    ['throws.ts', 'throw new Error("boom at import");\n'],
    ['storage-error.ts', "import { StorageError } from 'sweep';\nthrow new StorageError('thrown by the space file');\n"],
  ])('%s exits 2 with one line naming the file', async (name, text) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), text);
    expectBadInput(await sweep(['run', '--command', 'echo {x}', '--space', name, '--trials', '1', '--storage', 'memory:'], dir), name);
  });
});

describe('switches given a value, and arguments no command takes', () => {
  it.each([
    [['run', 'study.ts', '--reproducible=yes'], /^sweep: --reproducible takes no value, got --reproducible=yes\n  hint: /],
    [['run', 'study.ts', '--reproducible=no'], /^sweep: --reproducible takes no value, got --reproducible=no\n/],
    [['run', 'study.ts', '--reproducible=0'], /^sweep: --reproducible takes no value, got --reproducible=0\n/],
    [['run', 'study.ts', '--reproducible='], /^sweep: --reproducible takes no value, got --reproducible=\n/],
    [['run', 'study.ts', '--reproducible', 'no'], /^sweep: sweep run: unexpected argument "no"\n  hint: --reproducible takes no value/],
    [['run', 'study.ts', 'other.ts'], /^sweep: sweep run: unexpected argument "other.ts"\n/],
    [['trials', '--json=no'], /^sweep: --json takes no value, got --json=no\n/],
    [['studies', '--json', 'yes'], /^sweep: sweep studies: unexpected argument "yes"\n  hint: --json takes no value/],
    [['server', '--no-access-log=1'], /^sweep: --no-access-log takes no value, got --no-access-log=1\n/],
  ])('sweep %j exits 2 naming it', async (args, message) => {
    const result = await sweep([...args, '--storage', 'memory:'], tempDir());
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('reads --reproducible=true and =false as written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'study.ts'), "import { defineStudy, hp } from 'sweep';\nexport default defineStudy({ name: 's', space: { x: hp.uniform(0, 1) }, objective: (t) => t.params.x });\n");
    for (const value of ['true', 'false']) {
      const result = await sweep(['run', 'study.ts', '--trials', '2', `--reproducible=${value}`, '--storage', 'memory:'], dir);
      expect(result.code).toBe(0);
    }
  });
});
