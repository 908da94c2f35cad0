// The TPE options' schema for the sampler registry (samplers/index.ts): kept apart from options.ts
// so that building a TPE sampler loads no zod (a worker loop builds one without validating again).
import { z } from 'zod';

const weighting = z.enum(['uniform', 'ramp', 'ei']);

/** The registry's schema: every option optional, unknown keys refused. */
export const tpeOptionsSchema = z
  .object({
    seed: z.number().int().optional(),
    profile: z.enum(['default', 'optuna']).optional(),
    startupTrials: z.number().int().min(0).optional(),
    candidates: z.number().int().min(1).max(10_000).optional(),
    candidatesPerDim: z.number().min(0).max(1_000).optional(),
    crossover: z.number().min(0).max(1).optional(),
    multivariate: z.boolean().optional(),
    group: z.boolean().optional(),
    constantLiar: z.boolean().optional(),
    gamma: z.number().gt(0).max(1).optional(),
    gammaMax: z.number().int().min(1).optional(),
    weightsBelow: weighting.optional(),
    weightsAbove: weighting.optional(),
    priorWeight: z.number().min(0).optional(),
    bandwidth: z.enum(['neighbour', 'neighbour-prior', 'scott']).optional(),
    considerEndpoints: z.boolean().optional(),
    bandwidthFloor: z.number().min(0).max(1).optional(),
    steppedBandwidthFloor: z.number().min(0).max(1).nullable().optional(),
    logBandwidthFloor: z.number().min(0).max(1).nullable().optional(),
    bandwidthExponent: z.number().min(0).optional(),
    explorationFloor: z.number().min(0).max(1).optional(),
    explorationTrials: z.number().int().min(0).optional(),
    logExplorationFloor: z.number().min(0).max(1).optional(),
    bandwidthMax: z.number().gt(0).max(10).optional(),
    categoricalFloor: z.number().min(0).max(1).optional(),
    splitScope: z.enum(['global', 'group']).optional(),
    unscaledDensity: z.boolean().optional(),
  })
  .strict();
