// The TPE sampler's public surface: the sampler class, its options and the registry schema.
export { TPESampler } from './tpe-sampler.js';
export { resolveTpeOptions, OPTUNA_PROFILE, DEFAULT_PROFILE } from './options.js';
export { tpeOptionsSchema } from './options-schema.js';
export type { TpeOptions, TpeUserOptions, Weighting, BandwidthRule } from './options.js';
