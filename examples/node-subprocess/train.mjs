// A Node script as a trial: reads its parameters from $SWEEP_PARAMS and reports on stdout.
const params = JSON.parse(process.env.SWEEP_PARAMS ?? '{}');
const say = (message) => console.log(JSON.stringify(message));

let loss = 1;
for (let epoch = 0; epoch < 8; epoch++) {
  loss = 0.1 + (params.momentum - 0.9) ** 2 + Math.abs(Math.log10(params.lr) + 2) / 10 + 0.5 / (epoch + 1);
  say({ sweep: 'report', value: loss, step: epoch });
}
say({ sweep: 'result', value: loss });
