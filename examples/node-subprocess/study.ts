// A Node script per trial, parameters passed through the environment ($SWEEP_PARAMS).
// Run: npx sweep run examples/node-subprocess/study.ts --trials 20 --jobs 2
import { defineStudy, hp } from 'sweep';

export default defineStudy({
  name: 'node-subprocess',
  space: { lr: hp.loguniform(1e-4, 1), momentum: hp.uniform(0.5, 0.99) },
  command: ['node', 'examples/node-subprocess/train.mjs'],
});
