// The pruner registry: name -> options schema (zod) and factory. `defineStudy({ pruner })` and
// `--pruner NAME` resolve pruner specs here; createPruner validates and builds.
import { z } from 'zod';
import { ConfigError, isSweepError } from '../errors.js';
import type { Pruner } from '../study/pruner.js';
import { HyperbandPruner, hyperbandOptionsSchema, type HyperbandOptions } from './hyperband.js';
import { MedianPruner } from './median.js';
import { nopPruner } from './nop.js';
import { parsePrunerOptions } from './options.js';
import { PatientPruner, patientOptionsSchema } from './patient.js';
import { medianOptionsSchema, PercentilePruner, percentileOptionsSchema, type MedianOptions, type PercentileOptions } from './percentile.js';
import { SuccessiveHalvingPruner, successiveHalvingOptionsSchema, type SuccessiveHalvingOptions } from './successive-halving.js';
import { ThresholdPruner, thresholdOptionsSchema, type ThresholdOptions } from './threshold.js';

export { HyperbandPruner, assignBracket, bracketBudgets, type HyperbandOptions } from './hyperband.js';
export { MedianPruner, type MedianOptions } from './median.js';
export { NopPruner, nopPruner } from './nop.js';
export { PatientPruner, type PatientOptions } from './patient.js';
export { PercentilePruner, type PercentileOptions } from './percentile.js';
export { SuccessiveHalvingPruner, type SuccessiveHalvingOptions } from './successive-halving.js';
export { ThresholdPruner, type ThresholdOptions } from './threshold.js';

export interface PrunerFactoryContext {
  /** Hyperband hashes it with the trial number to pick a trial's bracket. */
  readonly studyName: string;
}

export interface PrunerEntry {
  readonly optionsSchema: z.ZodType<Record<string, unknown>>;
  /** Builds the pruner from options that passed `optionsSchema`. @throws ConfigError for a bad wrapped pruner. */
  create(options: Record<string, unknown>, ctx: PrunerFactoryContext): Pruner;
}

/** A pruner name, or `{ name, ...options }`. */
export type PrunerSpec = string | { readonly name: string; readonly [option: string]: unknown };

const wrappedSpec = z.union([z.string(), z.object({ name: z.string() }).loose()], {
  error: 'expected a pruner name or { name, ...options }',
});

const successiveHalving: PrunerEntry = {
  optionsSchema: successiveHalvingOptionsSchema,
  create: (options) => new SuccessiveHalvingPruner(options as SuccessiveHalvingOptions),
};

export const PRUNERS: Record<string, PrunerEntry> = {
  none: { optionsSchema: z.object({}).strict(), create: () => nopPruner },
  median: { optionsSchema: medianOptionsSchema, create: (options) => new MedianPruner(options as MedianOptions) },
  percentile: { optionsSchema: percentileOptionsSchema, create: (options) => new PercentilePruner(options as PercentileOptions) },
  'successive-halving': successiveHalving,
  asha: successiveHalving,
  hyperband: {
    optionsSchema: hyperbandOptionsSchema,
    create: (options, ctx) => new HyperbandPruner({ ...(options as HyperbandOptions), studyName: ctx.studyName }),
  },
  threshold: { optionsSchema: thresholdOptionsSchema, create: (options) => new ThresholdPruner(options as ThresholdOptions) },
  patient: {
    optionsSchema: z.object({ ...patientOptionsSchema.shape, wrapped: wrappedSpec.optional() }).strict(),
    create: (options, ctx) => {
      const { wrapped, ...rest } = options as { wrapped?: PrunerSpec; patience: number; minDelta?: number };
      return new PatientPruner(wrapped === undefined ? undefined : createWrapped(wrapped, ctx), rest);
    },
  },
};

/**
 * Validates a spec (`'median'` or `{ name: 'median', nWarmupSteps: 5 }`) and builds the pruner.
 * @throws ConfigError naming the pruner and the option at fault; an unknown name lists the valid ones in the hint.
 */
export function createPruner(spec: PrunerSpec, ctx: PrunerFactoryContext): Pruner {
  const { name, options } = splitSpec(spec);
  const entry = PRUNERS[name];
  if (entry === undefined) {
    throw new ConfigError(`pruner "${name}" does not exist`, { hint: `use one of: ${Object.keys(PRUNERS).join(', ')}` });
  }
  return entry.create(parsePrunerOptions(name, entry.optionsSchema, options), ctx);
}

// --- internal ---

function splitSpec(spec: unknown): { name: string; options: Record<string, unknown> } {
  if (typeof spec === 'string') return { name: spec, options: {} };
  if (typeof spec === 'object' && spec !== null && !Array.isArray(spec) && typeof (spec as { name?: unknown }).name === 'string') {
    const { name, ...options } = spec as { name: string };
    return { name, options };
  }
  throw new ConfigError(`pruner: expected a name or { name, ...options }, got ${JSON.stringify(spec) ?? String(spec)}`, {
    hint: `use one of: ${Object.keys(PRUNERS).join(', ')}`,
  });
}

function createWrapped(spec: PrunerSpec, ctx: PrunerFactoryContext): Pruner {
  try {
    return createPruner(spec, ctx);
  } catch (error) {
    if (!isSweepError(error) || error.code !== 'E_CONFIG') throw error;
    throw new ConfigError(`pruner "patient": wrapped ${error.message}`, { cause: error, ...(error.hint === undefined ? {} : { hint: error.hint }) });
  }
}
