"""Times snorkel 0.10's LabelModel.fit (defaults, cardinality 2) on raw int8 label matrices.

Arguments: rounds, then FILE:COLUMNS pairs. Prints one JSON object {FILE: median seconds}.
Called by LabelModelBenchmark --reference-python, so both sides are timed in one run.
"""
import json
import statistics
import sys
import time

import numpy as np
from snorkel.labeling.model import LabelModel

rounds = int(sys.argv[1])
result = {}
for spec in sys.argv[2:]:
    path, columns = spec.rsplit(":", 1)
    L = np.fromfile(path, dtype=np.int8).reshape(-1, int(columns)).astype(np.int64)
    times = []
    for seed in range(rounds):
        model = LabelModel(cardinality=2, verbose=False)
        started = time.perf_counter()
        model.fit(L, seed=seed, progress_bar=False)
        times.append(time.perf_counter() - started)
    result[path] = statistics.median(times)
print(json.dumps(result))
