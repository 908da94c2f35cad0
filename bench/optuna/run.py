"""Optuna 3.1 on the wide suite (bench/optuna/suite.py): TPESampler univariate (`tpe`, defaults) and
multivariate (`tpe_mv`, multivariate=True), SEEDS seeds x 200 trials per function, in-memory storage.
Regret at 25/50/100/200 trials = noiseless value of the trial with the best observed value so far minus
the known minimum (for noiseless functions, best value minus the known minimum).

  nice -n 10 python3 bench/optuna/run.py run [--seeds 10] [--jobs 2] [--functions a,b]   # appends runs.jsonl
  python3 bench/optuna/run.py summarize [--all]  # runs.jsonl -> optuna-3.1-suite.json (same layout as the public
                                             # file; only seeds finished on every function and sampler, or with
                                             # --all every finished seed, so n may differ by function)
  python3 bench/optuna/run.py points         # check-points.json: 40 random points per function with their values

Runs are ordered seed by seed over all functions, and skipped when already in runs.jsonl, so an interrupted
run resumes and a partial file covers every function with the same seeds.
"""
import json
import math
import os
import sys
import time
from multiprocessing import Pool

import numpy as np
import optuna

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite import SUITE, sample  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = os.path.join(HERE, 'runs.jsonl')
SUMMARY = os.path.join(HERE, 'optuna-3.1-suite.json')
POINTS = os.path.join(HERE, 'check-points.json')
BUDGETS = [25, 50, 100, 200]
TRIALS = 200
SAMPLERS = {
    'tpe': lambda seed: optuna.samplers.TPESampler(seed=seed),
    'tpe_mv': lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
}


def run_one(task):
    fn, sampler_name, seed = task
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    space, objective, known_min, noise = SUITE[fn]
    noise_rng = np.random.default_rng([seed, 7919])
    clean = []
    observed = []

    def obj(trial):
        p = sample(trial, space)
        f = objective(p)
        y = f + noise * float(noise_rng.standard_normal()) if noise > 0 else f
        clean.append(f)
        observed.append(y)
        return y

    study = optuna.create_study(sampler=SAMPLERS[sampler_name](seed))
    t0 = time.time()
    study.optimize(obj, n_trials=TRIALS)
    seconds = time.time() - t0
    regret = {}
    for b in BUDGETS:
        i = int(np.argmin(observed[:b]))
        regret[str(b)] = clean[i] - known_min
    return {'fn': fn, 'sampler': sampler_name, 'seed': seed, 'regret': regret, 'seconds': seconds}


def done_keys():
    keys = set()
    if os.path.exists(RUNS):
        with open(RUNS) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    keys.add((r['fn'], r['sampler'], r['seed']))
    return keys


def cmd_run(args):
    seeds = int(args.get('--seeds', 10))
    jobs = int(args.get('--jobs', 2))
    fns = args['--functions'].split(',') if '--functions' in args else list(SUITE)
    done = done_keys()
    tasks = [(fn, s, seed) for seed in range(seeds) for fn in fns for s in SAMPLERS if (fn, s, seed) not in done]
    print(f'{len(tasks)} runs to do', flush=True)
    with Pool(jobs) as pool, open(RUNS, 'a') as out:
        for r in pool.imap(run_one, tasks):
            out.write(json.dumps(r) + '\n')
            out.flush()
            print(f"{r['fn']} {r['sampler']} seed {r['seed']}: {r['regret']['200']:.4g} ({r['seconds']:.1f} s)", flush=True)


def quantile(s, p):
    pos = (len(s) - 1) * p
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def cmd_summarize(args):
    runs = {}
    seconds = {}
    with open(RUNS) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    # Only seeds finished on every function and sampler, so every function has the same seeds.
    expected = {(r['fn'], r['sampler']) for r in lines}
    by_seed = {}
    for r in lines:
        by_seed.setdefault(r['seed'], set()).add((r['fn'], r['sampler']))
    complete = {seed for seed, keys in by_seed.items() if keys == expected}
    if '--all' in args:
        complete = set(by_seed)
    for r in lines:
        if r['seed'] not in complete:
            continue
        if True:
            for b, v in r['regret'].items():
                runs.setdefault(r['fn'], {}).setdefault(r['sampler'], {}).setdefault(b, {})[r['seed']] = v
            seconds.setdefault(r['fn'], {}).setdefault(r['sampler'], []).append(r['seconds'])
    summary = {}
    for fn, by_s in runs.items():
        for s, by_b in by_s.items():
            for b, by_seed in by_b.items():
                vals = sorted(by_seed.values())
                summary.setdefault(fn, {}).setdefault(s, {})[b] = {
                    'median': quantile(vals, 0.5), 'q25': quantile(vals, 0.25), 'q75': quantile(vals, 0.75),
                    'min': vals[0], 'max': vals[-1], 'n': len(vals), 'seeds': sorted(by_seed)}
    public = json.load(open(os.path.join(HERE, 'public-six.json')))
    for fn, by_s in public['summary'].items():
        summary.setdefault(fn, {}).update({k: {b: v for b, v in by_b.items() if b in [str(x) for x in BUDGETS]} for k, by_b in by_s.items()})
    out = {
        'optuna': optuna.__version__,
        'public_six': public['source'],
        'trials': TRIALS,
        'budgets': BUDGETS,
        'samplers': {'tpe': 'TPESampler(seed=seed)', 'tpe_mv': 'TPESampler(seed=seed, multivariate=True)'},
        'regret': 'noiseless value of the best observed trial so far minus the known minimum',
        'command': 'nice -n 10 python3 bench/optuna/run.py run --seeds N [--functions a,b] && python3 bench/optuna/run.py summarize'
                   + (' --all' if '--all' in args else ''),
        'summary': summary,
        'median_seconds_per_study': {fn: {s: sorted(v)[len(v) // 2] for s, v in by.items()} for fn, by in seconds.items()},
    }
    with open(SUMMARY, 'w') as f:
        json.dump(out, f, indent=1)
    print(f'wrote {SUMMARY}')


def cmd_points(_args):
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    out = {}
    for fn, (space, objective, _min, _noise) in SUITE.items():
        study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=42))
        pts = []
        for _ in range(40):
            t = study.ask()
            p = sample(t, space)
            v = objective(p)
            study.tell(t, v)
            pts.append({'params': p, 'value': v})
        out[fn] = pts
    with open(POINTS, 'w') as f:
        json.dump(out, f)
    print(f'wrote {POINTS}')


if __name__ == '__main__':
    commands = {'run': cmd_run, 'summarize': cmd_summarize, 'points': cmd_points}
    if len(sys.argv) < 2 or sys.argv[1] not in commands or any(a in ('-h', '--help') for a in sys.argv[1:]):
        print(__doc__)
        sys.exit(0 if any(a in ('-h', '--help') for a in sys.argv[1:]) else 2)
    cmd = sys.argv[1]
    rest = sys.argv[2:]
    args = {rest[i]: (rest[i + 1] if i + 1 < len(rest) else '') for i in range(0, len(rest), 2)}
    commands[cmd](args)
