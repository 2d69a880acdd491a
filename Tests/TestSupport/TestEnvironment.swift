import Engine
import Foundation

/// Where the repository and the shared datasets are, for tests.
public enum TestEnvironment {
    /// The repository root (this file is Tests/TestSupport/TestEnvironment.swift).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `ALCHEMIST_SHARED_DATASETS`, else `../shared/datasets` beside the repository; nil when absent.
    public static var sharedDatasets: URL? {
        let candidates = [ProcessInfo.processInfo.environment["ALCHEMIST_SHARED_DATASETS"].map { URL(fileURLWithPath: $0) },
                          repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets")]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("youtube/label.json").path) }
    }

    /// Says why a test that needs the shared datasets does nothing here.
    public static func noteMissingSharedDatasets(_ test: String) {
        FileHandle.standardError.write(Data("skipped \(test): ../shared/datasets is absent\n".utf8))
    }

    public static func config() throws -> AppConfig {
        try ConfigLoader.load(from: repositoryRoot.appendingPathComponent("config.json"))
    }

    /// The retrieval settings of the project's config.json (the shipped defaults when it cannot be read).
    public static var configRAG: RAGSettings { (try? config().rag) ?? .defaults }

    /// Paths with the data folder set to `dataDir` and the app home inside `home`.
    public static func paths(config: AppConfig, dataDir: URL?, home: URL) -> AppPaths {
        AppPaths.resolve(config: config, dataDirFlag: dataDir?.path, environment: ["ALCHEMIST_HOME": home.path])
    }

    /// A fresh empty folder, removed by the caller's `defer`.
    public static func temporaryFolder(_ name: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs trusted Python (the tests' own reference computations), never labeling programs under test.
public enum PythonReference {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `script` with `python3`, writes `input` to its stdin and returns its stdout.
    public static func run(_ script: String, arguments: [String] = [], input: Data = Data()) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipes = try ProcessLaunch.run(process)
        let writer = Thread {
            pipes.stdin.write(input)
            try? pipes.stdin.close()
        }
        writer.start()
        let errorData = ErrorCollector(pipes.stderr)
        let output = pipes.stdout.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 failed (\(process.terminationStatus)): \(String(decoding: errorData.wait(), as: UTF8.self))")
        }
        return output
    }

    /// Reads a pipe on its own thread so a chatty child cannot block on a full stderr pipe.
    public final class ErrorCollector: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)
        public init(_ handle: FileHandle) {
            Thread {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }.start()
        }
        public func wait() -> Data {
            done.wait()
            return data
        }
    }
}

/// Starts child processes one at a time, with pipes whose parent ends are close-on-exec.
/// Tests run in parallel: without this, a long-lived child (the loopback server) could inherit
/// another test's pipe end and keep it open, and that test would wait for end-of-file forever.
public enum ProcessLaunch {
    private static let lock = NSLock()

    public struct Pipes: @unchecked Sendable {
        public let stdin: FileHandle
        public let stdout: FileHandle
        public let stderr: FileHandle
    }

    /// Runs `process` with fresh pipes on all three standard streams; returns the parent's ends.
    public static func run(_ process: Process) throws -> Pipes {
        lock.lock()
        defer { lock.unlock() }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        for handle in [stdin.fileHandleForWriting, stdout.fileHandleForReading, stderr.fileHandleForReading] {
            _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        try? stdin.fileHandleForReading.close()
        try? stdout.fileHandleForWriting.close()
        try? stderr.fileHandleForWriting.close()
        return Pipes(stdin: stdin.fileHandleForWriting, stdout: stdout.fileHandleForReading, stderr: stderr.fileHandleForReading)
    }
}
