#!/usr/bin/env python3
"""Applies the exported labeling programs to a file and writes their votes as CSV.

    python3 apply.py INPUT OUTPUT [--text-column C]

INPUT is CSV, TSV or JSONL (by its extension). OUTPUT gets one row per input row: `id` (the
input's `id` column when it has one, else the row's position, from 0) and one `lf_<program>`
column per program holding its vote as a class id (-1 = abstain); the class names are in
programs.json. Plain Python 3, standard library only. The programs run in this process without a
sandbox and without a time limit per call: read them first.
"""
import argparse
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labeling_functions  # noqa: E402  (beside this file)


def fail(message):
    print("apply.py: " + message, file=sys.stderr)
    sys.exit(2)


def rows(path, text_column):
    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        with open(path, encoding="utf-8-sig") as file:
            for number, line in enumerate(file, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as error:
                    fail("%s, line %d: not JSON (%s)" % (path, number, error))
                if not isinstance(row, dict) or not isinstance(row.get(text_column), str):
                    fail("%s, line %d: no string field %r" % (path, number, text_column))
                yield row
    elif lower.endswith((".csv", ".tsv")):
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file, delimiter="\t" if lower.endswith(".tsv") else ",")
            if reader.fieldnames is None or text_column not in reader.fieldnames:
                fail("%s: no column %r (columns: %s)" % (path, text_column, ", ".join(reader.fieldnames or [])))
            for row in reader:
                if row.get(text_column) is None:
                    fail("%s, line %d: fewer fields than the header" % (path, reader.line_num))
                yield row
    else:
        fail("%s: INPUT must end in .csv, .tsv or .jsonl" % path)


def main():
    parser = argparse.ArgumentParser(description="Apply the exported labeling programs to a CSV, TSV or JSONL file.")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--text-column", default="text")
    arguments = parser.parse_args()
    partial = arguments.output + ".partial"
    functions = labeling_functions.FUNCTIONS
    count = 0
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["id"] + [name for name, _ in functions])
            for position, row in enumerate(rows(arguments.input, arguments.text_column)):
                identifier = row.get("id")
                identifier = position if identifier is None or identifier == "" else identifier
                text = row[arguments.text_column]
                writer.writerow([identifier] + [function(text) for _, function in functions])
                count += 1
        os.replace(partial, arguments.output)
    except BaseException:
        # Nothing half-written is left behind: OUTPUT appears whole or not at all.
        if os.path.exists(partial):
            os.remove(partial)
        raise
    print("apply.py: %d rows, %d programs -> %s" % (count, len(functions), arguments.output), file=sys.stderr)


if __name__ == "__main__":
    main()
