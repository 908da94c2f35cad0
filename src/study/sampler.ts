// The Sampler seam. Samplers are pure: their output depends only on the context they are given, they
// never mutate it, do no I/O, and return values inside the distribution they were asked about.
//
// Call order for one trial:
//   beforeTrial (before the trial number is claimed; may name a claim key)
//   -> inferRelativeSpace -> sampleRelative (once, joint)
//   -> sampleIndependent (each active parameter the relative step did not cover, in tree order)
//   -> afterTrial (when the trial has finished)
import type { Rng } from '../rng.js';
import type { CompiledSpace } from '../space/compile.js';
import type { Distribution } from '../space/distributions.js';
import type { Direction, TrialRecord } from '../tracking/entities.js';
import type { TrialState } from '../tracking/trial-state.js';

/** A read-only view of a study's history, kept in memory and synced incrementally. */
export interface StudyView {
  readonly name: string;
  readonly direction: Direction;
  /** Every objective's direction when there are several (absent: the one `direction`). Read through objectiveDirections(). */
  readonly directions?: readonly Direction[];
  /** The declared space, or undefined for define-by-run studies. */
  readonly space: CompiledSpace | undefined;
  /** The study's seed (stored with the study, so a resumed study keeps it). */
  readonly seed: number;
  /** Every trial, indexed by number (never mutate). */
  readonly trials: readonly TrialRecord[];
  /** Grows with every change of the history seen (the highest update sequence seen, or more): equal versions, same history. */
  readonly version: number;
  trialsIn(states: readonly TrialState[]): TrialRecord[];
}

export interface SamplerContext {
  readonly study: StudyView;
  /** The trial being sampled, with the params it already holds. */
  readonly trial: TrialRecord;
  /** A stream derived from (study seed, trial number, sampler name[, parameter name]). */
  readonly rng: Rng;
}

export interface BeforeTrialContext {
  readonly study: StudyView;
  readonly rng: Rng;
}

export interface TrialClaim {
  /** Held by at most one trial of the study: the store refuses a second claim (e.g. `grid:17`). */
  readonly claimKey?: string;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
}

export interface Sampler {
  readonly name: string;
  /** Called before the trial number is claimed. */
  beforeTrial?(ctx: BeforeTrialContext): TrialClaim | void;
  /** Parameters to sample jointly for this trial. */
  inferRelativeSpace?(ctx: SamplerContext): Readonly<Record<string, Distribution>>;
  /** Joint values for (some of) the relative space; missing names fall back to sampleIndependent. */
  sampleRelative?(ctx: SamplerContext, space: Readonly<Record<string, Distribution>>): Record<string, number>;
  /** One value for one parameter. Must lie inside `distribution`. */
  sampleIndependent(ctx: SamplerContext, name: string, distribution: Distribution): number;
  /** Called once the trial is finished and stored. */
  afterTrial?(ctx: SamplerContext, state: TrialState, value: number | null): void;
  /** True when the sampler has nothing left to propose (a finished grid): the study stops. */
  isExhausted?(study: StudyView): boolean;
}
