"""Optuna 3.1's side of `npm run bench:mo`: median hypervolume after 100/200/300 trials of ZDT1, ZDT2
(6 variables) and DTLZ2 (3 objectives, 6 variables), 10 seeds each, for RandomSampler, NSGAIISampler
and TPESampler (multi-objective TPE), every sampler with its defaults and `seed`.

Usage: nice -n 5 python3 bench/optuna/mo.py [--seeds 10] [--trials 300] [--samplers random,nsga2,tpe]
       [--problems zdt1,zdt2,dtlz2] > optuna-3.1-mo.json
The problems and reference points are those of ../shared/bench/mo_functions.mjs (and bench/mo-functions.ts).
"""
import argparse
import json
import math
import statistics
import sys
import time

import optuna
from optuna._hypervolume import WFG


def zdt_g(x):
    return 1 + 9 * sum(x[1:]) / (len(x) - 1)


def zdt1(x):
    g = zdt_g(x)
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = zdt_g(x)
    return [x[0], g * (1 - (x[0] / g) ** 2)]


def dtlz2(x, m=3):
    g = sum((v - 0.5) ** 2 for v in x[m - 1:])
    f = []
    for i in range(m):
        v = 1 + g
        for j in range(m - 1 - i):
            v *= math.cos(x[j] * math.pi / 2)
        if i > 0:
            v *= math.sin(x[m - 1 - i] * math.pi / 2)
        f.append(v)
    return f


PROBLEMS = {
    "zdt1": (zdt1, 6, 2, [1.1, 11.0]),
    "zdt2": (zdt2, 6, 2, [1.1, 11.0]),
    "dtlz2": (dtlz2, 6, 3, [2.5, 2.5, 2.5]),
}

SAMPLERS = {
    "random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    "nsga2": lambda seed: optuna.samplers.NSGAIISampler(seed=seed),
    "tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
}


def hypervolume(points, ref):
    import numpy as np

    inside = [p for p in points if all(v < r for v, r in zip(p, ref))]
    if not inside:
        return 0.0
    return float(WFG().compute(np.asarray(inside, dtype=float), np.asarray(ref, dtype=float)))


def run(problem, sampler, seed, trials, budgets):
    fn, dims, m, ref = PROBLEMS[problem]
    study = optuna.create_study(directions=["minimize"] * m, sampler=SAMPLERS[sampler](seed))
    study.optimize(lambda t: fn([t.suggest_float(f"x{i}", 0, 1) for i in range(dims)]), n_trials=trials)
    points = [t.values for t in sorted(study.trials, key=lambda t: t.number)]
    return [hypervolume(points[:b], ref) for b in budgets]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--trials", type=int, default=300)
    ap.add_argument("--samplers", default="random,nsga2,tpe")
    ap.add_argument("--problems", default="zdt1,zdt2,dtlz2")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    budgets = [b for b in (100, 200, 300) if b <= args.trials]
    out = {"source": f"Optuna {optuna.__version__}, {args.seeds} seeds x {args.trials} trials, median hypervolume", "problems": {}}
    for problem in args.problems.split(","):
        out["problems"][problem] = {}
        for sampler in args.samplers.split(","):
            start = time.perf_counter()
            runs = [run(problem, sampler, seed, args.trials, budgets) for seed in range(args.seeds)]
            secs = (time.perf_counter() - start) / args.seeds
            entry = {str(b): statistics.median(r[i] for r in runs) for i, b in enumerate(budgets)}
            entry["seconds_per_study"] = round(secs, 2)
            out["problems"][problem][sampler] = entry
            print(f"{problem} {sampler}: {entry}", file=sys.stderr)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
