"""Reference figures from WRENCH's Dawid-Skene and FlyingSquid label models (ws-benchmark 1.1.1).

WRENCH's package imports its deep-learning stack (transformers, torchvision, nltk, ...) when its
label models load, though the label models do not use it; those modules are replaced by empty
stand-ins here so that only the label-model code runs. Same protocol as compare_label_models.py:
fit on the train weak labels with the valid labels as class balance, argmax on test.
"""
import json
import os
import sys
import types

import numpy as np
from sklearn.metrics import accuracy_score, f1_score


class _Anything:
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Anything()

    def __getattr__(self, name):
        return _Anything()


def stand_in(name):
    module = types.ModuleType(name)
    module.__path__ = []

    def missing(attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return _Anything

    module.__getattr__ = missing
    sys.modules[name] = module


UNUSED = ["transformers", "seqeval", "seqeval.metrics", "seqeval.scheme", "cytoolz", "torchvision", "torchvision.datasets",
          "torchvision.datasets.folder", "torchvision.transforms", "torchvision.models", "PIL", "PIL.Image",
          "sentence_transformers", "nltk", "nltk.tokenize", "tokenizations", "numbskull", "future", "future.utils",
          "numbskull.inference", "numbskull.numbskulltypes", "six", "six.moves", "six.moves.cPickle", "metal", "metal.label_model"]
for name in UNUSED:
    try:
        __import__(name)
    except Exception:
        stand_in(name)

np.product = np.prod  # flyingsquid, used by WRENCH's wrapper, still calls numpy's removed alias
from wrench.labelmodel import DawidSkene, FlyingSquid  # noqa: E402


def load(folder, split):
    rows = json.load(open(os.path.join(folder, split + ".json")))
    keys = sorted(rows, key=int)
    return np.array([rows[k]["weak_labels"] for k in keys]), np.array([rows[k]["label"] for k in keys])


report = {}
data = sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets"
for name in ("youtube", "sms"):
    folder = os.path.join(data, name)
    L_train, _ = load(folder, "train")
    _, y_valid = load(folder, "valid")
    L_test, y_test = load(folder, "test")
    report[name] = {}
    for model_name, model in (("ds", DawidSkene()), ("fs", FlyingSquid())):
        model.fit(L_train, y_valid=y_valid, n_class=2)
        predicted = np.argmax(model.predict_proba(L_test), axis=1)
        report[name][model_name] = {"accuracy": accuracy_score(y_test, predicted),
                                    "f1": f1_score(y_test, predicted, pos_label=1, zero_division=0)}
print(json.dumps(report, indent=1))
