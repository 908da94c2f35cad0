// NSGA-II options: the zod schema the sampler registry validates `{ name: 'nsga2', ... }` with, and
// their defaults (Optuna 3.1's: population 50, crossover probability 0.9, swapping probability 0.5,
// mutation probability 1 / number of parameters; SBX η 20 with several objectives, BLX α 0.5).

export type CrossoverKind = 'uniform' | 'sbx' | 'blx';

export interface Nsga2Options {
  /** Trials per generation; the first generation is random. */
  readonly populationSize: number;
  readonly crossover: CrossoverKind;
  /** Chance a child is a crossover of two parents (else a copy of the first). */
  readonly crossoverProb: number;
  /** Uniform crossover: chance each parameter comes from the second parent. */
  readonly swappingProb: number;
  /** Chance each parameter is drawn afresh from its prior; undefined: 1 / number of parameters. */
  readonly mutationProb: number | undefined;
  /** SBX distribution index η (larger: children closer to their parents). */
  readonly sbxEta: number;
  /** BLX-α: how far beyond the parents' interval children may fall, as a share of its width. */
  readonly blxAlpha: number;
}


export type Nsga2UserOptions = Partial<Nsga2Options> & { readonly seed?: number };

export function resolveNsga2Options(user: Nsga2UserOptions): Nsga2Options {
  return {
    populationSize: user.populationSize ?? 50,
    crossover: user.crossover ?? 'uniform',
    crossoverProb: user.crossoverProb ?? 0.9,
    swappingProb: user.swappingProb ?? 0.5,
    mutationProb: user.mutationProb,
    sbxEta: user.sbxEta ?? 20,
    blxAlpha: user.blxAlpha ?? 0.5,
  };
}
