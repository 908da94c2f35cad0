// The NSGA-II options' schema for the sampler registry (samplers/index.ts), apart from options.ts so
// that building the sampler loads no zod.
import { z } from 'zod';

export const nsga2OptionsSchema = z
  .object({
    seed: z.number().int().optional(),
    populationSize: z.number().int().min(2).max(100_000).optional(),
    crossover: z.enum(['uniform', 'sbx', 'blx']).optional(),
    crossoverProb: z.number().min(0).max(1).optional(),
    swappingProb: z.number().min(0).max(1).optional(),
    mutationProb: z.number().min(0).max(1).optional(),
    sbxEta: z.number().positive().max(1000).optional(),
    blxAlpha: z.number().min(0).max(10).optional(),
  })
  .strict();
