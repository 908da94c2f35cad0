// TPE options: the two profiles (Optuna 3.1's univariate defaults and ours), the zod schema the sampler
// registry validates `{ name: 'tpe', ... }` with, and the resolution of user options over a profile.

/** How the kernels of one group (good or bad) are weighted. */
export type Weighting = 'uniform' | 'ramp' | 'ei';
/** Bandwidth rule of numeric kernels. */
export type BandwidthRule = 'neighbour' | 'neighbour-prior' | 'scott';

export interface TpeOptions {
  readonly profile: 'default' | 'optuna';
  /** Random trials before TPE starts (COMPLETE + PRUNED trials of the study). */
  readonly startupTrials: number;
  /** Candidates drawn from l(x) per sampling call. */
  readonly candidates: number;
  /** At least this many candidates per sampled dimension (0: `candidates` whatever the dimension). */
  readonly candidatesPerDim: number;
  /** Share of candidates drawn from the product of l's marginals (one kernel per dimension) instead of one kernel. */
  readonly crossover: number;
  /** Joint (product-kernel) sampling of parameters that appear together. */
  readonly multivariate: boolean;
  /** With multivariate: decompose conditional spaces into groups sampled jointly (tree-aware). */
  readonly group: boolean;
  /** RUNNING trials join the bad group, so parallel workers spread out. */
  readonly constantLiar: boolean;
  /** The good group holds min(ceil(gamma · n), gammaMax) trials. */
  readonly gamma: number;
  readonly gammaMax: number;
  readonly weightsBelow: Weighting;
  readonly weightsAbove: Weighting;
  /** Weight of the prior kernel (relative to a mean observation weight). */
  readonly priorWeight: number;
  readonly bandwidth: BandwidthRule;
  /** Neighbour rule: let the domain bounds act as neighbours of the extreme observations. */
  readonly considerEndpoints: boolean;
  /** Minimum bandwidth: width · max(floor, (m + 2)^-exponent) (Optuna: 0.01 and 1). */
  readonly bandwidthFloor: number;
  /** The floor's fraction on stepped (quantized, integer) axes; null: bandwidthFloor. */
  readonly steppedBandwidthFloor: number | null;
  /** The floor's fraction on continuous log-scaled axes; null: bandwidthFloor. */
  readonly logBandwidthFloor: number | null;
  readonly bandwidthExponent: number;
  /**
   * Exploration floor of continuous, linear-scale axes: with n finished trials in the call, their floor is
   * max(bandwidthFloor, explorationFloor · min(1, (explorationTrials / n)²)), wide while the landscape's
   * basins are being found, back to bandwidthFloor later. 0: off. Log-scaled and stepped axes keep theirs.
   */
  readonly explorationFloor: number;
  readonly explorationTrials: number;
  /**
   * The same for continuous log-scaled axes: their floor is max(logBandwidthFloor, logExplorationFloor ·
   * min(1, (explorationTrials / n)²)). 0: off.
   */
  readonly logExplorationFloor: number;
  /** Maximum bandwidth as a fraction of the width (Optuna 1, Watanabe 2023 0.5). */
  readonly bandwidthMax: number;
  /** Share of uniform mass mixed into l(x) of every categorical, so no branch is ever written off. */
  readonly categoricalFloor: number;
  /** Rank all finished trials once ('global'), or only those holding the group's parameters. */
  readonly splitScope: 'global' | 'group';
  /**
   * Optuna 3.1's continuous log-density leaves out −ln σ (its truncnorm.logpdf never divides by the
   * scale), so wide kernels weigh more. Kept to reproduce Optuna 3.1's behaviour.
   */
  readonly unscaledDensity: boolean;
}

export const OPTUNA_PROFILE: TpeOptions = {
  profile: 'optuna',
  startupTrials: 10,
  candidates: 24,
  candidatesPerDim: 0,
  crossover: 0,
  multivariate: false,
  group: false,
  constantLiar: false,
  gamma: 0.1,
  gammaMax: 25,
  weightsBelow: 'ramp',
  weightsAbove: 'ramp',
  priorWeight: 1,
  bandwidth: 'neighbour-prior',
  considerEndpoints: false,
  bandwidthFloor: 0.01,
  steppedBandwidthFloor: null,
  logBandwidthFloor: null,
  bandwidthExponent: 1,
  explorationFloor: 0,
  explorationTrials: 0,
  logExplorationFloor: 0,
  bandwidthMax: 1,
  categoricalFloor: 0,
  splitScope: 'global',
  unscaledDensity: true,
};

