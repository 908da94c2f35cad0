// Seeded random streams: the only importer of seedrandom.
// A stream is derived from (seed, ...salt), so a trial's draws never depend on other trials' draws.
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform double in [0, 1). */
  random(): number;
  /** Uniform double in [low, high). */
  uniform(low: number, high: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
}

/** A stream named by a seed and any salt values (trial number, sampler name, parameter name ...). */
export function createRng(seed: number | string, ...salt: ReadonlyArray<number | string>): Rng {
  const prng = seedrandom.alea(JSON.stringify([seed, ...salt]));
  const random = (): number => prng.double();
  return {
    random,
    uniform: (low, high) => low + (high - low) * random(),
    int: (n) => Math.min(n - 1, Math.floor(random() * n)),
    normal: () => {
      let u = random();
      while (u === 0) u = random();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    },
  };
}

/** A fresh seed for studies created without one; stored with the study so it can be replayed. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
