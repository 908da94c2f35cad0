// The sampler registry: name -> options schema (zod) and factory. The CLI and createStudy resolve
// `--sampler NAME` and `sampler: { name, ...options }` here.
import { z } from 'zod';
import { ConfigError } from '../src/errors.js';
import type { Sampler } from '../src/study/sampler.js';
import { buildSampler, type SamplerFactoryContext } from './build.js';
import { tpeOptionsSchema } from './tpe/index.js';
import { nsga2OptionsSchema } from './nsga2/index.js';

export { RandomSampler } from './random.js';
export { GridSampler, type GridOptions } from './grid.js';
export { TPESampler, type TpeOptions, type TpeUserOptions } from './tpe/index.js';
export { NSGA2Sampler, type Nsga2Options, type Nsga2UserOptions } from './nsga2/index.js';

export type { SamplerFactoryContext } from './build.js';

export interface SamplerEntry {
  readonly optionsSchema: z.ZodType<Record<string, unknown>>;
  create(options: Record<string, unknown>, ctx: SamplerFactoryContext): Sampler;
}

const seedOption = { seed: z.number().int().optional() };

export const SAMPLERS: Record<string, SamplerEntry> = {
  random: {
    optionsSchema: z.object(seedOption).strict(),
    create: (options, ctx) => buildSampler('random', options, ctx),
  },
  grid: {
    optionsSchema: z
      .object({ ...seedOption, values: z.record(z.string(), z.array(z.number())).optional(), shuffle: z.boolean().optional() })
      .strict(),
    create: (options, ctx) => buildSampler('grid', options, ctx),
  },
  tpe: {
    optionsSchema: tpeOptionsSchema,
    create: (options, ctx) => buildSampler('tpe', options, ctx),
  },
  nsga2: {
    optionsSchema: nsga2OptionsSchema,
    create: (options, ctx) => buildSampler('nsga2', options, ctx),
  },
};

/** The sampler a study uses when none is named. */
export const DEFAULT_SAMPLER = 'tpe';
/**
 * The sampler a study with several objectives uses when none is named: multi-objective TPE. It
 * reaches a higher median hypervolume than nsga2 on ZDT1, ZDT2 and DTLZ2 at 100, 200 and 300 trials,
 * and than Optuna 3.1's better sampler (`npm run bench:mo`, figures in bench/RESULTS.md).
 */
export const DEFAULT_MULTI_OBJECTIVE_SAMPLER = 'tpe';

/** Validates options and builds the sampler. @throws ConfigError naming the sampler and the option at fault. */
export function createSampler(name: string, options: Record<string, unknown>, ctx: SamplerFactoryContext): Sampler {
  const entry = SAMPLERS[name];
  if (!entry) {
    throw new ConfigError(`sampler "${name}" does not exist`, { hint: `use one of: ${Object.keys(SAMPLERS).join(', ')}` });
  }
  const parsed = entry.optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '';
    const what = issue?.code === 'unrecognized_keys' ? `unknown option ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `${where}: ${issue?.message ?? 'invalid'}`;
    throw new ConfigError(`sampler "${name}": ${what}`);
  }
  return entry.create(parsed.data, ctx);
}
