// Worker threads give a study's `import { … } from 'sweep'` sweep's light API when that has every name
// imported, and sweep's entry otherwise: `sweep run --jobs 2 --executor threads`, as a user runs it.
// --reproducible keeps the trials handed over by the main thread: a worker running its own loop (the
// default) opens the store itself, so its stores load whatever the study imports.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sweep } from '../cli/helpers.js';
import { tempDir } from '../helpers/tmp.js';

const run = (study: string) =>
  sweep(['run', join(ROOT, 'test/fixtures/studies', study), '--trials', '4', '--jobs', '2', '--executor', 'threads', '--sampler', 'random', '--reproducible'], tempDir());

describe('sweep in worker threads', () => {
  it('runs a study that imports only light names without loading the stores in its workers', async () => {
    const result = await run('light-imports.ts');
    expect(result.stderr + result.stdout).toContain('(4 complete, 0 failed)');
  });

  it('runs a study that imports a store and the pruner registry, with a helper importing a light name', async () => {
    const result = await run('heavy-imports.ts');
    expect(result.stderr + result.stdout).toContain('(4 complete, 0 failed)');
  });
});
