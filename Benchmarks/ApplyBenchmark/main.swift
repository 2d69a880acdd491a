// Throughput of the sandboxed applier against a plain single-process Python loop over the same
// programs and texts, measured in the same run. Build and run with scripts/benchmark-apply.
import Engine
import Foundation

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

let repository = URL(fileURLWithPath: argument("--repo") ?? FileManager.default.currentDirectoryPath)
let target = Int(argument("--texts") ?? "") ?? 200_000
let workerCounts = (argument("--workers") ?? "1,2").split(separator: ",").compactMap { Int($0) }
let rounds = max(1, Int(argument("--rounds") ?? "") ?? 3)
let programsFolder = repository.appendingPathComponent(argument("--programs") ?? "examples/programs/youtube")

// Texts: youtube train (shared datasets) repeated to the target count; the demo dataset when absent.
let shared = URL(fileURLWithPath: argument("--data") ?? repository.deletingLastPathComponent().appendingPathComponent("shared/datasets").path)
var base: [String]
var source: String
if let youtube = try? WrenchLoader.load(folder: shared.appendingPathComponent("youtube"), name: "youtube") {
    base = try youtube.split(.train).texts
    source = "youtube train (\(base.count) texts)"
} else {
    let demo = try CustomDatasetLoader.load(folder: repository.appendingPathComponent("datasets/demo"))
    base = try demo.split(.train).texts
    source = "demo train (\(base.count) texts; ../shared/datasets absent)"
}
var texts: [String] = []
texts.reserveCapacity(target)
while texts.count < target { texts.append(contentsOf: base.prefix(target - texts.count)) }
let programs = try ProgramStore.programs(under: programsFolder)
// Without an OS sandbox the applier refuses to run programs: say so and stop, instead of trapping later.
do {
    _ = try ProgramApplier(settings: .defaults).checkSandbox()
} catch {
    FileHandle.standardError.write(Data("ApplyBenchmark: \(error)\n".utf8))
    exit(1)
}
let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

// Reference: the same functions called in one plain Python loop; only the loop is timed.
let referenceScript = """
import json, sys, time, hashlib
job = json.load(open(sys.argv[1]))
functions = []
for source in job["programs"]:
    namespace = {}
    exec(compile(source, "<program>", "exec"), namespace)
    functions.append(namespace["label_function"])
texts = job["texts"]
if len(sys.argv) > 2:  # "part/parts": this process calls every parts-th function from part on
    part, parts = map(int, sys.argv[2].split("/"))
    functions = functions[part::parts]
begin = time.time()
start = time.perf_counter()
columns = [[f(t) for t in texts] for f in functions]
elapsed = time.perf_counter() - start
digest = hashlib.sha256(",".join(",".join(map(str, c)) for c in columns).encode()).hexdigest()
print(json.dumps({"seconds": elapsed, "digest": digest, "begin": begin, "end": begin + elapsed}))
"""
let jobFile = FileManager.default.temporaryDirectory.appendingPathComponent("apply-benchmark-\(UUID().uuidString).json")
defer { try? FileManager.default.removeItem(at: jobFile) }
try JSONSerialization.data(withJSONObject: ["programs": programs.map(\.source), "texts": texts]).write(to: jobFile)
/// One timed run of the plain loop: (seconds, digest of its labels).
func runReference() throws -> (Double, String) {
    let before = machineBusySeconds()
    defer {
        if argument("--cpu") != nil { print(String(format: "  cpu: reference process, machine %.2f s busy in all", machineBusySeconds() - before)) }
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python.hasPrefix("/") ? python : "/usr/bin/env")
    process.arguments = (python.hasPrefix("/") ? [] : [python]) + ["-c", referenceScript, jobFile.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let reference = try JSONSerialization.jsonObject(with: output) as? [String: Any],
          let seconds = reference["seconds"] as? Double, let digest = reference["digest"] as? String else {
        fatalError("reference run failed")
    }
    return (seconds, digest)
}

/// The ideal parallel run with no sandbox: `parts` plain loops side by side, each calling its share
/// of the functions, timed from the first loop's start to the last one's end. Its ratio to the
/// one-process loop is what this machine's cores give Python at best.
func runParallelReference(parts: Int) throws -> Double {
    let processes = (0..<parts).map { part -> (Process, Pipe) in
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python.hasPrefix("/") ? python : "/usr/bin/env")
        process.arguments = (python.hasPrefix("/") ? [] : [python]) + ["-c", referenceScript, jobFile.path, "\(part)/\(parts)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        return (process, pipe)
    }
    for (process, _) in processes { try process.run() }
    var begins: [Double] = [], ends: [Double] = []
    for (process, pipe) in processes {
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let result = try JSONSerialization.jsonObject(with: output) as? [String: Any],
              let begin = result["begin"] as? Double, let end = result["end"] as? Double else { fatalError("parallel reference run failed") }
        begins.append(begin)
        ends.append(end)
    }
    return ends.max()! - begins.min()!
}

/// One run of the sandboxed applier: (seconds, labels).
func runApplier(workers: Int) async throws -> (Double, LabelMatrix) {
    var settings = SandboxSettings.defaults
    settings.workers = workers
    if let batch = Int(argument("--batch") ?? "") { settings.batchSize = batch }
    let started = ContinuousClock.now
    let before = cpuSeconds()
    let outcome = try await ProgramApplier(settings: settings).apply(programs, to: texts, classCount: 2)
    let elapsed = ContinuousClock.now - started
    let after = cpuSeconds()
    if argument("--cpu") != nil {
        print(String(format: "  cpu: engine %.2f s (%.2f s system), machine %.2f s busy in all", after.engine - before.engine,
                     after.system - before.system, after.machine - before.machine))
    }
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, outcome.matrix)
}

