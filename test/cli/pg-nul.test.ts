// U+0000 on PostgreSQL, whose text cannot hold it: a command whose stderr carries a NUL byte, or an
// objective tagging with one, fails that trial only; the study goes on and every trial is stored.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { pgAvailable, queryStorage, scratchStorages } from '../helpers/pg.js';
import { ROOT, sweep } from './helpers.js';

const available = await pgAvailable();
const newStorage = scratchStorages();

function trials(storage: string): Promise<{ number: number; state: string; error: string | null }[]> {
  return queryStorage(storage,
    "SELECT t.number, t.state, g.value AS error FROM trials t LEFT JOIN tags g ON g.run_id = t.run_id AND g.key = 'sweep.error' ORDER BY t.number");
}

describe.runIf(available)('U+0000 on a PostgreSQL study', () => {
  it('fails the trial of a command whose stderr carries a NUL byte, with the stderr, and goes on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'space.json'), JSON.stringify({ x: { $dist: 'uniform', low: 0, high: 1 } }));
    writeFileSync(join(dir, 'fail.mjs'), "process.stderr.write('bad\\u0000bytes\\n'); process.exit(1);\n");
    const storage = newStorage();
    const r = await sweep(['run', '--command', `${process.execPath} fail.mjs`, '--space', 'space.json', '--trials', '3', '--storage', storage], dir);
    expect(r.stderr).not.toMatch(/cannot store|invalid byte sequence/);
    const rows = await trials(storage);
    expect(rows.map((t) => t.state)).toEqual(['FAIL', 'FAIL', 'FAIL']);
    for (const t of rows) expect(t.error).toContain('bad\ufffdbytes');
  });

  it('fails the trial whose objective tags with U+0000, naming it, and runs the rest', async () => {
    const storage = newStorage();
    const r = await sweep(['run', join(ROOT, 'test/fixtures/studies/nul-tag.ts'), '--trials', '3', '--storage', storage], tempDir());
    expect(r.code, r.stderr).toBe(0);
    const rows = await trials(storage);
    expect(rows.map((t) => t.state)).toEqual(['FAIL', 'COMPLETE', 'COMPLETE']);
    expect(rows[0]?.error).toMatch(/trial\.setTag\("note"\).*\\u0000/);
  });
});
