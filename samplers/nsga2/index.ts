export { NSGA2Sampler } from './nsga2-sampler.js';
export { type Nsga2Options, type Nsga2UserOptions, type CrossoverKind } from './options.js';
export { nsga2OptionsSchema } from './options-schema.js';
export { GENERATION_ATTR } from './population.js';
