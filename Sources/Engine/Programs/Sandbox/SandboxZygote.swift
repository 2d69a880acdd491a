import CEngineShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One sandbox of the applier (bubblewrap, or the bare interpreter under --unsafe-no-os-sandbox)
/// whose interpreter runs only our trusted code: it imports every allowed module and decodes the
/// shared texts once, then forks each program into a process of its own, one at a time, on pipes
/// the engine sends it (`zygote` in sandbox_worker.py). A program process starts from that
/// pristine state and never sees another program: the zygote never reads a source, the previous
/// child is reaped before the next is forked, and every child locks itself down (seccomp with no
/// signals to other processes and no System V IPC, read-only files everywhere) before its program
/// runs. This saves each program the interpreter's start, its imports and decoding every text.
final class SandboxZygote {
    let process: SandboxProcess
    private let executable: String
    private var control: Int32
    private(set) var isReady = false
    /// Address space in bytes a forked program starts with; its memory limit comes on top.
    private(set) var memoryBase = 0
    /// The program process of the moment; the next may be forked once it is gone.
    private(set) weak var child: ZygoteChild?
    private var output: [UInt8] = []
    private(set) var stderrHead: [UInt8] = []

    /// - Parameter modules: names the programs import (a rough reading; the zygote keeps the allowed ones).
    init(launch: SandboxLaunch, script: String, rows: Int, modules: [String], shared: SharedTexts?) throws {
        var pair: [Int32] = [-1, -1]
        let made = ces_seqpacket_pair(&pair)
        guard made == 0 else { throw SandboxProcess.SpawnError(executable: launch.executable, code: -made) }
        defer { close(pair[1]) }
        do {
            process = try SandboxProcess(executable: launch.executable, arguments: launch.arguments(script: script),
                                         environment: OSSandbox.environment, account: launch.account.map { ($0.uid, $0.gid) },
                                         sharedFD: shared?.fd, controlFD: pair[1])
        } catch {
            close(pair[0])
            throw error
        }
        control = pair[0]
        executable = launch.executable
        _ = fcntl(control, F_SETFL, fcntl(control, F_GETFL) | O_NONBLOCK)
        let start: [String: Any] = ["op": "zygote", "rows": rows, "modules": modules, "shared_texts": shared != nil]
        let line = Array(try JSONSerialization.data(withJSONObject: start)) + [0x0A]
        // A short line into an empty pipe goes in one write; a zygote that is already gone shows as its end.
        _ = process.write(line, from: 0)
        process.closeInput()
    }

    deinit {
        if control >= 0 { close(control) }
    }

    /// Descriptors to poll for the zygote's own news.
    var pollDescriptors: [Int32] { [process.stdoutFD, process.stderrFD, control].filter { $0 >= 0 } }

    /// The zygote's process has ended (the program process with it).
    var hasEnded: Bool { process.reap() != nil }

    /// Can fork the next program now.
    var isIdle: Bool { isReady && child == nil && !hasEnded }

