// The pruner registry: names, aliases, defaults, and one-line ConfigError messages for bad specs.
import { describe, expect, it } from 'vitest';
import { isSweepError } from '../../src/errors.js';
import {
  HyperbandPruner,
  MedianPruner,
  PRUNERS,
  PatientPruner,
  PercentilePruner,
  SuccessiveHalvingPruner,
  ThresholdPruner,
  createPruner,
  nopPruner,
  type PrunerSpec,
} from '../../src/pruners/index.js';
import { running, trial, view } from './helpers.js';

const ctx = { studyName: 'hb' };

function configErrorOf(spec: unknown): { message: string; hint: string | undefined } {
  try {
    createPruner(spec as PrunerSpec, ctx);
  } catch (error) {
    if (isSweepError(error) && error.code === 'E_CONFIG') return { message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(spec)}`);
}

describe('PRUNERS', () => {
  it('registers every pruner of issue 7, with asha as an alias', () => {
    expect(Object.keys(PRUNERS).sort()).toEqual(['asha', 'hyperband', 'median', 'none', 'patient', 'percentile', 'successive-halving', 'threshold']);
    expect(PRUNERS.asha).toBe(PRUNERS['successive-halving']);
  });
});

describe('createPruner', () => {
  it.each([
    ['none', Object, 'none'],
    ['median', MedianPruner, 'median'],
    [{ name: 'percentile', percentile: 25 }, PercentilePruner, 'percentile'],
    ['successive-halving', SuccessiveHalvingPruner, 'successive-halving'],
    ['asha', SuccessiveHalvingPruner, 'successive-halving'],
    ['hyperband', HyperbandPruner, 'hyperband'],
    [{ name: 'threshold', upper: 1 }, ThresholdPruner, 'threshold'],
    [{ name: 'patient', patience: 3 }, PatientPruner, 'patient'],
  ] as const)('builds %j', (spec, kind, name) => {
    const pruner = createPruner(spec, ctx);
    expect(pruner).toBeInstanceOf(kind);
    expect(pruner.name).toBe(name);
  });

  it('returns the shared never-pruning pruner for "none"', () => {
    expect(createPruner('none', ctx)).toBe(nopPruner);
    expect(nopPruner.shouldPrune(view([]), running([NaN]))).toBe(false);
  });

  it('applies the documented defaults and the given options', () => {
    expect(createPruner('median', ctx)).toMatchObject({ nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1, percentile: 50 });
    expect(createPruner({ name: 'median', nWarmupSteps: 3 }, ctx)).toMatchObject({ nWarmupSteps: 3 });
    expect(createPruner('asha', ctx)).toMatchObject({ minResource: 'auto', reductionFactor: 4, minEarlyStoppingRate: 0, bootstrapCount: 0 });
    expect(createPruner('hyperband', ctx)).toMatchObject({ minResource: 1, maxResource: 'auto', reductionFactor: 3, studyName: 'hb' });
    expect(createPruner({ name: 'patient', patience: 2 }, ctx)).toMatchObject({ patience: 2, minDelta: 0, wrapped: undefined });
  });

  it('builds the wrapped pruner of "patient" from a name or a spec', () => {
    const byName = createPruner({ name: 'patient', patience: 1, wrapped: 'median' }, ctx) as PatientPruner;
    expect(byName.wrapped).toBeInstanceOf(MedianPruner);
    const bySpec = createPruner({ name: 'patient', patience: 1, wrapped: { name: 'threshold', upper: 2 } }, ctx) as PatientPruner;
    expect(bySpec.wrapped).toMatchObject({ name: 'threshold', upper: 2 });
  });

  it('gives hyperband the study name from the context', () => {
    const history = [trial(0, 'PRUNED', { 1: 0.8 }), trial(2, 'PRUNED', { 1: 0.9 }), trial(1, 'RUNNING', { 1: 0.1 })];
    const pruner = createPruner({ name: 'hyperband', maxResource: 3 }, ctx);
    expect(pruner.shouldPrune(view(history, 'minimize', 'ignored'), trial(5, 'RUNNING', { 1: 0.5 }))).toBe(false);
    expect(pruner.shouldPrune(view(history, 'minimize', 'ignored'), trial(5, 'RUNNING', { 1: 0.85 }))).toBe(true);
  });

  it.each([
    [{ name: 'median', nWarmupSteps: -1 }, 'pruner "median": nWarmupSteps: expected a non-negative integer'],
    [{ name: 'median', nWarmupSteps: 1.5 }, 'pruner "median": nWarmupSteps: expected a non-negative integer'],
    [{ name: 'median', nWarmupSteps: '2' }, 'pruner "median": nWarmupSteps: expected a non-negative integer'],
    [{ name: 'median', nStartupTrials: -3 }, 'pruner "median": nStartupTrials: expected a non-negative integer'],
    [{ name: 'median', intervalSteps: 0 }, 'pruner "median": intervalSteps: expected a positive integer'],
    [{ name: 'median', nMinTrials: 0 }, 'pruner "median": nMinTrials: expected a positive integer'],
    [{ name: 'median', percentile: 50 }, 'pruner "median": unknown option "percentile"'],
    [{ name: 'percentile' }, 'pruner "percentile": percentile: expected a number between 0 and 100'],
    [{ name: 'percentile', percentile: 101 }, 'pruner "percentile": percentile: expected a number between 0 and 100'],
    [{ name: 'asha', minResource: 0 }, 'pruner "asha": minResource: expected a positive integer'],
    [{ name: 'asha', minResource: 'sometimes' }, 'pruner "asha": minResource: expected "auto" or a positive integer'],
    [{ name: 'successive-halving', reductionFactor: 1 }, 'pruner "successive-halving": reductionFactor: expected an integer >= 2'],
    [{ name: 'asha', minEarlyStoppingRate: -1 }, 'pruner "asha": minEarlyStoppingRate: expected a non-negative integer'],
    [{ name: 'hyperband', minResource: 5, maxResource: 2 }, 'pruner "hyperband": maxResource: must be >= minResource'],
    [{ name: 'hyperband', maxResource: 'never' }, 'pruner "hyperband": maxResource: expected "auto" or a positive integer'],
    [{ name: 'threshold' }, 'pruner "threshold": lower: give lower, upper or both'],
    [{ name: 'threshold', lower: 2, upper: 1 }, 'pruner "threshold": lower: must be <= upper'],
    [{ name: 'threshold', upper: 'high' }, 'pruner "threshold": upper: expected a finite number'],
    [{ name: 'patient' }, 'pruner "patient": patience: expected a non-negative integer'],
    [{ name: 'patient', patience: 1, minDelta: -0.1 }, 'pruner "patient": minDelta: expected a non-negative number'],
    [{ name: 'patient', patience: 1, wrapped: 3 }, 'pruner "patient": wrapped: expected a pruner name or { name, ...options }'],
    [{ name: 'patient', patience: 1, wrapped: 'nope' }, 'pruner "patient": wrapped pruner "nope" does not exist'],
    [
      { name: 'patient', patience: 1, wrapped: { name: 'median', nWarmupSteps: -1 } },
      'pruner "patient": wrapped pruner "median": nWarmupSteps: expected a non-negative integer',
    ],
    [{ name: 'none', verbose: true }, 'pruner "none": unknown option "verbose"'],
    ['nope', 'pruner "nope" does not exist'],
    [42, 'pruner: expected a name or { name, ...options }, got 42'],
    [{ nWarmupSteps: 1 }, 'pruner: expected a name or { name, ...options }, got {"nWarmupSteps":1}'],
  ])('rejects %j with a one-line ConfigError', (spec, message) => {
    const error = configErrorOf(spec);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  it('lists the valid names in the hint for an unknown pruner', () => {
    expect(configErrorOf('nope').hint).toBe('use one of: none, median, percentile, successive-halving, asha, hyperband, threshold, patient');
  });

  it('lists the valid options in the hint for an unknown option', () => {
    expect(configErrorOf({ name: 'median', nWarmup: 2 }).hint).toBe('options of "median": nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials');
    expect(configErrorOf({ name: 'none', x: 1 }).hint).toBe('"none" takes no options');
  });

  it.each([
    [() => new MedianPruner({ nWarmupSteps: -1 }), /^pruner "median": nWarmupSteps/],
    [() => new PercentilePruner({ percentile: -5 }), /^pruner "percentile": percentile/],
    [() => new SuccessiveHalvingPruner({ reductionFactor: 1.5 }), /^pruner "successive-halving": reductionFactor/],
    [() => new HyperbandPruner({ minResource: 0 }), /^pruner "hyperband": minResource/],
    [() => new ThresholdPruner({}), /^pruner "threshold": lower/],
    [() => new PatientPruner(undefined, { patience: -1 }), /^pruner "patient": patience/],
  ])('validates options given to the constructors too (%#)', (build, message) => {
    expect(build).toThrow(message);
    try {
      build();
    } catch (error) {
      expect(isSweepError(error) && error.code).toBe('E_CONFIG');
    }
  });
});
