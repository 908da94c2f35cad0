// Trials as subprocesses of any language: each trial runs train.py with its parameters.
// Run: npx sweep run examples/python-subprocess/study.ts --trials 30 --jobs 2
// Or without a study file: npx sweep run --space examples/python-subprocess/space.json \
//   --command "python3 examples/python-subprocess/train.py --lr {lr} --layers {layers} --activation {activation}"
import { defineStudy, hp } from 'sweep';

export default defineStudy({
  name: 'python-subprocess',
  direction: 'minimize',
  metric: 'val_loss',
  space: {
    lr: hp.loguniform(1e-4, 1e-1),
    layers: hp.quniform(1, 6, 1),
    activation: hp.choice(['relu', 'tanh', 'gelu']),
  },
  command: ['python3', 'examples/python-subprocess/train.py', '--lr', '{lr}', '--layers', '{layers}', '--activation', '{activation}'],
});
