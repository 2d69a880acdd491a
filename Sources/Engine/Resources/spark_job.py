# Alchemist's Spark driver program, run by the engine as
#   spark-submit --master M [--conf k=v]... spark_job.py REQUEST.json
#
# Op "votes": each split of the request is read as a DataFrame. Every partition's rows are piped, as
# JSON lines {"text": ..., "label": ...}, through a subprocess `alchemist spark-worker votes ...`
# (the request's worker argv), which applies the programs with the engine's own applier and OS
# sandbox and answers one line a row, [gold, vote, vote, ...], then one JSON object with its reports.
# The votes are written to <work>/votes/<split> as Parquet (id, row, gold, votes); no row comes back
# to the driver. The driver keeps only small aggregates and writes them to the result file:
# per split the row count, the histogram of distinct (votes, gold) patterns and the worker reports
# summed per program. A failure is written there too, as {"error": "..."}.

import collections
import itertools
import json
import subprocess
import sys
import threading

from pyspark import AccumulatorParam, SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import types as T

WORKER_FAILED = "alchemist spark-worker failed"
SUMMED = ("errors", "timeouts", "invalid", "limit_hits", "kills")
FIRST = ("load_error", "first_error")


class JobError(Exception):
    """A problem with the request or the data, reported as it is."""


class PartitionReports(AccumulatorParam):
    """Worker reports keyed by (split, partition): a task run again replaces its own entry."""

    def zero(self, value):
        return {}

    def addInPlace(self, value1, value2):
        value1.update(value2)
        return value1


def read_split(spark, split):
    paths, kind = split["paths"], split["format"]
    if kind == "parquet":
        frame = spark.read.parquet(*paths)
    elif kind in ("csv", "tsv"):
        # RFC 4180 as the engine reads it: quoted fields may hold separators, quotes ("") and newlines.
        frame = spark.read.options(header=True, multiLine=True, quote='"', escape='"', mode="FAILFAST",
                                   sep="," if kind == "csv" else "\t").csv(paths)
    elif kind == "jsonl":
        frame = spark.read.option("mode", "FAILFAST").json(paths)
    else:
        raise JobError(f"split {split['name']}: format {kind!r} cannot be read by Spark (parquet, csv, tsv or jsonl)")
    columns = frame.columns
    if split["text"] not in columns:
        raise JobError(f"split {split['name']} ({', '.join(paths)}): no text column {split['text']!r} "
                       f"(columns: {', '.join(columns)})")
    label = split["label"] if split["label"] in columns else None
    row_id = split["id"] if split["id"] in columns else None
    chosen = [split["text"]] + [name for name in (label, row_id) if name]
    return frame.select(*chosen), label is not None, row_id is not None


def id_text(value, row):
    """The engine's rule: the id cell as written (a whole float as an integer), else the row number."""
    if value is None or value == "":
        return str(row)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def partition_votes(split, argv, programs, has_label, has_id, reports):
    name = split["name"]
    blank_is_empty = split["format"] in ("csv", "tsv")  # Spark reads an empty CSV field as null

    def run(partition, rows):
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        process = subprocess.Popen(argv + ["--lfs", SparkFiles.get(programs)], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        pending = collections.deque()  # (id, row) of rows written and not yet answered
        failures = []
        stderr_tail = collections.deque(maxlen=40)

        def feed():
            try:
                for record, row in itertools.chain([first], rows):
                    text = record[0]
                    if text is None:
                        if not blank_is_empty:
                            raise JobError(f"split {name}: row {row}: the text column {split['text']!r} is null")
                        text = ""
                    item = {"text": text}
                    if has_label:
                        item["label"] = record[1]
                    pending.append((id_text(record[2 if has_label else 1] if has_id else None, row), row))
                    process.stdin.write(json.dumps(item, ensure_ascii=False).encode() + b"\n")
            except BrokenPipeError:
                pass  # the worker ended early: its status and stderr say why
            except BaseException as error:  # noqa: BLE001 - handed to the reading side
                failures.append(error)
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        def drain():
            for line in process.stderr:
                stderr_tail.append(line.decode("utf-8", "replace").rstrip())

        threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=drain, daemon=True)]
        for thread in threads:
            thread.start()
        report = None
        try:
            for line in process.stdout:
                if line.startswith(b"["):
                    values = json.loads(line)
                    row_id, row = pending.popleft()
                    yield (row_id, row, values[0], values[1:])
                elif line.strip():
                    report = json.loads(line)
            for thread in threads:
                thread.join()
            status = process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        if failures:
            raise failures[0]
        if status != 0 or report is None or pending:
            detail = " | ".join(line for line in stderr_tail if line) or "no message"
            raise RuntimeError(f"{WORKER_FAILED} on split {name}, partition {partition} (exit status {status}): {detail}")
        reports.add({(name, partition): report})

    return run


