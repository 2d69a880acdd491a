# Alchemist's Spark driver program, run by the engine as
#   spark-submit --master M [--conf k=v]... spark_job.py REQUEST.json
#
# Op "votes": each split of the request is read as a DataFrame. Every partition's rows are piped, as
# JSON lines {"text": ..., "label": ...}, through a subprocess `alchemist spark-worker votes ...`
# (the request's worker argv), which applies the programs with the engine's own applier and OS
# sandbox and answers one line a row, [gold, vote, vote, ...], then one JSON object with its reports.
# The votes are written to <work>/votes/<split> as Parquet (id, row, gold, votes, and text when
# "keep_text"); no row comes back to the driver. The driver keeps only small aggregates and writes
# them to the result file: per split the row count, the histogram of distinct (votes, gold) patterns,
# the worker reports summed per program, the end models' document frequencies when "feature_bits" is
# given, and for the splits named in "ordered" (small evaluation splits) their votes in row order.
#
# Op "sample": the rows of <work>/votes/train whose draw (draw(row), the engine's
# EndModelRows.draw) is below "threshold", written sorted by row to the JSON-lines file "sample".
#
# Op "label": each split's votes (with text) are piped, partition by partition in row order, through
# `alchemist spark-worker label --run <shipped run>`, which labels them with the saved run and
# answers one object a row keyed by the export's columns; the rows are written to "output" in
# "format" (parquet, jsonl, csv) as a folder of part files, ordered by split then row.
#
# A failure of any op is written to the result file as {"error": "..."}.

import collections
import itertools
import json
import subprocess
import sys
import threading

from pyspark import AccumulatorParam, SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

WORKER_FAILED = "alchemist spark-worker failed"
SUMMED = ("errors", "timeouts", "invalid", "limit_hits", "kills")
FIRST = ("load_error", "first_error")
TALLIED = ("rows", "label_model", "end_model", "gold_rows", "correct")
MASK = (1 << 64) - 1


class JobError(Exception):
    """A problem with the request or the data, reported as it is."""


class PartitionReports(AccumulatorParam):
    """Worker reports keyed by (split, partition): a task run again replaces its own entry."""

    def zero(self, value):
        return {}

    def addInPlace(self, value1, value2):
        value1.update(value2)
        return value1