/// CPU seconds of this process and of its reaped children (the sandboxes).
func cpuSeconds() -> (engine: Double, system: Double, machine: Double) {
    func seconds(_ who: Int32) -> (Double, Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(who), &usage)
        return (Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6, Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
    }
    let own = seconds(RUSAGE_SELF.rawValue)
    return (own.0 + own.1, own.1, machineBusySeconds())
}

/// CPU time the whole machine spent busy (user, nice, system, irq, softirq) from /proc/stat: on an
/// otherwise idle machine, what a run cost in all, sandboxes and kernel included.
func machineBusySeconds() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return .nan }
    let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard fields.count >= 7 else { return .nan }
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func digest(_ matrix: LabelMatrix) throws -> String {
    let text = (0..<matrix.columns).map { matrix.column($0).map(String.init).joined(separator: ",") }.joined(separator: ",")
    let hasher = Process()
    hasher.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    hasher.arguments = ["sha256sum"]
    let input = Pipe(), output = Pipe()
    hasher.standardInput = input
    hasher.standardOutput = output
    try hasher.run()
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    hasher.waitUntilExit()
    return String(result.prefix(64))
}

// Loading: the largest shared dataset (imdb) with our loader, beside Python's json.load of the same files.
let imdb = shared.appendingPathComponent("imdb")
if FileManager.default.fileExists(atPath: imdb.appendingPathComponent("train.json").path) {
    var ours: [Double] = []
    for _ in 0..<3 {
        let started = ContinuousClock.now
        let dataset = try WrenchLoader.load(folder: imdb, name: "imdb")
        let elapsed = ContinuousClock.now - started
        let rows = try dataset.split(.train).count
        precondition(rows == 10_000)
        ours.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    let script = "import json,sys,time\nt=time.perf_counter()\nfor s in ('label','train','valid','test'): json.load(open(sys.argv[1]+'/'+s+'.json'))\nprint(time.perf_counter()-t)"
    var python: [Double] = []
    for _ in 0..<3 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, imdb.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        python.append(Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan)
    }
    print(String(format: "load imdb (train 14 MB + valid + test, 15,000 rows): %.3f s (median of 3); Python json.load of the same files: %.3f s",
                 median(ours), median(python)))
}

let votes = Double(texts.count * programs.count)
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB")
print("texts: \(texts.count) from \(source); programs: \(programs.count) from \(programsFolder.lastPathComponent); python: \(python)")
print("rounds: \(rounds), interleaved (reference, then each worker count); figures are medians")
var referenceTimes: [Double] = []
var parallelTimes: [Double] = []
let parallelParts = workerCounts.max() ?? 2
var applierTimes: [Int: [Double]] = [:]
var referenceDigest = ""
var mismatches: Set<Int> = []
for _ in 0..<rounds {
    let (seconds, hash) = try runReference()
    referenceTimes.append(seconds)
    referenceDigest = hash
    if parallelParts > 1 { parallelTimes.append(try runParallelReference(parts: parallelParts)) }
    for workers in workerCounts {
        let (seconds, matrix) = try await runApplier(workers: workers)
        applierTimes[workers, default: []].append(seconds)
        if try digest(matrix) != referenceDigest { mismatches.insert(workers) }
    }
}
let referenceSeconds = median(referenceTimes)
print(String(format: "reference (plain Python loop, 1 process): %.3f s, %.0f votes/s   runs: %@", referenceSeconds, votes / referenceSeconds,
             referenceTimes.map { String(format: "%.2f", $0) }.joined(separator: " ")))
if !parallelTimes.isEmpty {
    let paired = zip(referenceTimes, parallelTimes).map { $0 / $1 }
    print(String(format: "ideal parallel reference (%d plain loops side by side, no sandbox): %.3f s, %.2f× the reference; paired: %.2f×   runs: %@",
                 parallelParts, median(parallelTimes), referenceSeconds / median(parallelTimes), median(paired),
                 parallelTimes.map { String(format: "%.2f", $0) }.joined(separator: " ")))
}
for workers in workerCounts {
    let times = applierTimes[workers] ?? []
    let seconds = median(times)
    // Each round's applier run against the reference run just before it: paired ratios cancel the
    // drift of a shared machine better than a ratio of two medians.
    let paired = zip(referenceTimes, times).map { $0 / $1 }
    print(String(format: "  %d worker%@, paired ratio (median of rounds): %.2f×   per round: %@", workers, workers == 1 ? "" : "s",
                 median(paired), paired.map { String(format: "%.2f", $0) }.joined(separator: " ")))
    print(String(format: "sandboxed applier, %d worker%@: %.3f s, %.0f votes/s, %.2f× the reference   runs: %@%@",
                 workers, workers == 1 ? "" : "s", seconds, votes / seconds, referenceSeconds / seconds,
                 times.map { String(format: "%.2f", $0) }.joined(separator: " "),
                 mismatches.contains(workers) ? "  (LABELS DIFFER FROM THE REFERENCE)" : ""))
}
