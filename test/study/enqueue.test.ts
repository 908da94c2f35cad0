// Study.enqueue: values are checked against the declared space before anything is stored; partial
// values leave the rest to the sampler; a branch's parameters need their choice.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';

const space = {
  lr: hp.loguniform(1e-4, 1),
  layers: hp.randint(1, 5),
  width: hp.quniform(16, 128, 16),
  noise: hp.normal(0, 1),
  opt: hp.choice(['adam', 'sgd']),
  k: hp.choice([1, 2, 4]),
  booster: hp.choice(['gbtree', { drop: hp.uniform(0, 1), kind: hp.choice(['a', { depth: hp.randint(1, 9) }]) }]),
};

async function make(name = 'enq') {
  const store = new MemoryStore();
  const study = await createStudy({ name, space, seed: 1, storage: store });
  return { study, store };
}

describe('enqueue refuses values outside the space, storing nothing', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown name', { nope: 1 }, 'enqueue: "nope" is not a parameter of the declared space (lr, layers, width, noise, opt, k, booster'],
    ['a value above a bound', { lr: 2 }, 'enqueue: param "lr": 2 is not a value of loguniform(0.0001, 1)'],
    ['a value below a bound', { lr: 0 }, 'param "lr": 0 is not a value of loguniform(0.0001, 1)'],
    ['a non-integer for randint', { layers: 2.5 }, 'param "layers": 2.5 is not a value of randint(1, 5)'],
    ['randint\'s excluded high', { layers: 5 }, 'param "layers": 5 is not a value of randint(1, 5)'],
    ['a value off the q grid', { width: 20 }, 'param "width": 20 is not a value of quniform(16, 128, 16)'],
    ['NaN', { noise: Number.NaN }, 'param "noise": NaN is not a value of normal(0, 1)'],
    ['a string for a number', { lr: '0.1' }, 'param "lr": "0.1" is not a value of loguniform(0.0001, 1)'],
    ['an unknown category', { opt: 'rmsprop' }, 'param "opt": "rmsprop" is not a value of choice("adam", "sgd") or an index 0..1'],
    ['an index out of range', { opt: 2 }, 'param "opt": 2 is not a value of choice("adam", "sgd") or an index 0..1'],
    ['an index of a choice of numbers (ambiguous)', { k: 0 }, 'param "k": 0 is not a value of choice(1, 2, 4)'],
    ['a branch parameter without its choice', { 'booster.1.drop': 0.5 }, 'param "booster.1.drop" exists only when "booster" is option 1; give "booster" too'],
    ['a branch parameter under another option', { booster: 'gbtree', 'booster.1.drop': 0.5 }, 'param "booster.1.drop" exists only when "booster" is option 1, but "booster" is given as option 0 ("gbtree")'],
    ['a nested branch under another option', { booster: 1, 'booster.1.kind': 'a', 'booster.1.kind.1.depth': 3 }, 'param "booster.1.kind.1.depth" exists only when "booster.1.kind" is option 1, but "booster.1.kind" is given as option 0 ("a")'],
    ['a value outside a branch parameter', { booster: 1, 'booster.1.drop': 1.5 }, 'param "booster.1.drop": 1.5 is not a value of uniform(0, 1)'],
  ])('refuses %s', async (_what, values, message) => {
    const { study, store } = await make();
    const error = await study.enqueue(values).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_SEARCH_SPACE', name: 'SearchSpaceError' });
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
    expect(await store.getTrials(study.record.studyId)).toEqual([]);
    expect(study.trials).toEqual([]);
  });

  it('refuses any name in a study without a declared space', async () => {
    const study = await createStudy({ name: 'dbr', storage: 'memory:' });
    await expect(study.enqueue({ x: 1 })).rejects.toThrow('enqueue: "x" is not a parameter: study "dbr" declares no space');
  });

  it('refuses values that are not an object', async () => {
    const { study } = await make();
    await expect(study.enqueue([1, 2] as unknown as Record<string, unknown>)).rejects.toThrow('enqueue: values must be an object of parameter name -> value, got an array');
  });
});

describe('enqueue accepts values of the space', () => {
  it('keeps every given value and samples the rest', async () => {
    const { study } = await make();
    await study.enqueue({ lr: 0.01, layers: 4, width: 32, opt: 'sgd', k: 4 });
    await study.optimize(() => 1, { trials: 1 });
    const [t] = study.trials;
    expect(t).toMatchObject({ state: 'COMPLETE', params: { lr: 0.01, layers: 4, width: 32, opt: 'sgd', k: 4 } });
    expect(typeof t?.params['noise']).toBe('number');
  });

  it('takes a choice by index when no option is a number', async () => {
    const { study } = await make();
    const view = await study.enqueue({ opt: 1 });
    expect(view.params).toMatchObject({ opt: 'sgd' });
  });

  it('takes an empty object: a trial the sampler fills entirely', async () => {
    const { study } = await make();
    await study.enqueue({});
    await study.optimize(() => 1, { trials: 1 });
    expect(study.trials[0]?.state).toBe('COMPLETE');
  });

  it('takes a branch by its constant option or its index, with its parameters', async () => {
    const { study } = await make();
    await study.enqueue({ booster: 'gbtree' });
    await study.enqueue({ booster: 1, 'booster.1.drop': 0.25, 'booster.1.kind': 1, 'booster.1.kind.1.depth': 3 });
    await study.enqueue({ booster: 1 });
    const seen: unknown[] = [];
    await study.optimize((t) => (seen.push(t.params.booster), 1), { trials: 3 });
    expect(seen[0]).toBe('gbtree');
    expect(seen[1]).toEqual({ drop: 0.25, kind: { depth: 3 } });
    expect(seen[2]).toMatchObject({ drop: expect.any(Number) });
    expect(study.trials[1]?.params).toEqual(expect.objectContaining({ booster: { drop: 0.25, kind: { depth: 3 } } }));
  });
});