def draw(row):
    """A row's draw for the end model's sample: EndModelRows.draw, SplitMix64's finaliser in 64 bits."""
    z = (row + 0x5A4D504C45000000 + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


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


def piped(argv, lines, where, complete):
    """Pipes `lines` (bytes, each ending in a line feed) through a worker process and yields what it
    writes, line by line. `lines` runs on a thread of its own; an error it raises is raised here.
    Fails, with the worker's status and last stderr lines, when it exits badly or `complete()` is false."""
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failures = []
    stderr_tail = collections.deque(maxlen=40)

    def feed():
        try:
            for line in lines:
                process.stdin.write(line)
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
    try:
        yield from process.stdout
        for thread in threads:
            thread.join()
        status = process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if failures:
        raise failures[0]
    if status != 0 or not complete():
        detail = " | ".join(line for line in stderr_tail if line) or "no message"
        raise RuntimeError(f"{WORKER_FAILED} on {where} (exit status {status}): {detail}")


def partition_votes(split, argv, programs, has_label, has_id, keep_text, reports):
    name = split["name"]
    blank_is_empty = split["format"] in ("csv", "tsv")  # Spark reads an empty CSV field as null

    def run(partition, rows):
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        pending = collections.deque()  # (id, row, text) of rows written and not yet answered
        summary = []

        def lines():
            for record, row in itertools.chain([first], rows):
                text = record[0]
                if text is None:
                    if not blank_is_empty:
                        raise JobError(f"split {name}: row {row}: the text column {split['text']!r} is null")
                    text = ""
                item = {"text": text}
                if has_label:
                    item["label"] = record[1]
                pending.append((id_text(record[2 if has_label else 1] if has_id else None, row), row, text))
                yield json.dumps(item, ensure_ascii=False).encode() + b"\n"

        for line in piped(argv + ["--lfs", SparkFiles.get(programs)], lines(), f"split {name}, partition {partition}",
                          lambda: summary and not pending):
            if line.startswith(b"["):
                values = json.loads(line)
                row_id, row, text = pending.popleft()
                yield (row_id, row, values[0], values[1:]) + ((text,) if keep_text else ())
            elif line.strip():
                summary.append(json.loads(line))
        reports.add({(name, partition): summary[-1]})

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


def summed_frequencies(entries, split, bits):
    """The document frequencies the workers of one split's partitions counted, summed per column."""
    documents, columns = 0, collections.Counter()
    for key in entries:
        if key[0] != split:
            continue
        counted = entries[key]["document_frequencies"]
        if counted["bits"] != bits:
            raise JobError(f"split {split}: a worker counted 2^{counted['bits']} feature columns, not 2^{bits}")
        documents += counted["documents"]
        for column, count in counted["columns"]:
            columns[column] += count
    return {"bits": bits, "documents": documents, "columns": [[c, n] for c, n in sorted(columns.items())]}


def votes(spark, request):
    context = spark.sparkContext
    context.addFile(request["programs"], recursive=True)
    programs = request["programs"].rstrip("/").rsplit("/", 1)[-1]
    keep_text = bool(request.get("keep_text"))
    bits = request.get("feature_bits")
    argv = request["worker"] + (["--feature-bits", str(bits)] if bits is not None else [])
    ordered = set(request.get("ordered") or [])
    reports = context.accumulator({}, PartitionReports())
    schema = T.StructType([
        T.StructField("id", T.StringType(), False),
        T.StructField("row", T.LongType(), False),
        T.StructField("gold", T.ByteType(), False),
        T.StructField("votes", T.ArrayType(T.ByteType(), False), False),
    ] + ([T.StructField("text", T.StringType(), False)] if keep_text else []))
    result = {}
    for split in request["splits"]:
        frame, has_label, has_id = read_split(spark, split)
        rows = frame.rdd.zipWithIndex()
        # A small file is one partition: spread it over the executors' cores (rows keep their numbers).
        if rows.getNumPartitions() < context.defaultParallelism:
            rows = rows.repartition(context.defaultParallelism)
        rows = rows.mapPartitionsWithIndex(partition_votes(split, argv, programs, has_label, has_id, keep_text, reports))
        out = f"{request['work']}/votes/{split['name']}"
        spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(out)
        # The histogram is read back from the written votes: the programs run once.
        written = spark.read.parquet(out)
        counts = written.groupBy("votes", "gold").count().collect()
        patterns = sorted(([int(v) for v in item["votes"]], int(item["gold"]), int(item["count"])) for item in counts)
        entry = summed(reports.value, split["name"])
        entry["rows"] = sum(count for _, _, count in patterns)
        entry["patterns"] = [{"v": v, "g": g, "n": n} for v, g, n in patterns]
        entry["votes"] = out
        if bits is not None:
            entry["document_frequencies"] = summed_frequencies(reports.value, split["name"], bits)
        if split["name"] in ordered:
            entry["ordered"] = [[int(item["gold"])] + [int(v) for v in item["votes"]]
                                for item in written.orderBy("row").select("gold", "votes").collect()]
        result[split["name"]] = entry
    return {"splits": result}


def read_votes(spark, request, split):
    """<work>/votes/<split>, which a votes op with "keep_text" wrote."""
    path = f"{request['work']}/votes/{split}"
    try:
        frame = spark.read.parquet(path)
    except Exception as error:  # noqa: BLE001 - named for the user
        raise JobError(f"{path}: no votes of split {split} to read ({message(error)})") from error
    missing = [name for name in ("id", "row", "gold", "votes", "text") if name not in frame.columns]
    if missing:
        raise JobError(f"{path}: the votes have no column {', '.join(missing)} (the votes op writes text with \"keep_text\")")
    return frame


def sample(spark, request):
    frame = read_votes(spark, request, "train")
    threshold = request.get("threshold")
    if threshold is not None:
        limit = int(threshold)
        if not 0 <= limit <= MASK:
            raise JobError(f"threshold {threshold}: not an unsigned 64-bit integer")
        below = F.udf(lambda row: draw(row) < limit, T.BooleanType())
        frame = frame.where(below("row"))
    if request.get("covered"):
        frame = frame.where(F.exists("votes", lambda vote: vote >= 0))
    rows = 0
    with open(request["sample"], "w", encoding="utf-8") as file:
        for item in frame.select("row", "text", "votes").orderBy("row").toLocalIterator():
            file.write(json.dumps({"row": item["row"], "text": item["text"], "votes": list(item["votes"])}, ensure_ascii=False))
            file.write("\n")
            rows += 1
    return {"rows": rows, "sample": request["sample"]}


def partition_labels(split, argv, run_name, columns, tallies):
    kinds = [(name, kind) for name, kind in columns]

    def run(partition, rows):
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        sent = [0]
        answered = [0]
        summary = []

        def lines():
            for record in itertools.chain([first], rows):
                sent[0] += 1
                item = {"id": record["id"], "text": record["text"], "gold": record["gold"], "votes": list(record["votes"])}
                yield json.dumps(item, ensure_ascii=False).encode() + b"\n"

        for line in piped(argv + ["--run", SparkFiles.get(run_name)], lines(), f"split {split}, partition {partition}",
                          lambda: summary and answered[0] == sent[0]):
            if not line.strip():
                continue
            item = json.loads(line)
            if "summary" in item:
                summary.append(item["summary"])
                continue
            answered[0] += 1
            yield tuple(float(item[name]) if kind == "number" and item[name] is not None else item[name] for name, kind in kinds)
        tallies.add({(split, partition): summary[-1]})

    return run


def label(spark, request):
    context = spark.sparkContext
    context.addFile(request["run"], recursive=True)
    run_name = request["run"].rstrip("/").rsplit("/", 1)[-1]
    columns = request["columns"]
    kinds = {"text": T.StringType(), "number": T.DoubleType(), "integer": T.LongType()}
    schema = T.StructType([T.StructField(name, kinds[kind], True) for name, kind in columns])
    tallies = context.accumulator({}, PartitionReports())
    parts = []
    for split in request["splits"]:
        frame = read_votes(spark, request, split).select("id", "row", "gold", "votes", "text")
        # Ranges of rows, each in order: a partition's rows are labeled and written as they come.
        count = max(context.defaultParallelism, frame.rdd.getNumPartitions())
        frame = frame.repartitionByRange(count, "row").sortWithinPartitions("row")
        parts.append(frame.rdd.mapPartitionsWithIndex(partition_labels(split, request["worker"], run_name, columns, tallies)))
    # The splits one after the other, each in row order: the part files are in that order.
    writer = spark.createDataFrame(context.union(parts), schema).write.mode("overwrite")
    kind, output = request["format"], request["output"]
    if kind == "parquet":
        writer.parquet(output)
    elif kind == "jsonl":
        writer.option("ignoreNullFields", False).json(output)
    elif kind == "csv":
        # RFC 4180 as the local export writes it; cells keep their spaces.
        writer.options(header=True, quote='"', escape='"', ignoreLeadingWhiteSpace=False,
                       ignoreTrailingWhiteSpace=False).csv(output)
    else:
        raise JobError(f"format {kind!r}: Spark writes parquet, jsonl or csv")
    result = {}
    for split in request["splits"]:
        entry = {key: 0 for key in TALLIED}
        parts = [tallies.value[key] for key in tallies.value if key[0] == split]
        for part in parts:
            for key in TALLIED:
                entry[key] += part[key]
        entry["partitions"] = len(parts)
        result[split] = entry
    return {"splits": result, "output": output}


OPS = {"votes": votes, "sample": sample, "label": label}


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
        op = OPS.get(request.get("op"))
        if op is None:
            raise JobError(f"{path}: unknown op {request.get('op')!r} (this job knows {', '.join(OPS)})")
        spark = SparkSession.builder.appName(request.get("name", "alchemist")).getOrCreate()
        spark.sparkContext.setLogLevel("WARN")
        try:
            outcome = op(spark, request)
        finally:
            spark.stop()
    except Exception as error:  # noqa: BLE001 - every failure is reported in the result file
        outcome, status = {"error": str(error) if isinstance(error, JobError) else message(error)}, 1
    with open(request["result"], "w", encoding="utf-8") as file:
        json.dump(outcome, file)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
