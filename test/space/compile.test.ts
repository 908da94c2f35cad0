// Space validation (messages name the path), flattening names and resolving nested values.
import { describe, expect, it } from 'vitest';
import { compileSpace, compileTree } from '../../src/space/compile.js';
import { hp } from '../../src/space/hp.js';

describe('space validation', () => {
  it.each([
    [{ x: hp.uniform(1, 1) }, 'space.x: uniform needs low < high, got low=1, high=1'],
    [{ x: hp.uniform(0, Number.POSITIVE_INFINITY) }, 'space.x: uniform needs a finite number for high, got low=0, high=Infinity'],
    [{ x: hp.loguniform(0, 1) }, 'space.x: loguniform needs low > 0 (bounds are on the natural scale), got low=0, high=1'],
    [{ x: hp.quniform(1, 12, 0) }, 'space.x: quniform needs q > 0, got low=1, high=12, q=0'],
    [{ x: hp.qloguniform(-1, 10, 1) }, 'space.x: qloguniform needs low > 0 (bounds are on the natural scale), got low=-1, high=10, q=1'],
    [{ x: hp.randint(0, 2.5) }, 'space.x: randint needs integer bounds, got low=0, high=2.5'],
    [{ x: hp.randint(3, 3) }, 'space.x: randint needs low < high (high is exclusive), got low=3, high=3'],
    [{ x: hp.normal(0, 0) }, 'space.x: normal needs sigma > 0, got mu=0, sigma=0'],
    [{ x: hp.qnormal(0, 1, -1) }, 'space.x: qnormal needs q > 0, got mu=0, sigma=1, q=-1'],
    [{ x: hp.lognormal(0, -2) }, 'space.x: lognormal needs sigma > 0, got mu=0, sigma=-2'],
    [{ x: hp.uniform('a' as unknown as number, 2) }, 'space.x: uniform needs a finite number for low, got low="a", high=2'],
    [{ model: hp.choice(['a', { depth: hp.quniform(1, 12, 0) }]) }, 'space.model[1].depth: quniform needs q > 0, got low=1, high=12, q=0'],
    [{ x: hp.choice([]) }, 'space.x: choice needs a non-empty array of options, got an array'],
    [{ x: hp.pchoice([[0.5, 'a'], [0.2, 'b']]) }, 'space.x: pchoice probabilities must sum to 1, got 0.7'],
    [{ x: hp.pchoice([[-0.5, 'a'], [1.5, 'b']]) }, 'space.x: pchoice needs [[probability, option], ...] pairs with probabilities >= 0, got [-0.5,1.5]'],
    [{ 'a.b': hp.uniform(0, 1) }, 'space: key "a.b" may only contain letters, digits, \'_\', \'-\', \'/\' and spaces'],
    [{ f: () => 1 }, 'space.f: a space may hold JSON constants and hp.* nodes only, got a function'],
    [{ d: new Date(0) }, 'space.d: only plain objects, arrays, constants and hp.* nodes may appear in a space, got an instance of Date'],
    [{ x: { $dist: 'gauss' } }, 'space.x: unknown distribution "gauss"'],
  ])('rejects %j with a message naming the path', (space, message) => {
    expect(() => compileSpace(space as Record<string, unknown>)).toThrow(message);
  });

  it('throws SearchSpaceError (code E_SEARCH_SPACE)', () => {
    try {
      compileSpace({ x: hp.uniform(2, 1) });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_SEARCH_SPACE', name: 'SearchSpaceError' });
    }
  });

  it('rejects a space that is not an object', () => {
    expect(() => compileSpace([] as unknown as Record<string, unknown>)).toThrow('space: must be an object of named distributions, got an array');
  });
});

describe('flattening', () => {
  const space = compileSpace({
    lr: hp.loguniform(1e-5, 1),
    booster: hp.choice(['gbtree', { kind: 'dart', drop: hp.uniform(0, 0.5), depth: hp.randint(1, 4) }]),
    layers: [hp.quniform(16, 64, 16), 3],
    fixed: 'constant',
  });

  it('names nested parameters with dots and option indices', () => {
    expect([...space.params.keys()]).toEqual(['lr', 'booster', 'booster.1.drop', 'booster.1.depth', 'layers.0']);
    expect(space.params.get('booster.1.drop')?.sourcePath).toBe('space.booster[1].drop');
  });

  it('resolves only the active branch and returns option values, never indices', () => {
    const picks: Record<string, number> = { lr: 0.01, booster: 0, 'layers.0': 32 };
    const a = space.resolve((spec) => picks[spec.name] as number);
    expect(a.value).toEqual({ lr: 0.01, booster: 'gbtree', layers: [32, 3], fixed: 'constant' });
    expect(a.flat).toEqual({ lr: 0.01, booster: 0, 'layers.0': 32 });

    const b = space.resolve((spec) => ({ lr: 0.1, booster: 1, 'booster.1.drop': 0.25, 'booster.1.depth': 2, 'layers.0': 16 })[spec.name] as number);
    expect(b.value).toEqual({ lr: 0.1, booster: { kind: 'dart', drop: 0.25, depth: 2 }, layers: [16, 3], fixed: 'constant' });
  });

  it('gives equal spaces equal fingerprints whatever the key order', () => {
    const a = compileSpace({ x: hp.uniform(0, 1), y: hp.choice(['a', 'b']) });
    const b = compileSpace({ y: hp.choice(['a', 'b']), x: hp.uniform(0, 1) });
    const c = compileSpace({ x: hp.uniform(0, 2), y: hp.choice(['a', 'b']) });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });

  it('labels choice options for tracking and keeps constant options', () => {
    const d = space.params.get('booster')?.distribution;
    expect(d).toEqual({ kind: 'choice', n: 2, labels: ['gbtree', '1'] });
    const constants = compileSpace({ opt: hp.choice(['adam', 3, true, null]) }).params.get('opt')?.distribution;
    expect(constants).toMatchObject({ labels: ['adam', '3', 'true', 'null'], constants: ['adam', 3, true, null] });
  });

  it('mounts a define-by-run node at its name', () => {
    const tree = compileTree(hp.choice([{ a: hp.uniform(0, 1) }, 'none']), 'model', 'suggest("model")');
    expect([...tree.params.keys()]).toEqual(['model', 'model.0.a']);
  });
});