/**
 * The default, chosen on the wide suite by the robustness rule (bench/README.md, bench/RESULTS.md):
 * multivariate with group decomposition, candidates drawn from the product of l's marginals (crossover 1)
 * and ranked by the joint l/g, kernel floors of 2% of the range on linear continuous axes, 1% on log-scaled
 * ones and 5% on stepped ones, raised to 5% on linear continuous axes for the first 60 trials and fading after (explorationFloor, so
 * multimodal landscapes such as Levy's get their basins found before the kernels narrow), prior weight 2,
 * categorical floor 0.1, 14 startup trials.
 */
export const DEFAULT_PROFILE: TpeOptions = {
  profile: 'default',
  startupTrials: 14,
  candidates: 24,
  candidatesPerDim: 0,
  crossover: 1,
  multivariate: true,
  group: true,
  constantLiar: true,
  gamma: 0.15,
  gammaMax: 25,
  weightsBelow: 'ei',
  weightsAbove: 'uniform',
  priorWeight: 2,
  bandwidth: 'neighbour',
  considerEndpoints: false,
  bandwidthFloor: 0.02,
  steppedBandwidthFloor: 0.05,
  logBandwidthFloor: 0.01,
  bandwidthExponent: 2,
  explorationFloor: 0.05,
  explorationTrials: 60,
  logExplorationFloor: 0,
  bandwidthMax: 0.5,
  categoricalFloor: 0.1,
  splitScope: 'group',
  unscaledDensity: false,
};

/** The default profile before issue 15 (chosen on the six public functions), kept for comparison in benchmarks. */
export const PREVIOUS_DEFAULT: Partial<TpeOptions> = {
  startupTrials: 10, crossover: 0, priorWeight: 1, bandwidthFloor: 0.03, steppedBandwidthFloor: null, categoricalFloor: 0.1,
  logBandwidthFloor: null, explorationFloor: 0,
};

/** The first default chosen on the wide suite (no exploration floor, log floor 2%, categorical floor 0.2, 16 startup trials). */
export const FIRST_WIDE_DEFAULT: Partial<TpeOptions> = { startupTrials: 16, categoricalFloor: 0.2, logBandwidthFloor: null, explorationFloor: 0 };


export type TpeUserOptions = Partial<Omit<TpeOptions, 'profile'>> & { readonly profile?: TpeOptions['profile']; readonly seed?: number };

/** User options over their profile. Optuna 3.1's multivariate mode uses its Scott-like bandwidth. */
export function resolveTpeOptions(user: TpeUserOptions = {}): TpeOptions {
  const base = user.profile === 'optuna' ? OPTUNA_PROFILE : DEFAULT_PROFILE;
  const defined = Object.fromEntries(Object.entries(user).filter(([k, v]) => v !== undefined && k !== 'seed'));
  const out = { ...base, ...defined } as TpeOptions;
  if (base === OPTUNA_PROFILE && out.multivariate && user.bandwidth === undefined) {
    return { ...out, bandwidth: 'scott', splitScope: out.group ? 'group' : 'global' };
  }
  return out;
}

/**
 * The options one fit uses with n finished trials: the exploration floors raise the floor of linear continuous
 * axes (explorationFloor) and of log-scaled ones (logExplorationFloor) while the history is short.
 */
export function withExplorationFloor(options: TpeOptions, n: number): TpeOptions {
  const logBase = options.logBandwidthFloor ?? options.bandwidthFloor;
  if (options.explorationFloor <= options.bandwidthFloor && options.logExplorationFloor <= logBase) return options;
  const share = n <= options.explorationTrials ? 1 : (options.explorationTrials / n) ** 2;
  const floor = options.explorationFloor * share;
  const logFloor = options.logExplorationFloor * share;
  if (floor <= options.bandwidthFloor && logFloor <= logBase) return options;
  return {
    ...options,
    bandwidthFloor: floor > options.bandwidthFloor ? floor : options.bandwidthFloor,
    logBandwidthFloor: logFloor > logBase ? logFloor : logBase,
    steppedBandwidthFloor: options.steppedBandwidthFloor ?? options.bandwidthFloor,
  };
}

/** Size of the good group for n finished trials. */
export function goodCount(options: TpeOptions, n: number): number {
  return Math.min(Math.ceil(options.gamma * n), options.gammaMax);
}
