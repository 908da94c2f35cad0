// Asking the sampler for one trial's values: the joint (relative) step once, then independent values,
// each checked against its distribution, every call with its own seeded stream.
import { SweepError } from '../errors.js';
import { createRng } from '../rng.js';
import type { ParamSpec } from '../space/compile.js';
import { contains } from '../space/distributions.js';
import type { TrialRecord } from '../tracking/entities.js';
import type { Sampler, SamplerContext, StudyView, TrialClaim } from './sampler.js';

/** The context a sampler sees for one trial. */
export function samplerContext(sampler: Sampler, study: StudyView, trial: TrialRecord): SamplerContext {
  return { study, trial, rng: createRng(study.seed, trial.number, sampler.name) };
}

/** A pick function for one trial: joint values once, then independent ones. */
export function picker(sampler: Sampler, study: StudyView, trial: TrialRecord): (spec: ParamSpec) => number {
  const ctx = samplerContext(sampler, study, trial);
  let relative: Record<string, number> | undefined;
  return (spec) => {
    relative ??= sampleRelative(sampler, ctx);
    const joint = relative[spec.name];
    if (joint !== undefined && contains(spec.distribution, joint)) return joint;
    const rng = createRng(study.seed, trial.number, sampler.name, spec.name);
    const value = sampler.sampleIndependent({ ...ctx, rng }, spec.name, spec.distribution);
    if (!contains(spec.distribution, value)) {
      throw new SweepError('E_CONFIG', `sampler "${sampler.name}" returned ${value} for ${spec.name}, outside its distribution`);
    }
    return value;
  };
}

/** The trial a sampler sees before the number is claimed. */
export function provisionalTrial(number: number, claim: TrialClaim): TrialRecord {
  const now = Date.now();
  return {
    trialId: -1, studyId: -1, number, runId: '', state: 'RUNNING', value: null, params: {}, distributions: {}, intermediate: {},
    systemAttrs: { ...claim.systemAttrs, ...(claim.claimKey !== undefined && { claimKey: claim.claimKey }) },
    startTime: now, endTime: null, heartbeat: now, workerId: null, seq: 0,
  };
}

function sampleRelative(sampler: Sampler, ctx: SamplerContext): Record<string, number> {
  if (!sampler.inferRelativeSpace || !sampler.sampleRelative) return {};
  const space = sampler.inferRelativeSpace(ctx);
  if (Object.keys(space).length === 0) return {};
  return sampler.sampleRelative(ctx, space);
}
