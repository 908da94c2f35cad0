// A two-parameter quadratic with a known minimum (0 at x=2, y=-1).
// Run: npx sweep run examples/quadratic/study.ts --trials 100   then: npx sweep best
import { defineStudy, hp } from 'sweep';

export default defineStudy({
  name: 'quadratic',
  direction: 'minimize',
  metric: 'loss',
  space: {
    x: hp.uniform(-10, 10),
    y: hp.uniform(-10, 10),
  },
  objective: async (trial) => {
    const { x, y } = trial.params;
    return (x - 2) ** 2 + (y + 1) ** 2;
  },
});
