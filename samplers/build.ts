// Building a sampler from options already validated (the registry's createSampler checks them first,
// in samplers/index.ts): no zod loads here, so a worker loop (src/app/thread-loop.ts) builds the
// sampler its main thread checked without paying for the schemas again.
import { ConfigError } from '../src/errors.js';
import type { CompiledSpace } from '../src/space/compile.js';
import type { Sampler } from '../src/study/sampler.js';
import { GridSampler } from './grid.js';
import { NSGA2Sampler } from './nsga2/nsga2-sampler.js';
import type { Nsga2UserOptions } from './nsga2/options.js';
import { RandomSampler } from './random.js';
import type { TpeUserOptions } from './tpe/options.js';
import { TPESampler } from './tpe/tpe-sampler.js';

export interface SamplerFactoryContext {
  readonly space: CompiledSpace | undefined;
  readonly seed: number;
}

/** The sampler `name` with `options` as they passed its schema. @throws ConfigError for an unknown name. */
export function buildSampler(name: string, options: Record<string, unknown>, ctx: SamplerFactoryContext): Sampler {
  switch (name) {
    case 'random':
      return new RandomSampler();
    case 'grid':
      return new GridSampler(ctx.space, ctx.seed, options as { values?: Record<string, number[]>; shuffle?: boolean });
    case 'tpe':
      return new TPESampler(options as TpeUserOptions);
    case 'nsga2':
      return new NSGA2Sampler(options as Nsga2UserOptions);
    default:
      throw new ConfigError(`sampler "${name}" does not exist`);
  }
}
