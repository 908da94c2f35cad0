#!/usr/bin/env python3
"""MLflow's own Python client (2.x) against `sweep server`: dataset inputs, logged models and the
model registry, end to end. Prints one line per step (`ok` or `FAIL` with the error) and exits 1
when a step failed.

MLflow cannot be installed from PyPI here; its source runs on Debian's python3 packages. Point
MLFLOW_PYTHONPATH at a checkout of MLflow 2.11 (the directory that holds the `mlflow` package):

    npm run build
    MLFLOW_PYTHONPATH=/tmp/mlflow-src /usr/bin/python3 bench/mlflow-python-registry.py

Without MLFLOW_PYTHONPATH (or when `mlflow` does not import) the script says so and exits 0.
It starts `node dist/src/cli/bin.js server` on a free loopback port with a fresh SQLite store (or
$SWEEP_BENCH_STORAGE, e.g. a fresh PostgreSQL schema), and stops it at the end. Nothing of MLflow's code is part of sweep.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def skip(reason):
    print(f"skipped: {reason}")
    sys.exit(0)


path = os.environ.get("MLFLOW_PYTHONPATH")
if not path:
    skip("MLFLOW_PYTHONPATH is not set (see the docstring)")
sys.path.insert(0, path)
try:
    import mlflow
    import mlflow.pyfunc
    import mlflow.sklearn
    from mlflow import MlflowClient
except Exception as error:  # noqa: BLE001 - any import failure means: no client here
    skip(f"mlflow does not import from {path}: {error}")

try:
    import pandas as pd
except Exception:  # noqa: BLE001
    pd = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workdir):
    port = free_port()
    cli = os.path.join(ROOT, "dist", "src", "cli", "bin.js")
    if not os.path.exists(cli):
        skip(f"{cli} is missing: run `npm run build` first")
    proc = subprocess.Popen(
        ["node", cli, "server", "--port", str(port), "--storage", os.environ.get("SWEEP_BENCH_STORAGE") or f"sqlite:{workdir}/sweep.db",
         "--no-access-log"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    line = proc.stdout.readline()  # "sweep server listening on ..." once it listens
    if "listening" not in line:
        proc.kill()
        raise RuntimeError(f"sweep server did not start: {line}{proc.stderr.read()}")
    return proc, f"http://127.0.0.1:{port}"


results = []


def step(name, fn):
    try:
        value = fn()
        results.append((name, True, ""))
        print(f"ok    {name}" + (f": {value}" if value is not None else ""))
        return value
    except Exception as error:  # noqa: BLE001 - report every failure and go on
        results.append((name, False, repr(error)))
        print(f"FAIL  {name}: {error!r}")
        traceback.print_exc(limit=3, file=sys.stdout)
        return None


class AddN(mlflow.pyfunc.PythonModel):
    def __init__(self, n):
        self.n = n

    def predict(self, context, model_input):
        return model_input + self.n


def main():
    workdir = tempfile.mkdtemp(prefix="sweep-mlflow-py-")
    proc, url = start_server(workdir)
    try:
        run_all(url, workdir)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    failed = [r for r in results if not r[1]]
    print(f"\nmlflow {mlflow.__version__}: {len(results) - len(failed)}/{len(results)} steps ok")
    sys.exit(1 if failed else 0)


def run_all(url, workdir):
    mlflow.set_tracking_uri(url)
    client = MlflowClient(url)
    exp_id = step("create_experiment", lambda: mlflow.create_experiment("registry-check"))
    mlflow.set_experiment("registry-check")

    with mlflow.start_run() as run:
        run_id = run.info.run_id
        mlflow.log_param("n", 3)
        mlflow.log_metric("loss", 0.25)
        if pd is not None:
            df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
            dataset = mlflow.data.from_pandas(df, source="/data/train.csv", name="train-set")
            step("log_input (pandas dataset, context=training)", lambda: mlflow.log_input(dataset, context="training"))
        info = step(
            "pyfunc.log_model(registered_model_name='adder')",
            lambda: mlflow.pyfunc.log_model("model", python_model=AddN(3), registered_model_name="adder").model_uri,
        )

    try:
        from sklearn.linear_model import LinearRegression
    except Exception:  # noqa: BLE001
        LinearRegression = None
    if LinearRegression is not None:
        with mlflow.start_run():
            fitted = LinearRegression().fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0])
            step("sklearn.log_model(registered_model_name='linear')",
                 lambda: mlflow.sklearn.log_model(fitted, "model", registered_model_name="linear").model_uri)
        step("sklearn.load_model('models:/linear/1').predict", lambda: [round(float(v), 6) for v in mlflow.sklearn.load_model("models:/linear/1").predict([[3.0]])])

    got = client.get_run(run_id)
    step("run inputs in get_run", lambda: [(d.dataset.name, d.dataset.digest, [(t.key, t.value) for t in d.tags]) for d in got.inputs.dataset_inputs] or _raise("no dataset inputs"))
    step("mlflow.log-model.history tag", lambda: [m["artifact_path"] for m in json.loads(got.data.tags["mlflow.log-model.history"])])
    step("search_runs datasets.name", lambda: len(mlflow.search_runs([exp_id], filter_string="datasets.name = 'train-set'")) or _raise("no run found"))
    step("search_runs datasets.context", lambda: len(mlflow.search_runs([exp_id], filter_string="datasets.context = 'training'")) or _raise("no run found"))

    step("register_model runs:/ -> version 2", lambda: mlflow.register_model(f"runs:/{run_id}/model", "adder").version)
    step("create_registered_model + tags", lambda: client.create_registered_model("other", tags={"team": "ml"}, description="d").name)
    step("get_latest_versions", lambda: [(v.version, v.current_stage) for v in client.get_latest_versions("adder", stages=["None"])])
    step("transition_model_version_stage Production", lambda: client.transition_model_version_stage("adder", "1", "Production").current_stage)
    step(
        "transition archive_existing_versions",
        lambda: (client.transition_model_version_stage("adder", "2", "Production", archive_existing_versions=True).current_stage,
                 client.get_model_version("adder", "1").current_stage),
    )
    step("set_registered_model_alias champion", lambda: client.set_registered_model_alias("adder", "champion", "2"))
    step("get_model_version_by_alias", lambda: client.get_model_version_by_alias("adder", "champion").version)
    step("search_registered_models name LIKE", lambda: [m.name for m in client.search_registered_models(filter_string="name LIKE 'add%'")])
    step("search_model_versions run_id", lambda: sorted(v.version for v in client.search_model_versions(f"run_id = '{run_id}'")))
    step("set_model_version_tag / get", lambda: (client.set_model_version_tag("adder", "2", "approved", "yes"), client.get_model_version("adder", "2").tags)[1])
    step("get_model_version_download_uri", lambda: client.get_model_version_download_uri("adder", "2"))
    if pd is not None:
        step("pyfunc.load_model('models:/adder@champion').predict", lambda: list(mlflow.pyfunc.load_model("models:/adder@champion").predict(pd.DataFrame({"x": [1.0]}))["x"]))
        step("pyfunc.load_model('models:/adder/Production')", lambda: type(mlflow.pyfunc.load_model("models:/adder/Production")).__name__)
    # MlflowClient.rename_registered_model returns None in 2.11 (its docstring says a RegisteredModel).
    step("rename_registered_model", lambda: (client.rename_registered_model("other", "other2"), client.get_registered_model("other2").name)[1])
    step("delete_registered_model_alias", lambda: client.delete_registered_model_alias("adder", "champion"))
    step("delete_model_version", lambda: client.delete_model_version("adder", "1"))
    step("delete_registered_model", lambda: client.delete_registered_model("other2"))
    step("unknown model -> RESOURCE_DOES_NOT_EXIST", lambda: _expect_error(lambda: client.get_registered_model("nope"), "RESOURCE_DOES_NOT_EXIST"))
    step("duplicate model -> RESOURCE_ALREADY_EXISTS", lambda: _expect_error(lambda: client.create_registered_model("adder"), "RESOURCE_ALREADY_EXISTS"))


def _raise(message):
    raise AssertionError(message)


def _expect_error(fn, code):
    try:
        fn()
    except mlflow.exceptions.MlflowException as error:
        if error.error_code != code:
            raise AssertionError(f"expected {code}, got {error.error_code}: {error}") from error
        return code
    raise AssertionError(f"expected {code}, got no error")


if __name__ == "__main__":
    main()
