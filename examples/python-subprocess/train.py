"""A stand-in training script (Python standard library only) driven by sweep's process executor.

sweep passes the parameters as arguments (see study.ts) and as JSON in $SWEEP_PARAMS; the script
reports with one JSON object per line carrying the key "sweep". Anything else it prints is kept in
the trial's stdout.log artifact.
"""
import argparse
import json
import math
import os


def emit(**message):
    print(json.dumps({"sweep": message.pop("kind"), **message}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--layers", type=int, required=True)
    parser.add_argument("--activation", required=True)
    args = parser.parse_args()
    print(f"trial {os.environ.get('SWEEP_TRIAL_NUMBER')} params {os.environ.get('SWEEP_PARAMS')}")

    # A synthetic validation loss that improves over epochs; best near lr=3e-3, 3 layers, relu.
    target = 0.05 + 0.1 * (math.log10(args.lr) + 2.5) ** 2 + 0.03 * (args.layers - 3) ** 2
    target += {"relu": 0.0, "tanh": 0.04, "gelu": 0.01}[args.activation]
    loss = 1.0
    for epoch in range(10):
        loss = target + (1.0 - target) * math.exp(-(epoch + 1) * 0.5)
        emit(kind="report", value=loss, step=epoch)
    emit(kind="log", key="accuracy", value=1.0 - loss, step=9)
    emit(kind="tag", key="framework", value="python-stdlib")
    emit(kind="result", value=loss)


if __name__ == "__main__":
    main()
