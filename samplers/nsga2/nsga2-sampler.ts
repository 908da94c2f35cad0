// NSGA2Sampler (Deb et al. 2002): the first generation at random, then each child from two parents
// picked by crowded binary tournament (rank, then crowding distance) among the elite of the last
// complete generation, crossed over and mutated (each parameter redrawn from its prior with the
// mutation probability). Constraints stored with the trials rank by constrained domination. Every
// trial records its generation when it is claimed, so workers and resumed studies share generations.
import { sampleFromPrior, type Distribution } from '../../src/space/distributions.js';
import type { BeforeTrialContext, Sampler, SamplerContext, StudyView, TrialClaim } from '../../src/study/sampler.js';
import { objectiveDirections } from '../../src/study/objectives.js';
import type { Rng } from '../../src/rng.js';
import { crossover } from './crossover.js';
import { resolveNsga2Options, type Nsga2Options, type Nsga2UserOptions } from './options.js';
import { GENERATION_ATTR, Generations, type Member, type Population } from './population.js';

export class NSGA2Sampler implements Sampler {
  readonly name = 'nsga2';
  readonly options: Nsga2Options;
  private readonly cache = new WeakMap<StudyView, { version: number; count: number; population: Population; generations: Generations }>();

  constructor(options: Nsga2UserOptions = {}) {
    this.options = resolveNsga2Options(options);
  }

  beforeTrial(ctx: BeforeTrialContext): TrialClaim {
    return { systemAttrs: { [GENERATION_ATTR]: this.population(ctx.study).generation + 1 } };
  }

  inferRelativeSpace(ctx: SamplerContext): Readonly<Record<string, Distribution>> {
    const { parents } = this.population(ctx.study);
    if (parents.length === 0) return {};
    const out: Record<string, Distribution> = {};
    if (ctx.study.space !== undefined) {
      for (const [name, spec] of ctx.study.space.params) out[name] = spec.distribution;
      return out;
    }
    // Define-by-run: what the parents held.
    for (const m of parents) for (const [name, d] of Object.entries(m.trial.distributions)) out[name] ??= d;
    return out;
  }

  sampleRelative(ctx: SamplerContext, space: Readonly<Record<string, Distribution>>): Record<string, number> {
    const { parents } = this.population(ctx.study);
    if (parents.length === 0) return {};
    const rng = ctx.rng;
    const p0 = tournament(parents, rng);
    const p1 = tournament(parents, rng);
    const names = Object.keys(space).sort();
    const child =
      rng.random() < this.options.crossoverProb
        ? crossover(names, space, p0.trial.params, p1.trial.params, this.options, rng)
        : crossover(names, space, p0.trial.params, p0.trial.params, this.options, rng);
    const held = Object.keys(child);
    const mutation = this.options.mutationProb ?? 1 / Math.max(1, held.length);
    // A mutated parameter is left out: sampleIndependent draws it from its prior.
    for (const name of held) if (rng.random() < mutation) delete child[name];
    return child;
  }

  sampleIndependent(ctx: SamplerContext, _name: string, distribution: Distribution): number {
    return sampleFromPrior(distribution, ctx.rng);
  }

  // --- internal ---

  /** The parent population, recomputed only when the history changed. */
  private population(study: StudyView): Population {
    const known = this.cache.get(study);
    const trials = study.trials;
    if (known !== undefined && known.version === study.version && known.count === trials.length) return known.population;
    const generations = known?.generations ?? new Generations(objectiveDirections(study), this.options.populationSize);
    const population = generations.population(trials);
    this.cache.set(study, { version: study.version, count: trials.length, population, generations });
    return population;
  }
}

/** Crowded binary tournament: the lower rank wins, then the larger crowding distance, then a coin. */
function tournament(parents: readonly Member[], rng: Rng): Member {
  const a = parents[rng.int(parents.length)] as Member;
  const b = parents[rng.int(parents.length)] as Member;
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  if (a.crowding !== b.crowding) return a.crowding > b.crowding ? a : b;
  return rng.random() < 0.5 ? a : b;
}