def summed(entries, split):
    """The reports of one split's partitions, in partition order, summed per program."""
    parts = [entries[key] for key in sorted(key for key in entries if key[0] == split)]
    programs, facts, workers, restarts = [], {}, 0, 0
    for part in parts:
        for index, report in enumerate(part["reports"]):
            if index == len(programs):
                programs.append({"name": report["name"], "stopped": False, **{key: 0 for key in SUMMED},
                                 **{key: None for key in FIRST}})
            total = programs[index]
            for key in SUMMED:
                total[key] += report[key]
            for key in FIRST:
                total[key] = total[key] or report.get(key)
            total["stopped"] = total["stopped"] or report["stopped"]
        facts = facts or part["facts"]
        workers = max(workers, part["workers"])
        restarts += part["restarts"]
    return {"reports": programs, "facts": facts, "workers": workers, "restarts": restarts, "partitions": len(parts)}


def votes(spark, request):
    context = spark.sparkContext
    context.addFile(request["programs"], recursive=True)
    programs = request["programs"].rstrip("/").rsplit("/", 1)[-1]
    reports = context.accumulator({}, PartitionReports())
    schema = T.StructType([
        T.StructField("id", T.StringType(), False),
        T.StructField("row", T.LongType(), False),
        T.StructField("gold", T.ByteType(), False),
        T.StructField("votes", T.ArrayType(T.ByteType(), False), False),
    ])
    result = {}
    for split in request["splits"]:
        frame, has_label, has_id = read_split(spark, split)
        rows = frame.rdd.zipWithIndex()
        # A small file is one partition: spread it over the executors' cores (rows keep their numbers).
        if rows.getNumPartitions() < context.defaultParallelism:
            rows = rows.repartition(context.defaultParallelism)
        rows = rows.mapPartitionsWithIndex(partition_votes(split, request["worker"], programs, has_label, has_id, reports))
        out = f"{request['work']}/votes/{split['name']}"
        spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(out)
        # The histogram is read back from the written votes: the programs run once.
        counts = spark.read.parquet(out).groupBy("votes", "gold").count().collect()
        patterns = sorted(([int(v) for v in item["votes"]], int(item["gold"]), int(item["count"])) for item in counts)
        entry = summed(reports.value, split["name"])
        entry["rows"] = sum(count for _, _, count in patterns)
        entry["patterns"] = [{"v": v, "g": g, "n": n} for v, g, n in patterns]
        entry["votes"] = out
        result[split["name"]] = entry
    return {"splits": result}


def message(error):
    """One line for the user: the worker's own failure when a task carried it, else the error's last line."""
    text = str(error)
    for line in text.splitlines():
        if WORKER_FAILED in line or "JobError: " in line:
            return line[line.find(WORKER_FAILED):] if WORKER_FAILED in line else line[line.find("JobError: ") + 10:]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[0] if lines else 'no message'}"


def main(path):
    with open(path, encoding="utf-8") as file:
        request = json.load(file)
    status = 0
    try:
        if request.get("op") != "votes":
            raise JobError(f"{path}: unknown op {request.get('op')!r} (this job knows \"votes\")")
        spark = SparkSession.builder.appName(request.get("name", "alchemist")).getOrCreate()
        spark.sparkContext.setLogLevel("WARN")
        try:
            outcome = votes(spark, request)
        finally:
            spark.stop()
    except Exception as error:  # noqa: BLE001 - every failure is reported in the result file
        outcome, status = {"error": str(error) if isinstance(error, JobError) else message(error)}, 1
    with open(request["result"], "w", encoding="utf-8") as file:
        json.dump(outcome, file)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
