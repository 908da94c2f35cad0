// GridSampler: every point exactly once, conditional grids, resume, continuous parameters refused.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { compileSpace } from '../../src/space/compile.js';
import { GridSampler } from '../../samplers/grid.js';
import { tempDir } from '../helpers/tmp.js';

const space = { a: hp.choice(['x', 'y', 'z']), b: hp.quniform(1, 4, 1), c: hp.randint(0, 2) };

describe('GridSampler', () => {
  it('runs every grid point exactly once, then stops', async () => {
    const study = await createStudy({ name: 'g', space, sampler: 'grid', storage: 'memory:' });
    const result = await study.optimize(() => 0, { trials: 100 });
    expect(result.stoppedBy).toBe('exhausted');
    const keys = study.trials.map((t) => JSON.stringify(t.params));
    expect(keys).toHaveLength(3 * 4 * 2);
    expect(new Set(keys).size).toBe(24);
  });

  it('enumerates conditional spaces branch by branch', () => {
    const grid = new GridSampler(
      compileSpace({ m: hp.choice([{ depth: hp.randint(1, 4) }, 'linear', { k: hp.choice(['a', 'b']), n: hp.quniform(0, 1, 0.5) }]) }),
      1,
      { shuffle: false },
    );
    // 3 depths + 1 + 2*3
    expect(grid.points).toHaveLength(10);
    expect(grid.points[0]).toEqual({ m: 0, 'm.0.depth': 1 });
    expect(grid.points[3]).toEqual({ m: 1 });
  });

  it('refuses a continuous parameter unless values are given', () => {
    const s = compileSpace({ lr: hp.loguniform(1e-4, 1), n: hp.randint(0, 2) });
    expect(() => new GridSampler(s, 1)).toThrow('grid sampler: space.lr is loguniform (continuous), so it has no grid');
    expect(new GridSampler(s, 1, { values: { lr: [1e-3, 1e-2, 0.1] } }).points).toHaveLength(6);
    expect(() => new GridSampler(s, 1, { values: { lr: [5] } })).toThrow('value 5 for "lr" is outside space.lr');
    expect(() => new GridSampler(s, 1, { values: { nope: [1] } })).toThrow('not a parameter of the space');
  });

  it('continues a resumed study without repeating a point', async () => {
    const storage = `sqlite:${join(tempDir(), 'g.db')}`;
    const first = await createStudy({ name: 'g', space, sampler: 'grid', storage });
    await first.optimize(() => 0, { trials: 10 });
    await first.close();
    const second = await createStudy({ name: 'g', space, sampler: 'grid', storage });
    const result = await second.optimize(() => 0, { trials: 100 });
    expect(result.started).toBe(14);
    const keys = second.trials.map((t) => JSON.stringify(t.params));
    expect(keys).toHaveLength(24);
    expect(new Set(keys).size).toBe(24);
    await second.close();
  });

  it('never hands one point to two studies sharing a file', async () => {
    const storage = `sqlite:${join(tempDir(), 'g.db')}`;
    const a = await createStudy({ name: 'g', space, sampler: 'grid', storage });
    const b = await createStudy({ name: 'g', space, sampler: 'grid', storage });
    // interleave the two processes' views: b's history is stale when it asks
    await Promise.all([a.optimize(() => 0, { trials: 30 }), b.optimize(() => 0, { trials: 30 })]);
    await a.sync();
    const keys = a.trials.map((t) => JSON.stringify(t.params));
    expect(keys).toHaveLength(24);
    expect(new Set(keys).size).toBe(24);
    await a.close();
    await b.close();
  });

  it('rejects unknown options with a one-line error', async () => {
    await expect(createStudy({ name: 'g', space, sampler: { name: 'grid', shufle: true }, storage: 'memory:' })).rejects.toThrow(
      'sampler "grid": unknown option "shufle"',
    );
    await expect(createStudy({ name: 'g', space, sampler: 'bogus', storage: 'memory:' })).rejects.toThrow('sampler "bogus" does not exist');
  });
});
