import Foundation

/// Runs the built `alchemist` executable as a user would, capturing its output.
public struct CommandRunner: Sendable {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public let executable: URL

    /// Runs another executable the same way (an interpreter that starts `alchemist` under a limit, say).
    public init(executable: URL) {
        self.executable = executable
    }

    /// Finds `alchemist` next to the test bundle (the build products folder).
    public static func locate() throws -> CommandRunner {
        CommandRunner(executable: try builtProduct("alchemist"))
    }

    /// An executable product of this package, looked up next to the test bundle (the build products folder).
    public static func builtProduct(_ name: String) throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            TestEnvironment.repositoryRoot.appendingPathComponent(".build/debug"),
        ].map { $0.appendingPathComponent(name) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw PythonReference.Failure(description: "\(name) executable not found near the tests (run swift build)")
        }
        return found
    }

    /// - Parameter input: written to the command's stdin from a thread of its own, then closed.
    public func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL = TestEnvironment.repositoryRoot,
                    input: Data = Data()) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ALCHEMIST_DATA_DIR")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipes = try ProcessLaunch.run(process)
        let writer = Thread {
            // A command that stops reading early makes this write fail (EPIPE), not end the tests.
            signal(SIGPIPE, SIG_IGN)
            if !input.isEmpty { try? pipes.stdin.write(contentsOf: input) }
            try? pipes.stdin.close()
        }
        writer.start()
        let errors = PythonReference.ErrorCollector(pipes.stderr)
        let output = pipes.stdout.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                      stderr: String(decoding: errors.wait(), as: UTF8.self))
    }
}

/// The loopback file server of Tests/TestSupport/serve_files.py, stopped by `stop()`.
public final class LoopbackFileServer {
    public let port: Int
    private let process: Process

    public init(serving folder: URL) throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-port-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: portFile) }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestEnvironment.repositoryRoot.appendingPathComponent("Tests/TestSupport/serve_files.py").path,
                             folder.path, portFile.path]
        _ = try ProcessLaunch.run(process)
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0) }
            if port == nil { usleep(50_000) }
        }
        guard let port else {
            process.terminate()
            throw PythonReference.Failure(description: "loopback server did not start within 10 s")
        }
        self.port = port
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

extension CommandRunner {
    /// `run` waited for on a thread of its own. Swift's cooperative pool has one thread a core (two
    /// here): a test that blocks one for minutes waiting for a command starves every async test
    /// running beside it, such as the TUI's, whose engine runner then never settles.
    public func runAsync(_ arguments: [String], environment: [String: String] = [:], in directory: URL = TestEnvironment.repositoryRoot,
                         input: Data = Data()) async throws -> Result {
        try await OffPool.run { try run(arguments, environment: environment, in: directory, input: input) }
    }
}

/// Blocking work run on a thread of its own, awaited without holding a thread of the cooperative pool.
public enum OffPool {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
