import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// How spark-submit is called.
public struct SparkJobSettings: Sendable {
    /// `local[*]`, `local[N]`, `spark://…`, `yarn`, `k8s://…`.
    public var master = "local[*]"
    /// `--conf key=value` pairs, in order, after the job's defaults (so they win).
    public var conf: [(key: String, value: String)] = []
    /// Keep the work folder (request, result, the votes as Parquet) instead of removing it.
    public var keepWork = false

    public init(master: String = "local[*]", conf: [(key: String, value: String)] = [], keepWork: Bool = false) {
        self.master = master
        self.conf = conf
        self.keepWork = keepWork
    }

    /// Spark's settings unless the user gave them: no web UI or console progress bar, and a local
    /// master's driver on the loopback address only.
    var defaults: [(key: String, value: String)] {
        var pairs = [("spark.ui.enabled", "false"), ("spark.ui.showConsoleProgress", "false")]
        if master == "local" || master.hasPrefix("local[") {
            pairs += [("spark.driver.host", "127.0.0.1"), ("spark.driver.bindAddress", "127.0.0.1")]
        }
        return pairs.filter { key, _ in !conf.contains { $0.key == key } }
    }

    /// A new work folder `<app home>/spark/<kind>-<run id>/`, where the jobs of one command share
    /// their files (the votes one job writes, the next reads). The caller removes it.
    public static func makeWorkFolder(appHome: URL, kind: String) throws -> URL {
        let work = appHome.appendingPathComponent("spark/\(kind)-\(RunID.make())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return work
    }
}

/// Why a Spark job failed: its own message, else the last lines spark-submit wrote.
public struct SparkJobError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

/// One run of `spark-submit … spark_job.py REQUEST.json` for any op: the request written to the
/// work folder, spark-submit in the environment of `SparkEnvironment` (no API keys), the op's small
/// result file read back (or the error the job wrote there).
struct SparkSubmission {
    let environment: SparkEnvironment
    let settings: SparkJobSettings
    let log: (@Sendable (String) -> Void)?

    /// Lines of spark-submit's stderr kept for an error message.
    static let tailLines = 30

    /// The fields every op's result may have: the job's own failure.
    private struct Failure: Decodable {
        var error: String?
    }

    /// - Parameters:
    ///   - request: the op's request; its `result` field must name `result`.
    ///   - file: where the request is written.
    /// - Throws: `SparkJobError` when the job fails (its message, or spark-submit's last lines).
    func run<Result: Decodable>(_ request: some Encodable, file: URL, result: URL, as: Result.Type) async throws -> Result {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(request), to: file)
        try? FileManager.default.removeItem(at: result)
        let (status, tail) = try await submit(file)
        let failed: String
        switch status {
        case .exited(let code): failed = "spark-submit exited with status \(code)"
        case .signaled(let signal): failed = "spark-submit was killed by signal \(signal)"
        }
        guard let data = try? Data(contentsOf: result) else {
            throw SparkJobError(reason: "\(failed) before the job wrote \(result.lastPathComponent): \(Self.summary(tail))")
        }
        if let message = (try? JSONDecoder().decode(Failure.self, from: data))?.error {
            throw SparkJobError(reason: "the Spark job failed: \(message)")
        }
        guard status.isSuccess else { throw SparkJobError(reason: "\(failed): \(Self.summary(tail))") }
        do {
            return try JSONDecoder().decode(Result.self, from: data)
        } catch {
            throw SparkJobError(reason: "\(result.path): not a result of spark_job.py (\(error))")
        }
    }

    static func jobScript() throws -> URL {
        guard let url = Bundle.module.url(forResource: "spark_job", withExtension: "py") else {
            throw SparkJobError(reason: "spark_job.py is missing from the Engine bundle")
        }
        return url
    }

    /// Runs spark-submit in a process group of its own (registered for interrupt handlers), its
    /// stderr streamed to `log` and its last lines kept.
    private func submit(_ request: URL) async throws -> (TerminationStatus, [String]) {
        var arguments = ["--master", settings.master]
        for (key, value) in settings.defaults + settings.conf { arguments += ["--conf", "\(key)=\(value)"] }
        arguments += [try Self.jobScript().path, request.path]
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, allowedDurationToNextStep: .seconds(5))]
        let log = log
        let result = try await Subprocess.run(
            .path(FilePath(environment.sparkSubmit.path)), arguments: Arguments(arguments),
            environment: .custom(Dictionary(uniqueKeysWithValues: environment.childEnvironment().map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
            workingDirectory: FilePath(request.deletingLastPathComponent().path), platformOptions: options,
            input: .none, output: .discarded, error: .sequence
        ) { execution in
            let group = execution.processIdentifier.value
            WorkerRegistry.shared.insert(group)
            defer { WorkerRegistry.shared.remove(group) }
            var tail: [String] = []
            for try await line in execution.standardError.strings(bufferingPolicy: .unbounded) {
                log?(line)
                tail.append(String(line.prefix(2000)))
                if tail.count > Self.tailLines { tail.removeFirst() }
            }
            return tail
        }
        return (result.terminationStatus, result.closureResult)
    }

    /// spark-submit's last lines, the errors first when there are any.
    static func summary(_ tail: [String]) -> String {
        let lines = tail.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let errors = lines.filter { $0.contains("Error") || $0.contains("ERROR") || $0.contains("Exception") }
        return (errors.isEmpty ? Array(lines.suffix(5)) : Array(errors.suffix(5))).joined(separator: " | ")
    }
}
