"""Optuna 3.1 on PostgreSQL, for bench/pg.ts: N worker processes on one study with a trivial objective,
stopped at a global budget by MaxTrialsCallback (Optuna's documented way), in their own schema.

python3 bench/optuna/pg_workers.py URL SCHEMA SAMPLER PROCESSES TRIALS [SLEEP_MS]
Prints one JSON line: trials counted in the database, the first start to the last end (s), wall time (s).
"""
import json
import multiprocessing
import sys
import time

import optuna
import sqlalchemy
from optuna.study import MaxTrialsCallback
from optuna.trial import TrialState


def storage_url(url: str, schema: str) -> str:
    return f"{url}?options=-csearch_path%3D{schema}"


def worker(url: str, schema: str, sampler: str, trials: int, sleep_ms: float) -> None:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.RDBStorage(storage_url(url, schema))
    chosen = optuna.samplers.RandomSampler() if sampler == "random" else optuna.samplers.TPESampler()
    study = optuna.load_study(study_name="bench", storage=storage, sampler=chosen)

    def objective(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", -10, 10)
        y = trial.suggest_float("y", -10, 10)
        if sleep_ms > 0:
            time.sleep(sleep_ms / 1000)
        return (x - 2) ** 2 + (y + 1) ** 2

    study.optimize(objective, callbacks=[MaxTrialsCallback(trials, states=None)])


def main() -> None:
    url, schema, sampler, processes, trials = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    sleep_ms = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    optuna.create_study(study_name="bench", storage=storage_url(url, schema), direction="minimize")
    started = time.perf_counter()
    procs = [multiprocessing.Process(target=worker, args=(url, schema, sampler, trials, sleep_ms)) for _ in range(processes)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    wall = time.perf_counter() - started
    with engine.begin() as conn:
        count, span = conn.execute(sqlalchemy.text(
            f'SELECT count(*), EXTRACT(EPOCH FROM max(datetime_complete) - min(datetime_start)) FROM "{schema}".trials'
        )).one()
        complete = conn.execute(sqlalchemy.text(f"SELECT count(*) FROM \"{schema}\".trials WHERE state = 'COMPLETE'")).scalar()
        conn.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))
    print(json.dumps({"count": count, "complete": complete, "span_s": float(span or 0), "wall_s": wall}))


if __name__ == "__main__":
    main()
