#!/usr/bin/env python3
"""Evaluate the project's own example labeling programs on a WRENCH dataset.

Trusted-code tool: it imports every *.py file in --programs with importlib and
calls its label_function(text) on each row. Use it only on the example
programs shipped in this repository, never on untrusted or LLM-written code.

For each program and split it prints:
  coverage  fraction of rows where the program voted (did not return -1)
  accuracy  fraction of those votes that equal the gold label
  votes     number of rows voted on
  conflicts votes on a class id not present in label.json (should be 0)

Usage:
    python3 examples/programs/evaluate.py --data DIR --programs DIR \
        [--splits train,valid] [--markdown]
"""

import argparse
import importlib.util
import json
import os
import re
import sys

ABSTAIN = -1

# Do not leave __pycache__ folders next to the example programs.
sys.dont_write_bytecode = True


def load_split(path):
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)
    return [(row["data"]["text"], row["label"]) for row in rows.values()]


def natural_key(name):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


def load_programs(directory):
    programs = []
    names = sorted((n for n in os.listdir(directory)
                    if n.endswith(".py") and not n.startswith("_")),
                   key=natural_key)
    for name in names:
        path = os.path.join(directory, name)
        mod_name = "example_lf_" + re.sub(r"\W", "_", name[:-3])
        spec = importlib.util.spec_from_file_location(mod_name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        fn = getattr(module, "label_function", None)
        if not callable(fn):
            raise SystemExit("%s: no label_function defined" % path)
        programs.append((name[:-3], fn))
    return programs


def evaluate(fn, rows, classes):
    votes = correct = invalid = 0
    for text, gold in rows:
        out = fn(text)
        if out == ABSTAIN:
            continue
        if out not in classes:
            invalid += 1
            continue
        votes += 1
        if out == gold:
            correct += 1
    coverage = votes / len(rows) if rows else 0.0
    accuracy = correct / votes if votes else float("nan")
    return coverage, accuracy, votes, invalid


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True,
                    help="dataset directory with label.json and split files")
    ap.add_argument("--programs", required=True,
                    help="directory of LF*.py files defining label_function")
    ap.add_argument("--splits", default="train,valid",
                    help="comma-separated split names (default: train,valid)")
    ap.add_argument("--markdown", action="store_true",
                    help="print a Markdown table instead of plain text")
    args = ap.parse_args()

    with open(os.path.join(args.data, "label.json"), encoding="utf-8") as f:
        classes = {int(k) for k in json.load(f)}
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    data = {s: load_split(os.path.join(args.data, s + ".json")) for s in splits}
    programs = load_programs(args.programs)

    header = ["program"]
    for s in splits:
        header += ["%s cov" % s, "%s acc" % s, "%s votes" % s]
    table = []
    for name, fn in programs:
        line = [name]
        for s in splits:
            cov, acc, votes, invalid = evaluate(fn, data[s], classes)
            if invalid:
                print("warning: %s returned %d invalid labels on %s"
                      % (name, invalid, s), file=sys.stderr)
            line += ["%.3f" % cov, "%.3f" % acc, "%d/%d" % (votes, len(data[s]))]
        table.append(line)

    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for line in table:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(r[i]) for r in [header] + table)
                  for i in range(len(header))]
        for line in [header] + table:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())


if __name__ == "__main__":
    main()