    /// Reads what the zygote said without blocking: "ready" on its stdout, its stderr, and on the
    /// control socket the fate of the program process.
    func service() {
        while process.stdoutFD >= 0 {
            let result = process.read(process.stdoutFD, into: &output)
            if case .ended = result { process.closeOutput() }
            guard case .data = result else { break }
        }
        if !isReady, let newline = output.firstIndex(of: 0x0A) {
            let line = output[..<newline]
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], object["zygote"] as? String == "ready" {
                isReady = true
                memoryBase = Self.addressSpace(of: process.pid) ?? 0
            } else {
                stderrHead += Array(line.prefix(1024))  // a fatal report before it was ready: kept for the error
                process.kill()
            }
            output.removeAll()
        }
        var errors: [UInt8] = []
        while process.stderrFD >= 0 {
            let result = process.read(process.stderrFD, into: &errors)
            if case .ended = result { process.closeErrors() }
            guard case .data = result else { break }
        }
        if stderrHead.count < 4096 { stderrHead += errors.prefix(4096 - stderrHead.count) }
        var buffer = [UInt8](repeating: 0, count: 128)
        while control >= 0 {
            let count = buffer.withUnsafeMutableBytes { recv(control, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count < 0, errno == EAGAIN || errno == EINTR { break }
            guard count > 0 else {  // the zygote is gone
                close(control)
                control = -1
                break
            }
            note(String(decoding: buffer[0..<count], as: UTF8.self))
        }
        if hasEnded, let child, child.end == nil { child.end = .signaled(SIGKILL) }
    }

    private func note(_ message: String) {
        let words = message.split(separator: " ")
        switch words.first {
        case "exit":
            guard words.count == 3, let status = Int32(words[2]) else { return }
            child?.end = status < 0 ? .signaled(-status) : .exited(status)
        case "refused":
            child?.end = .exited(125)
        default:
            break  // "forked <pid>": the child's pid in the sandbox's own namespace, of no use here
        }
    }

    /// Forks the next program process, on three new pipes whose far ends go to the zygote.
    func fork() throws -> ZygoteChild {
        precondition(isIdle, "a zygote forks one program process at a time")
        let (ours, theirs) = try PipeEnds.make(for: executable)
        defer { [theirs.input, theirs.output, theirs.errors].forEach { close($0) } }
        let descriptors = [theirs.input, theirs.output, theirs.errors]
        let sent = Array("fork".utf8).withUnsafeBytes { bytes in
            descriptors.withUnsafeBufferPointer { ces_send_descriptors(control, bytes.baseAddress, bytes.count, $0.baseAddress, 3) }
        }
        guard sent > 0 else { throw SandboxProcess.SpawnError(executable: executable, code: Int32(-sent)) }
        let made = ZygoteChild(zygote: self, pipes: ours, baselineCPU: ProcessTreeCPU.seconds(root: process.pid) ?? 0)
        child = made
        return made
    }

    /// The module names on the import lines of `sources` (`import a.b, c as d`, `from e import f`),
    /// without parsing Python: a superset is harmless, a miss only costs that program the import.
    static func importedModules(_ sources: [String]) -> [String] {
        var names: Set<String> = []
        for source in sources {
            for line in source.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == ";" })
                for (index, word) in words.enumerated() where (word == "import" || word == "from") && index + 1 < words.count {
                    if word == "from" { names.insert(String(words[index + 1])); continue }
                    for name in words[(index + 1)...] where name != "as" { names.insert(String(name)) }
                }
            }
        }
        return names.filter { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." } }.sorted()
    }

    /// SIGKILL to the whole sandbox: the only way the engine stops a program process.
    func kill() { process.kill() }

    /// Ends the zygote and waits for it.
    func end() {
        process.kill()
        process.closeAll()
        if control >= 0 {
            close(control)
            control = -1
        }
        _ = process.waitBlocking()
        if let child, child.end == nil { child.end = .signaled(SIGKILL) }
    }

    /// The largest address space in the zygote's process tree (bubblewrap's processes are small,
    /// the interpreter is the large one), from /proc/PID/statm.
    static func addressSpace(of root: pid_t) -> Int? {
        var table = ProcessTable()
        var pending = [root], largest: Int?
        var visited: Set<pid_t> = []
        while let pid = pending.popLast(), visited.count < 16 {
            guard visited.insert(pid).inserted else { continue }
            if let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8),
               let pages = text.split(separator: " ").first.flatMap({ Int($0) }) {
                largest = max(largest ?? 0, pages * Int(sysconf(Int32(_SC_PAGESIZE))))
            }
            pending += table.children(of: pid)
        }
        return largest
    }
}

/// A program process forked by a zygote: our ends of its pipes, and its end as the zygote reported
/// it (or SIGKILL when the whole sandbox went).
final class ZygoteChild: PipedProcess {
    let zygote: SandboxZygote
    let pipes: PipeEnds
    /// The zygote tree's CPU time when this process was asked for: what the tree spends beyond it is this process's.
    let baselineCPU: Double
    var end: ProcessEnd?

    init(zygote: SandboxZygote, pipes: PipeEnds, baselineCPU: Double) {
        self.zygote = zygote
        self.pipes = pipes
        self.baselineCPU = baselineCPU
    }


    /// Kills the whole sandbox (the zygote and this process); a new zygote takes the slot.
    func kill() {
        guard end == nil else { return }
        zygote.kill()
    }

    /// The end once the zygote reported it; nil while the process runs.
    @discardableResult
    func reap() -> ProcessEnd? {
        if end == nil { zygote.service() }
        return end
    }

    /// CPU seconds of this process: the zygote's tree now, less what it had spent before the fork
    /// (the zygote itself only waits meanwhile).
    func cpuSeconds(table: inout ProcessTable) -> Double? {
        ProcessTreeCPU.seconds(root: zygote.process.pid, table: &table).map { max(0, $0 - baselineCPU) }
    }
}
