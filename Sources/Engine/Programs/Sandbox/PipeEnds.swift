import CEngineShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Our ends of a child's three standard pipes: we write its stdin and read its stdout and stderr,
/// all without blocking. A descriptor is -1 once closed.
final class PipeEnds {
    private(set) var input: Int32
    private(set) var output: Int32
    private(set) var errors: Int32
    /// Reused for every read, so reading costs no allocation.
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)

    /// Three new pipes: ours (non-blocking, close-on-exec) and the child's ends (close-on-exec, to be
    /// placed on its 0, 1 and 2 and then closed here).
    static func make(for executable: String) throws -> (ours: PipeEnds, theirs: (input: Int32, output: Int32, errors: Int32)) {
        // SIGPIPE would end the engine when a child dies while we write to it; EPIPE is handled instead.
        signal(SIGPIPE, SIG_IGN)
        var made: [Int32] = []
        for _ in 0..<3 {
            var pair: [Int32] = [-1, -1]
            guard ces_pipe2(&pair, O_CLOEXEC) == 0 else {
                let code = errno
                made.forEach { close($0) }
                throw SandboxProcess.SpawnError(executable: executable, code: code)
            }
            made += pair
        }
        // made: [in.read, in.write, out.read, out.write, err.read, err.write]
        return (PipeEnds(input: made[1], output: made[2], errors: made[4]), (made[0], made[3], made[5]))
    }

    private init(input: Int32, output: Int32, errors: Int32) {
        self.input = input
        self.output = output
        self.errors = errors
        for fd in [input, output, errors] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        // A whole batch fits in the pipe (1 MiB, the unprivileged maximum), so the next one waits
        // there while the child works on the current one. Refused sizes keep the default.
        _ = fcntl(input, 1031 /* F_SETPIPE_SZ */, Int32(1 << 20))
    }

    deinit { closeAll() }

    enum ReadResult { case data(Int), wouldBlock, ended }

    /// Reads what is there (up to 64 KiB) into `buffer`.
    func read(_ fd: Int32, into buffer: inout [UInt8]) -> ReadResult {
        guard fd >= 0 else { return .ended }
        let count = scratch.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count > 0 {
            buffer.append(contentsOf: scratch[0..<count])
            return .data(count)
        }
        if count < 0, errno == EAGAIN || errno == EINTR { return .wouldBlock }
        return .ended
    }

    enum WriteResult { case wrote(Int), wouldBlock, broken }

    /// Writes as much of `bytes[offset...]` as the pipe takes now.
    func write(_ bytes: [UInt8], from offset: Int) -> WriteResult {
        guard input >= 0 else { return .broken }
        let count = bytes.withUnsafeBytes { Glibc.write(input, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
        if count >= 0 { return .wrote(count) }
        if errno == EAGAIN || errno == EINTR { return .wouldBlock }
        return .broken  // EPIPE: the child is gone or closed its input
    }

    func closeInput() {
        if input >= 0 { close(input); input = -1 }
    }

    func closeOutput() {
        if output >= 0 { close(output); output = -1 }
    }

    func closeErrors() {
        if errors >= 0 { close(errors); errors = -1 }
    }

    func closeAll() {
        closeInput(); closeOutput(); closeErrors()
    }
}

/// A process the engine talks to through `PipeEnds`: its descriptors and I/O, in one place.
protocol PipedProcess: AnyObject {
    var pipes: PipeEnds { get }
}

extension PipedProcess {
    var stdinFD: Int32 { pipes.input }
    var stdoutFD: Int32 { pipes.output }
    var stderrFD: Int32 { pipes.errors }
    func read(_ fd: Int32, into buffer: inout [UInt8]) -> PipeEnds.ReadResult { pipes.read(fd, into: &buffer) }
    func write(_ bytes: [UInt8], from offset: Int) -> PipeEnds.WriteResult { pipes.write(bytes, from: offset) }
    func closeInput() { pipes.closeInput() }
    func closeOutput() { pipes.closeOutput() }
    func closeErrors() { pipes.closeErrors() }
    func closeAll() { pipes.closeAll() }
}
