// RandomSampler: independent draws from each distribution's prior. The smallest complete sampler.
import { sampleFromPrior, type Distribution } from '../src/space/index.js';
import type { Sampler, SamplerContext } from '../src/study/sampler.js';

export class RandomSampler implements Sampler {
  readonly name = 'random';

  sampleIndependent(ctx: SamplerContext, _name: string, distribution: Distribution): number {
    return sampleFromPrior(distribution, ctx.rng);
  }
}
