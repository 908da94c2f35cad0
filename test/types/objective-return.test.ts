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
      defineStudy({ name: 'ok-async', space, objective: async (t) => t.params.x });
      defineStudy({ name: 'ok-one', space, objective: (t) => [t.params.x] });
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

  it('ties the return to the objectives the study declares', () => {
    const computed = (x: number): number[] => [x, 1 - x];
    const _unused = async (): Promise<void> => {
      const two = await createStudy({ name: 'two', space, directions: ['minimize', 'maximize'], storage: 'memory:' });
      await two.optimize((t) => [t.params.x, 1]);
      await two.optimize(async (t) => computed(t.params.x));
      await two.optimize((t) => ({ objective_0: t.params.x, objective_1: 1 }));
      await two.tell(1, [1, 2]);
      // @ts-expect-error two objectives need two values, not one number
      await two.optimize((t) => t.params.x);
      // @ts-expect-error nor a promise of one number
      await two.optimize(async (t) => t.params.x);

      const named = await createStudy({ name: 'named', space, directions: ['minimize', 'maximize'], metrics: ['error', 'acc'], storage: 'memory:' });
      await named.optimize((t) => ({ error: t.params.x, acc: 1 }));
      await named.optimize((t) => [t.params.x, 1]);
      // @ts-expect-error "accuracy" is not a metric of the study
      await named.optimize((t) => ({ error: t.params.x, accuracy: 1 }));
      // @ts-expect-error "acc" is missing
      await named.optimize((t) => ({ error: t.params.x }));

      const one = await createStudy({ name: 'one', space, metric: 'loss', storage: 'memory:' });
      await one.optimize((t) => ({ loss: t.params.x }));
      // @ts-expect-error one objective: one number, not two
      await one.optimize((t) => [t.params.x, 1]);

      defineStudy({ name: 'd2', space, directions: ['minimize', 'minimize'], metrics: ['a', 'b'], objective: (t) => ({ a: t.params.x, b: 1 }) });
      // @ts-expect-error a number for a two-objective study file
      defineStudy({ name: 'd2-bad', space, directions: ['minimize', 'minimize'], objective: (t) => t.params.x });

      // Directions known only at run time: any ObjectiveResult.
      const directions: ('minimize' | 'maximize')[] = ['minimize', 'minimize'];
      const loose = await createStudy({ name: 'loose', space, directions, storage: 'memory:' });
      await loose.optimize((t) => t.params.x);
      await loose.optimize((t) => [t.params.x, 1]);
    };
    expectTypeOf(_unused).toBeFunction();
  });
});
