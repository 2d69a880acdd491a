import CEngineShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended.
enum ProcessEnd: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    var description: String {
        switch self {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let signal): return "signal \(signal)"
        }
    }
}

/// A child process with pipes on its standard descriptors, all non-blocking on our side.
/// Only the thread that started it may use it: the child gets SIGKILL when that thread ends.
final class SandboxProcess: PipedProcess {
    let pid: pid_t
    /// Our ends: we write the child's stdin, read its stdout and stderr.
    let pipes: PipeEnds
    private(set) var end: ProcessEnd?

    struct SpawnError: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// - Parameter account: uid and gid to switch to before exec (only a root engine can).
    /// - Parameter sharedFD: a descriptor the child gets as its descriptor 3 (the texts), or nil.
    /// - Parameter controlFD: a descriptor the child gets as its descriptor 4 (a zygote's control socket), or nil.
    init(executable: String, arguments: [String], environment: [String: String], account: (uid: uid_t, gid: gid_t)?,
         sharedFD: Int32? = nil, controlFD: Int32? = nil) throws {
        let (ours, theirs) = try PipeEnds.make(for: executable)
        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
            [theirs.input, theirs.output, theirs.errors].forEach { close($0) }
        }
        let child = (argv + [nil]).withUnsafeBufferPointer { argvPointer in
            (envp + [nil]).withUnsafeBufferPointer { envpPointer in
                ces_spawn(executable, argvPointer.baseAddress, envpPointer.baseAddress, theirs.input, theirs.output, theirs.errors,
                          sharedFD ?? -1, controlFD ?? -1, account.map { Int($0.uid) } ?? -1, account.map { Int($0.gid) } ?? -1)
            }
        }
        guard child > 0 else { throw SpawnError(executable: executable, code: -child) }
        pid = child
        pipes = ours
    }

    deinit {
        kill()
        pipes.closeAll()
        if end == nil { _ = waitBlocking() }
    }


    /// SIGKILL to the child's process group (it leads one), so anything it started goes too.
    func kill() {
        guard end == nil else { return }
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
    }

    /// The end, once the child has ended; nil while it runs.
    @discardableResult
    func reap() -> ProcessEnd? {
        if let end { return end }
        var code: Int32 = 0, signalNumber: Int32 = 0
        if ces_reap(pid, &code, &signalNumber) == pid {
            end = signalNumber != 0 ? .signaled(signalNumber) : .exited(code)
        }
        return end
    }

    /// Waits for the end (after a kill, or for a short trusted run).
    func waitBlocking() -> ProcessEnd? {
        while reap() == nil {
            var status: Int32 = 0
            let done = waitpid(pid, &status, 0)
            if done == pid {
                end = (status & 0x7F) != 0 ? .signaled(status & 0x7F) : .exited((status >> 8) & 0xFF)
            } else if done < 0, errno != EINTR {
                return nil
            }
        }
        return end
    }

    /// CPU time in seconds (user + system) of this process and everything below it, from /proc;
    /// nil when /proc cannot tell.
    func cpuSeconds(table: inout ProcessTable) -> Double? { ProcessTreeCPU.seconds(root: pid, table: &table) }

    /// Runs a short trusted command to its end and returns what it printed (stdout, stderr), each cut
    /// at `limit` bytes. Used to probe the interpreter and the OS sandbox, never for programs.
    static func capture(executable: String, arguments: [String], environment: [String: String],
                        account: (uid: uid_t, gid: gid_t)?, timeout: Duration, limit: Int = 1 << 16) throws -> (ProcessEnd?, [UInt8], [UInt8]) {
        let process = try SandboxProcess(executable: executable, arguments: arguments, environment: environment, account: account)
        process.closeInput()
        var out: [UInt8] = [], err: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while process.stdoutFD >= 0 || process.stderrFD >= 0 {
            if ContinuousClock.now > deadline {
                process.kill()
                break
            }
            var fds = [pollfd(fd: process.stdoutFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: process.stderrFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, 100)
            if case .ended = process.read(process.stdoutFD, into: &out) { process.closeOutput() }
            if case .ended = process.read(process.stderrFD, into: &err) { process.closeErrors() }
            if out.count > limit || err.count > limit { process.kill(); break }
        }
        process.closeAll()
        return (process.waitBlocking(), Array(out.prefix(limit)), Array(err.prefix(limit)))
    }
}

/// CPU time of a process tree, read from /proc: the kernel's count, which no program can change.
enum ProcessTreeCPU {
    private static let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// - Parameter table: one watchdog tick's view of /proc, shared by every tree read in that tick.
    static func seconds(root: pid_t, table: inout ProcessTable) -> Double? {
        guard let own = ticks(of: root) else { return nil }
        var total = own
        var pending = table.children(of: root)
        var visited: Set<pid_t> = [root]
        while let pid = pending.popLast() {
            guard visited.insert(pid).inserted, visited.count < 64 else { continue }
            total += ticks(of: pid) ?? 0
            pending += table.children(of: pid)
        }
        return Double(total) / ticksPerSecond
    }

    static func seconds(root: pid_t) -> Double? {
        var table = ProcessTable()
        return seconds(root: root, table: &table)
    }

    /// utime + stime (fields 14 and 15 of /proc/PID/stat; the command name before them may hold spaces).
    static func ticks(of pid: pid_t) -> Int? {
        guard let fields = statFields(of: pid), fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// The fields of /proc/PID/stat after the command name (which may hold spaces): state, ppid, ...
    static func statFields(of pid: pid_t) -> [Substring]? {
        guard let text = readSmall("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }

    static func childrenFromFile(of pid: pid_t) -> [pid_t] {
        guard let text = readSmall("/proc/\(pid)/task/\(pid)/children") else { return [] }
        return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Every process's children from one pass over /proc/N/stat (their parent is field 4).
    static func childrenByScan() -> [pid_t: [pid_t]] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var children: [pid_t: [pid_t]] = [:]
        for name in names {
            guard let pid = pid_t(name), let fields = statFields(of: pid), fields.count > 1, let parent = pid_t(fields[1]) else { continue }
            children[parent, default: []].append(pid)
        }
        return children
    }

    static let hasChildrenFiles = FileManager.default.fileExists(atPath: "/proc/self/task/\(getpid())/children")

    private static func readSmall(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4096) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}

/// Who is whose child, read once per watchdog tick. Where the kernel has the children files
/// (CONFIG_PROC_CHILDREN) each lookup reads one; elsewhere one scan of /proc serves the whole tick,
/// instead of one scan per process visited in every lane's tree (which cost the engine more CPU
/// than everything else it does while applying).
struct ProcessTable {
    private var scanned: [pid_t: [pid_t]]?

    init() {}

    mutating func children(of pid: pid_t) -> [pid_t] {
        if ProcessTreeCPU.hasChildrenFiles { return ProcessTreeCPU.childrenFromFile(of: pid) }
        if scanned == nil { scanned = ProcessTreeCPU.childrenByScan() }
        return scanned?[pid] ?? []
    }
}
