// Type-level checks of what an objective may return (tsc checks this file: `npx tsc -p tsconfig.json
// --noEmit`); each `@ts-expect-error` line must stay an error, or tsc fails on the unused directive.
import { describe, expectTypeOf, it } from 'vitest';
import { createStudy, defineObjective, defineStudy, hp, type ObjectiveFn, type ObjectiveResult, type PrunedResult } from '../../src/index.js';

const space = { x: hp.uniform(0, 1) };

describe('objective return types', () => {
  it('accepts what sweep completes or prunes a trial with, and promises of it', () => {
    expectTypeOf<number>().toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<number[]>().toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<readonly number[]>().toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<{ error: number; accuracy: number }>().toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<PrunedResult>().toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<() => Promise<number>>().toMatchTypeOf<ObjectiveFn>();
    expectTypeOf<() => Promise<[number, number]>>().toMatchTypeOf<ObjectiveFn>();
    expectTypeOf<() => never>().toMatchTypeOf<ObjectiveFn>();
  });

  it('refuses what fails a trial at run time', () => {
    expectTypeOf<string>().not.toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<undefined>().not.toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<(string | number)[]>().not.toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<{ error: string }>().not.toMatchTypeOf<ObjectiveResult>();
    expectTypeOf<() => Promise<string>>().not.toMatchTypeOf<ObjectiveFn>();
    expectTypeOf<() => void>().not.toMatchTypeOf<ObjectiveFn>();
  });

  it('checks objectives where users write them', () => {
    // Never called: only the types matter here.
    const _unused = async (): Promise<void> => {
      defineStudy({ name: 'ok', space, objective: (t) => t.params.x });
      defineStudy({ name: 'ok-async', space, objective: async (t) => [t.params.x, 1] });
      defineStudy({ name: 'ok-object', directions: ['minimize', 'maximize'], metrics: ['e', 'a'], space, objective: (t) => ({ e: t.params.x, a: 1 }) });
      defineStudy({ name: 'ok-pruned', space, objective: (t) => (t.params.x > 0.5 ? t.pruned() : t.params.x) });
      // @ts-expect-error a string is not an objective value
      defineStudy({ name: 'bad', space, objective: () => 'str' });
      // @ts-expect-error nor a promise of one
      defineStudy({ name: 'bad-async', space, objective: async () => 'str' });
      // @ts-expect-error nor nothing
      defineObjective(() => {});
      const study = await createStudy({ name: 's', space, storage: 'memory:' });
      await study.optimize((t) => t.params.x * 2);
      // @ts-expect-error an array of strings is not several objective values
      await study.optimize(() => ['a', 'b']);
    };
    expectTypeOf(_unused).toBeFunction();
  });
});
