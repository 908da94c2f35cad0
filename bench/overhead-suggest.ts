// Cost of one suggestion at a given history size, measured on the sampler alone (no store): a synthetic
// study view grows one finished trial per suggestion, so every timed call also pays the incremental sync
// of the newest trial, as in a real study; or (timeFixed) the same suggestions repeated at a fixed history.
import { createRng } from '../src/rng.js';
import { compileSpace, hp, type CompiledSpace, type SpaceDefinition } from '../src/index.js';
import type { Distribution } from '../src/space/distributions.js';
import type { Sampler, SamplerContext, StudyView } from '../src/study/sampler.js';
import type { TrialRecord } from '../src/tracking/entities.js';
import type { TrialState } from '../src/tracking/trial-state.js';

export const SPACES: Readonly<Record<string, SpaceDefinition>> = {
  continuous5: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x${i}`, hp.uniform(-5, 5)])),
  mixed10: {
    a: hp.uniform(-5, 5), b: hp.uniform(0, 1), c: hp.uniform(-1, 1), d: hp.normal(0, 1),
    lr: hp.loguniform(1e-5, 1), wd: hp.loguniform(1e-6, 1e-1),
    depth: hp.quniform(1, 12, 1), width: hp.randint(8, 512),
    rounds: hp.qloguniform(10, 2000, 10), opt: hp.choice(['sgd', 'adam', 'rmsprop', 'lamb']),
  },
};

export interface SuggestTiming {
  readonly space: string;
  /** Finished trials before the suggestion. */
  readonly history: number;
  /** Median wall and CPU ms per suggestion over the window of suggestions ending at `history`. */
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Runs the sampler for `trials` trials on a cheap objective (sphere-like in the space's unit box), so the
 * history is a real TPE history, and reports the median cost of the `window` suggestions ending at each
 * checkpoint (Optuna's overhead table is measured the same way).
 */
export function timeRun(makeSampler: () => Sampler, spaceName: string, checkpoints: readonly number[], window = 25): SuggestTiming[] {
  const space = compileSpace(SPACES[spaceName] as SpaceDefinition);
  const view = new SyntheticView(space);
  const sampler = makeSampler();
  const last = Math.max(...checkpoints);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < last; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const params = suggest(sampler, view, space);
    wall.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    view.push(params);
  }
  return checkpoints.map((k) => ({
    space: spaceName, history: k,
    wallMs: median(wall.slice(Math.max(0, k - window), k)),
    cpuMs: median(cpu.slice(Math.max(0, k - window), k)),
  }));
}

export interface FixedTiming {
  readonly space: string;
  readonly history: number;
  /** CPU ms per suggestion: the fastest and the median of the repeats. */
  readonly minMs: number;
  readonly medianMs: number;
}

/**
 * The same 10 suggestions (trial numbers `history`..`history`+9, none of them added) at a fixed history of
 * `history` finished trials, timed `repeats` times: on a shared machine, load only ever adds time, so the
 * fastest repeat compares two revisions far more steadily than one growing run does. (Caches keyed on the
 * history, such as the global split of `splitScope: 'global'` or TPE's kept g, serve every repeat after the first.)
 * With `grow`, each suggestion instead joins the history as a finished trial before the next one, as in a
 * study (the history grows from `history` to `history` + 10·`repeats`; adding it is timed with the suggestion).
 */
export function timeFixed(makeSampler: () => Sampler, spaceName: string, history: number, repeats = 40, grow = false): FixedTiming {
  const space = compileSpace(SPACES[spaceName] as SpaceDefinition);
  const view = new SyntheticView(space);
  const sampler = makeSampler();
  for (let i = 0; i < history; i++) view.push(suggest(sampler, view, space));
  const rounds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    for (let j = 0; j < 10; j++) {
      if (grow) view.push(suggest(sampler, view, space));
      else suggest(sampler, view, space, history + j);
    }
    const c1 = process.cpuUsage(c0);
    rounds.push((c1.user + c1.system) / 1000 / 10);
  }
  return { space: spaceName, history, minMs: Math.min(...rounds), medianMs: median(rounds) };
}

// --- internal ---

/** What Study does for one trial: relative space, joint values, then independent ones. */
function suggest(sampler: Sampler, view: SyntheticView, space: CompiledSpace, number = view.trials.length): Record<string, number> {
  const trial = view.provisional(number);
  const ctx: SamplerContext = { study: view, trial, rng: createRng(view.seed, number, sampler.name) };
  let relative: Record<string, number> | undefined;
  return space.resolve((spec) => {
    if (relative === undefined) {
      const rel = sampler.inferRelativeSpace?.(ctx) ?? {};
      relative = Object.keys(rel).length > 0 ? (sampler.sampleRelative?.(ctx, rel) ?? {}) : {};
    }
    const joint = relative[spec.name];
    if (joint !== undefined) return joint;
    return sampler.sampleIndependent({ ...ctx, rng: createRng(view.seed, number, sampler.name, spec.name) }, spec.name, spec.distribution);
  }).flat;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Squared distance of a value from a point 30% into its range (log scale where the space is). */
function unitDistance(d: Distribution, v: number): number {
  switch (d.kind) {
    case 'choice':
      return v === 1 ? 0 : 0.1;
    case 'normal':
      return (v - 0.5) ** 2;
    case 'loguniform':
    case 'qloguniform':
      return ((Math.log(v) - Math.log(d.low)) / Math.log(d.high / d.low) - 0.3) ** 2;
    case 'uniform':
    case 'quniform':
    case 'randint':
      return ((v - d.low) / (d.high - d.low) - 0.3) ** 2;
    default:
      return 0;
  }
}

class SyntheticView implements StudyView {
  readonly name = 'overhead';
  readonly direction = 'minimize' as const;
  readonly seed = 1;
  readonly trials: TrialRecord[] = [];
  version = 0;

  constructor(readonly space: CompiledSpace) {}

  trialsIn(states: readonly TrialState[]): TrialRecord[] {
    return this.trials.filter((t) => states.includes(t.state));
  }

  push(params: Record<string, number>): void {
    const distributions: Record<string, Distribution> = {};
    let value = 0;
    for (const [name, v] of Object.entries(params)) {
      const d = (this.space.params.get(name) as { distribution: Distribution }).distribution;
      distributions[name] = d;
      value += unitDistance(d, v);
    }
    this.version++;
    this.trials.push({ ...this.provisional(this.trials.length), state: 'COMPLETE', value, params, distributions, seq: this.version });
  }

  provisional(number: number): TrialRecord {
    return {
      trialId: number, studyId: 1, number, runId: '', state: 'RUNNING', value: null, params: {}, distributions: {},
      intermediate: {}, systemAttrs: {}, startTime: 0, endTime: null, heartbeat: null, workerId: null, seq: 0,
    };
  }
}
