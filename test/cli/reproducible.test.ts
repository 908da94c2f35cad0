// sweep run --reproducible: two seeded runs with worker threads whose trials end in random order give
// the same params.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { sweep } from './helpers.js';

const STUDY = `import { defineStudy, hp } from 'sweep';
export default defineStudy({
  name: 'repro',
  space: { x: hp.uniform(-5, 5), lr: hp.loguniform(1e-4, 1) },
  objective: async (trial) => {
    // trials end in an order that differs from run to run
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    return trial.params.x ** 2 + Math.log10(trial.params.lr) ** 2;
  },
});
`;

describe('sweep run --reproducible', () => {
  it('gives the same params to the same seed with two worker threads, whatever order trials end in', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'study.ts'), STUDY);
    const params: unknown[] = [];
    for (const db of ['a.db', 'b.db']) {
      const run = await sweep(['run', 'study.ts', '--trials', '24', '--jobs', '2', '--seed', '5', '--reproducible', '--storage', `sqlite:${db}`], dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Ran 24 trials \(24 complete, 0 failed\)/);
      const trials = JSON.parse((await sweep(['trials', '--json', '--storage', `sqlite:${db}`], dir)).stdout) as { params: unknown }[];
      params.push(trials.map((t) => t.params));
    }
    expect(params[1]).toEqual(params[0]);
  });
});
