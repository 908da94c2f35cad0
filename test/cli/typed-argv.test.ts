// Option values reach the commands as typed: cac alone would turn `--study 007` into the number 7.
import { describe, expect, it } from 'vitest';
import { joinNegativeValues, typedValues } from '../../src/cli/typed-argv.js';

const takesValue = (name: string): boolean => ['study', 'jobs', 'max-trials', 'tag'].includes(name);

describe('typedValues', () => {
  it.each([
    [['run', 'a.ts', '--study', '007'], { study: ['007'] }],
    [['run', 'a.ts', '--study=1e3'], { study: ['1e3'] }],
    [['run', 'a.ts', '--study', ''], { study: [''] }],
    [['run', 'a.ts', '--max-trials', '0x10'], { maxTrials: ['0x10'] }],
    [['run', 'a.ts', '--tag', 'a=1', '--tag', 'b=2'], { tag: ['a=1', 'b=2'] }],
    [['run', 'a.ts', '--study', '--jobs', '2'], { jobs: ['2'] }], // no value: cac reports it missing
    [['run', 'a.ts', '--json', '5'], {}], // not an option that takes a value: 5 is an argument
    [['run', '--', '--study', '7'], {}],
  ])('%j gives %j', (argv, expected) => {
    expect(Object.fromEntries(typedValues(argv, takesValue))).toEqual(expected);
  });
});

describe('joinNegativeValues', () => {
  it('joins a negative number to the option that takes it, so it is not read as an option', () => {
    expect(joinNegativeValues(['run', '--jobs', '-1', '--study', '-.5', '--json', '-1'], takesValue)).toEqual(['run', '--jobs=-1', '--study=-.5', '--json', '-1']);
  });

  it('leaves what follows -- alone', () => {
    expect(joinNegativeValues(['run', '--', '--jobs', '-1'], takesValue)).toEqual(['run', '--', '--jobs', '-1']);
  });
});
