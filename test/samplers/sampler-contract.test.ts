// The Sampler contract (test/contracts/sampler.contract.ts) against every sampler of the registry.
import { describe, expect, it } from 'vitest';
import { SAMPLERS } from '../../samplers/index.js';
import { samplerContract, type SamplerHarness } from '../contracts/sampler.contract.js';

const HARNESSES: SamplerHarness[] = [
  { name: 'random', spec: () => ({ name: 'random' }) },
  { name: 'tpe', spec: () => ({ name: 'tpe' }) },
  // A small population, so the contract's trials span several generations (crossover and mutation run).
  { name: 'nsga2', spec: () => ({ name: 'nsga2', populationSize: 6, crossover: 'sbx' }) },
  {
    name: 'grid',
    // A grid needs finite values for the continuous and unbounded distributions.
    spec: (space) => space === 'every'
      ? { name: 'grid', values: { u: [-2, 0.5, 3], lu: [0.001, 0.1], qlu: [1, 8], n: [-1, 1], qn: [-1, 2], ln: [0.5, 2] } }
      : { name: 'grid', values: { 'model.0.lr': [0.001, 0.1], seedless: [0.25, 0.75] } },
  },
];

describe('sampler contract coverage', () => {
  it('runs against every sampler of the registry', () => {
    expect(HARNESSES.map((h) => h.name).sort()).toEqual(Object.keys(SAMPLERS).sort());
  });
});

for (const harness of HARNESSES) samplerContract(harness);
