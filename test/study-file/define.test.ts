// defineStudy's checks of a study's options: the messages come from the options' zod schema, and the
// plain check that lets a valid study skip loading zod never vouches for options the schema refuses.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineStudy } from '../../src/study-file/define.js';
import { STUDY_OPTION_KEYS, studyOptionsSchemaOf, surelyValidStudyOptions } from '../../src/study-file/study-options.js';

const objective = (): number => 1;

describe('defineStudy options', () => {
  it.each([
    [{ name: 'bad!' }, `defineStudy: name may contain letters, digits, '_', '-', '.', '/', ':' and spaces (not only spaces), got "bad!"`],
    [{ name: '   ' }, `defineStudy: name may contain letters, digits, '_', '-', '.', '/', ':' and spaces (not only spaces), got "   "`],
    [{ name: 'a', seed: 1.5 }, 'defineStudy: seed Invalid input: expected int, received number, got 1.5'],
    [{ name: 'a', tags: { a: 1 } }, 'defineStudy: tags.a Invalid input: expected string, received number, got 1'],
    [{ name: 'a', space: [] }, 'defineStudy: space Invalid input: expected record, received array, got []'],
    [{ name: 'a', constraints: 3 }, 'defineStudy: constraints must be a function (trial) => number[], got 3'],
    [{ name: 'a', directions: [] }, 'defineStudy: directions Too small: expected array to have >=1 items, got []'],
  ])('refuses %j with the schema\'s message', (options, message) => {
    expect(() => defineStudy({ ...options, objective } as never)).toThrow(message);
  });

  it('refuses an option it does not know, naming it (a typo in a plain JS study file was ignored)', () => {
    // Found as a new user: `prunner: 'median', directon: 'maximize'` in study.js ran an unpruned minimize study.
    expect(() => defineStudy({ name: 'typo', prunner: 'median', objective } as never)).toThrow('defineStudy "typo": unknown option "prunner"');
    try {
      defineStudy({ name: 'typo', directon: 'maximize', objective } as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_CONFIG', hint: expect.stringContaining('direction, metric') });
      expect((error as { hint: string }).hint).toContain('objective, command');
    }
    expect(defineStudy({ name: 'spread', pruner: undefined, extra: undefined, objective } as never).name).toBe('spread');
  });

  it('knows every option of the schema, and no other', () => {
    expect([...STUDY_OPTION_KEYS].sort()).toEqual(Object.keys(studyOptionsSchemaOf(z).shape).sort());
  });

  it('accepts options the plain check leaves to the schema (an own `constructor` key in the space)', () => {
    expect(defineStudy({ name: 'a', space: { constructor: 1 }, objective }).name).toBe('a');
  });

  it('vouches only for options the schema accepts', () => {
    const schema = studyOptionsSchemaOf(z);
    class Spec {
      name = 'tpe';
    }
    const values: Record<string, unknown[]> = {
      name: ['a', '', 'x'.repeat(250), 'x'.repeat(251), 'bad!', 'ok name/1:2', '   ', ' a ', 3, null],
      direction: ['minimize', 'maximize', 'max', null, 1],
      metric: ['m', '', 'bad!', ' ', 2],
      directions: [[], ['minimize'], ['maximize', 'minimize'], Array(17).fill('minimize'), ['x'], [, 'minimize'], 'minimize'],
      metrics: [[], ['a'], ['a', 'b'], ['a', ''], Array(17).fill('a'), 'a'],
      constraints: [() => [1], 1, null],
      space: [{}, { x: 1 }, [], null, 'x', Object.create(null), new Spec(), { constructor: 1 }, { [Symbol('s')]: 1 }, new Map()],
      sampler: ['tpe', { name: 'tpe', n: 1 }, { name: 1 }, {}, [], null, new Spec(), 1],
      pruner: ['median', { name: 'asha' }, { nm: 1 }],
      seed: [1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1', null],
      experiment: ['e', '', 'x'.repeat(251), 1],
      trials: [0, 5, -1, 1.2, 2 ** 60],
      tags: [{}, { a: 'b' }, { a: 1 }, Object.assign(Object.create(null), { a: 'b' }), [], { [Symbol('t')]: 'x' }],
    };
    // Every value of every option on its own, with a valid name, and each against an invalid name.
    let vouched = 0;
    for (const [key, list] of Object.entries(values)) {
      for (const value of [undefined, ...list]) {
        for (const base of [{ name: 'study' }, { name: 'bad!' }, {}]) {
          const options = { ...base, [key]: value };
          const sure = surelyValidStudyOptions(options);
          if (sure) vouched++;
          expect(!sure || schema.safeParse(options).success, JSON.stringify(options)).toBe(true);
        }
      }
    }
    expect(vouched).toBeGreaterThan(40);
    expect(surelyValidStudyOptions({ name: 'gbm', direction: 'maximize', metric: 'acc', space: { x: 1 }, sampler: { name: 'tpe' }, seed: 1, trials: 10, tags: { a: 'b' } })).toBe(true);
  });
});
