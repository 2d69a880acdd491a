"""The scale benchmark of docs/BENCHMARKS.md (issue 14), run by scripts/benchmark-scale.

It writes a custom dataset of N youtube-length rows (youtube train repeated, or the demo dataset when
the shared datasets are absent) as JSONL into a temporary data folder, then times, in interleaved
rounds:
  - the reference: a plain single-process Python script that reads the same file (json.loads per
    line) and calls the same 10 programs on every text, timed as a user meets it (the whole process);
  - `alchemist apply` on the same file (release build), the whole command, reading the file included.
Each figure is the median of the rounds, with the peak resident memory of each process tree's
largest process (wait4's ru_maxrss).
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REFERENCE = r"""
import json, sys, os
texts = []
with open(sys.argv[1], encoding="utf-8") as rows:
    for line in rows:
        if line.strip():
            texts.append(json.loads(line)["text"])
functions = []
for name in sorted(os.listdir(sys.argv[2])):
    if name.endswith(".py"):
        namespace = {}
        exec(compile(open(os.path.join(sys.argv[2], name), encoding="utf-8").read(), name, "exec"), namespace)
        functions.append(namespace["label_function"])
columns = [[f(t) for t in texts] for f in functions]
print(len(texts), sum(v >= 0 for c in columns for v in c))
"""


def base_texts(shared):
    youtube = os.path.join(shared, "youtube", "train.json")
    if os.path.exists(youtube):
        with open(youtube, encoding="utf-8") as f:
            rows = json.load(f)
        keys = sorted(rows, key=int)
        return [rows[k]["data"]["text"] for k in keys], "youtube train", [rows[k]["label"] for k in keys]
    texts = []
    with open(os.path.join("datasets", "demo", "train.jsonl"), encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
    return texts, "demo train (../shared/datasets absent)", None


def write_dataset(folder, name, texts, rows, labels=None, held_out=0):
    """train.jsonl of `rows` rows (and valid/test of `held_out` rows each, with gold labels)."""
    os.makedirs(os.path.join(folder, name), exist_ok=True)
    with open(os.path.join(folder, name, "dataset.json"), "w") as f:
        json.dump({"name": name, "description": "scale benchmark", "classes": ["ham", "spam"]}, f)
    for split, count in (("train", rows), ("valid", held_out), ("test", held_out)):
        if count == 0:
            continue
        offset = {"train": 0, "valid": 1, "test": 2}[split] * 7919
        with open(os.path.join(folder, name, split + ".jsonl"), "w", encoding="utf-8") as f:
            for i in range(count):
                k = (i + offset) % len(texts)
                label = labels[k] if labels is not None else i % 2
                f.write(json.dumps({"id": i, "text": texts[k], "label": label}, ensure_ascii=False))
                f.write("\n")
    return os.path.join(folder, name, "train.jsonl")


def timed(command, env=None):
    """(seconds, peak RSS in MB, stdout) of one run of `command`, the whole process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=env)
        out = process.stdout.read()
        # wait4 gives the child's rusage: ru_maxrss is the largest of it and its reaped descendants.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        process.returncode = code
        if code != 0:
            errors.seek(0)
            sys.exit(f"benchmark-scale: {' '.join(command[:3])} … failed ({code}): {errors.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, out.decode()


def median(values):
    return sorted(values)[len(values) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--shared", default=os.path.join("..", "shared", "datasets"))
    parser.add_argument("--programs", default=os.path.join("examples", "programs", "youtube"))
    parser.add_argument("--label-rows", default="", help="comma-separated train sizes for `label --export` (e.g. 100000,1000000)")
    parser.add_argument("--spark-rows", type=int, default=0,
                        help="train rows (Parquet) for `label --export` with --engine local and --engine spark --master local[2], compared row by row")
    args = parser.parse_args()

    texts, source, labels = base_texts(args.shared)
    if args.label_rows:
        label_figures(args, texts, source, labels)
        return
    if args.spark_rows:
        spark_figures(args, texts, source, labels)
        return
    work = tempfile.mkdtemp(prefix="alchemist-scale-")
    try:
        data = os.path.join(work, "data")
        path = write_dataset(data, "scale", texts, args.rows)
        size = os.path.getsize(path)
        env = dict(os.environ, ALCHEMIST_HOME=os.path.join(work, "home"))
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"
        print(f"machine: {os.cpu_count()} cores; rows: {args.rows:,} from {source} ({size / 1e6:.0f} MB of JSONL); "
              f"programs: {args.programs}; rounds: {args.rounds}, interleaved; figures are medians")
        reference, ours = [], []
        for _ in range(args.rounds):
            seconds, rss, _ = timed([python, "-c", REFERENCE, path, args.programs])
            reference.append((seconds, rss))
            seconds, rss, out = timed([args.binary, "apply", "--dataset", "scale", "--split", "train", "--lfs", args.programs,
                                       "--data-dir", data, "--json"], env=env)
            report = json.loads(out)
            assert report["rows"] == args.rows, report["rows"]
            ours.append((seconds, rss))
        ref_s, ours_s = median([r[0] for r in reference]), median([r[0] for r in ours])
        print(f"reference (plain Python: read the JSONL, call the functions, 1 process): {ref_s:.2f} s, "
              f"peak {median([r[1] for r in reference]):.0f} MB   runs: {' '.join(f'{r[0]:.2f}' for r in reference)}")
        paired = [r[0] / o[0] for r, o in zip(reference, ours)]
        print(f"alchemist apply (whole command): {ours_s:.2f} s, peak {median([o[1] for o in ours]):.0f} MB, "
              f"{ref_s / ours_s:.2f}× the reference (paired median {median(paired):.2f}×)   runs: {' '.join(f'{o[0]:.2f}' for o in ours)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def label_figures(args, texts, source, labels):
    """`alchemist label --export` (1 run, MV and Snorkel, logistic regression) on train splits of the
    given sizes with 2,000-row labeled valid and test splits: time and peak memory of each."""
    print(f"machine: {os.cpu_count()} cores; label --export on {source} repeated; programs: {args.programs}")
    figures = []
    for rows in [int(r) for r in args.label_rows.split(",") if r]:
        work = tempfile.mkdtemp(prefix="alchemist-scale-label-")
        try:
            data = os.path.join(work, "data")
            name = f"scale{rows}"
            write_dataset(data, name, texts, rows, labels=labels, held_out=2000)
            env = dict(os.environ, ALCHEMIST_HOME=os.path.join(work, "home"))
            out = os.path.join(work, "labels.csv")
            seconds, rss, report = timed([args.binary, "label", "--dataset", name, "--lfs", args.programs, "--data-dir", data,
                                          "--runs", "1", "--label-models", "mv,snorkel", "--end-models", "lr",
                                          "--export", out, "--json"], env=env)
            with open(out, encoding="utf-8", newline="") as f:
                written = sum(1 for _ in csv.reader(f)) - 1
            assert written == rows, (written, rows)
            figures.append((rows, seconds, rss))
            print(f"label --export, {rows:,} train rows: {seconds:.1f} s, peak {rss:.0f} MB, "
                  f"{seconds / rows * 1e6:.1f} µs and {rss * 1024 / rows:.2f} KB a row")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if len(figures) > 1:
        (r0, s0, m0), (r1, s1, m1) = figures[0], figures[-1]
        print(f"from {r0:,} to {r1:,} rows ({r1 / r0:.0f}× the rows): time {s1 / s0:.1f}×, peak memory {m1 / m0:.1f}×")


def spark_figures(args, texts, source, labels):
    """`label --export OUT.parquet` of a Parquet train split on both engines: time, peak memory of
    the alchemist process tree (Spark's JVMs are children of spark-submit, so they count), and
    whether the two exports hold the same rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = args.spark_rows
    work = tempfile.mkdtemp(prefix="alchemist-scale-spark-")
    try:
        data = os.path.join(work, "data")
        name = "sparkscale"
        write_dataset(data, name, texts, 0, labels=labels, held_out=2000)
        ids = list(range(rows))
        table = pa.table({"id": [str(i) for i in ids], "text": [texts[i % len(texts)] for i in ids],
                          "label": [("ham", "spam")[labels[i % len(texts)]] if labels else ("ham", "spam")[i % 2] for i in ids]})
        pq.write_table(table, os.path.join(data, name, "train.parquet"), row_group_size=100_000)
        del table
        spark = os.environ.get("ALCHEMIST_SPARK_SUBMIT") or os.path.join(
            os.environ.get("ALCHEMIST_HOME") or os.path.expanduser("~/.local/share/alchemist"), "tools", "spark-venv", "bin", "spark-submit")
        if not os.path.exists(spark):
            sys.exit("benchmark-scale: Spark not installed (run scripts/setup-spark)")
        common = [args.binary, "label", "--dataset", name, "--lfs", args.programs, "--data-dir", data, "--runs", "1",
                  "--label-models", "mv,snorkel", "--end-models", "lr", "--end-model-rows", "100000", "--json"]
        figures = {}
        for engine in ("local", "spark"):
            out = os.path.join(work, f"{engine}.parquet")
            env = dict(os.environ, ALCHEMIST_HOME=os.path.join(work, "home-" + engine), ALCHEMIST_SPARK_SUBMIT=spark)
            extra = ["--engine", "spark", "--master", "local[2]"] if engine == "spark" else []
            figures[engine] = timed(common + ["--export", out] + extra, env=env)
        a = pq.read_table(os.path.join(work, "local.parquet")).sort_by("id")
        b = pq.read_table(os.path.join(work, "spark.parquet")).sort_by("id")
        same = a.num_rows == b.num_rows == rows and a.column_names == b.column_names and all(
            a.column(c).equals(b.column(c)) for c in a.column_names)
        print(f"machine: {os.cpu_count()} cores; label --export OUT.parquet, {rows:,} Parquet train rows of {source}, "
              f"programs: {args.programs}, --end-model-rows 100000")
        for engine, (seconds, rss, _) in figures.items():
            print(f"  --engine {engine}{' --master local[2]' if engine == 'spark' else ''}: {seconds:.1f} s, peak {rss:.0f} MB")
        print(f"  exports equal row by row (sorted by id, every column): {'yes' if same else 'NO'}")
        if not same:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
