"""Reference figures from snorkel 0.10 for the comparison in docs/BENCHMARKS.md.

Runs snorkel's MajorityLabelVoter and LabelModel, and FlyingSquid's LabelModel, on the WRENCH
weak labels of youtube and sms
with the protocol `alchemist label --dataset-weak-labels` uses: fit on train (valid labels give
the class balance), predict test with random tie-breaking, 5 seeds, accuracy and F1 of class 1.
With --matrix it also times LabelModel.fit on a raw int8 label matrix written by
`LabelModelBenchmark --export`. Not part of the project's dependencies: run it through
scripts/reference-label-models, which makes a scratch virtual environment.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from snorkel.labeling.model import LabelModel, MajorityLabelVoter

np.product = np.prod  # flyingsquid (0.0.0a0) still calls numpy's removed alias
from flyingsquid.label_model import LabelModel as FlyingSquidModel  # noqa: E402


def load(folder, split):
    rows = json.load(open(os.path.join(folder, split + ".json")))
    keys = sorted(rows, key=int)
    return np.array([rows[k]["weak_labels"] for k in keys]), np.array([rows[k]["label"] for k in keys])


def mean_std(values):
    return {"mean": statistics.fmean(values), "std": statistics.pstdev(values)}


def compare(data, name, seeds):
    folder = os.path.join(data, name)
    L_train, _ = load(folder, "train")
    L_valid, y_valid = load(folder, "valid")
    L_test, y_test = load(folder, "test")
    result = {}
    # FlyingSquid: votes +1 (class 1), -1 (class 0), 0 (abstain); class balance from valid labels
    # (as WRENCH's wrapper does). It has no randomness; ties in its posterior go to class 0.
    signed = lambda L: np.where(L == 1, 1, np.where(L == 0, -1, 0))
    balance = np.bincount(y_valid, minlength=2) / len(y_valid)
    started = time.perf_counter()
    fs = FlyingSquidModel(L_train.shape[1])
    fs.fit(signed(L_train), class_balance=balance)
    fit_seconds = time.perf_counter() - started
    predicted = np.argmax(fs.predict_proba(signed(L_test)), axis=1)
    result["fs"] = {"accuracy": mean_std([accuracy_score(y_test, predicted)]),
                    "f1": mean_std([f1_score(y_test, predicted, pos_label=1, zero_division=0)]), "fit_seconds": fit_seconds}
    for model_name in ("mv", "snorkel"):
        accuracies, f1s, fits = [], [], []
        for seed in range(seeds):
            if model_name == "mv":
                model = MajorityLabelVoter(cardinality=2)
                started = time.perf_counter()
            else:
                model = LabelModel(cardinality=2, verbose=False)
                started = time.perf_counter()
                model.fit(L_train, Y_dev=y_valid, seed=seed)
            fits.append(time.perf_counter() - started)
            predicted = model.predict(L_test, tie_break_policy="random")
            accuracies.append(accuracy_score(y_test, predicted))
            f1s.append(f1_score(y_test, predicted, pos_label=1, zero_division=0))
        result[model_name] = {"accuracy": mean_std(accuracies), "f1": mean_std(f1s), "fit_seconds": statistics.median(fits)}
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="../shared/datasets")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--matrix", help="raw int8 label matrix (rows × columns, -1 = abstain)")
    parser.add_argument("--columns", type=int, default=20)
    args = parser.parse_args()
    report = {name: compare(args.data, name, args.seeds) for name in ("youtube", "sms")}
    if args.matrix:
        L = np.fromfile(args.matrix, dtype=np.int8).reshape(-1, args.columns).astype(np.int64)
        times = []
        for seed in range(3):
            model = LabelModel(cardinality=2, verbose=False)
            started = time.perf_counter()
            model.fit(L, seed=seed)
            times.append(time.perf_counter() - started)
        report["synthetic"] = {"rows": int(L.shape[0]), "columns": int(L.shape[1]), "snorkel_fit_seconds": statistics.median(times)}
    print(json.dumps(report, indent=1))


main()
