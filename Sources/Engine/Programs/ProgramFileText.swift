import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads one program file as UTF-8 text, or says in a few words why it cannot: the reasons
/// `ProgramStore.scan(under:)` reports for the files it skips.
enum ProgramFileText {
    /// The file's text, or the reason it is not a readable program.
    static func read(_ url: URL) -> Result<String, ProgramStoreError> {
        func failure(_ reason: String) -> Result<String, ProgramStoreError> {
            .failure(ProgramStoreError(path: url.path, reason: reason))
        }
        // O_NONBLOCK: opening a FIFO that happens to be named LF1.py must not wait for a writer.
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return failure(openFailure(errno, path: url.path)) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return failure(openFailure(errno, path: url.path)) }
        guard FileKind(mode: info.st_mode) == .regular else { return failure("not a regular file") }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            return failure("cannot read (\(error.localizedDescription))")
        }
        if let problem = problem(in: data) { return failure(problem) }
        return .success(String(decoding: data, as: UTF8.self))
    }

    /// Why `data` is not program text: a NUL byte (a binary file), or the first byte that is not
    /// valid UTF-8 (a Latin-1 file, say). Nil when it is valid UTF-8 without NUL bytes.
    static func problem(in data: Data) -> String? {
        if let nul = data.firstIndex(of: 0) {
            return "binary file (NUL byte at offset \(nul - data.startIndex))"
        }
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded):
                offset += encoded.count
            case .error:
                let byte = data[data.startIndex + offset]
                return "not valid UTF-8 text (byte \(String(format: "0x%02X", byte)) at offset \(offset))"
            case .emptyInput:
                return nil
            }
        }
    }

    /// The reason for a failed open(2) or stat(2) of a program file.
    static func openFailure(_ code: Int32, path: String) -> String {
        switch code {
        case EACCES, EPERM: return "cannot read (permission denied)"
        case ELOOP: return "symbolic link loop"
        case ENOENT:
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                return "broken symbolic link (target \(target) does not exist)"
            }
            return "no such file"
        default: return "cannot read (\(String(cString: strerror(code))))"
        }
    }
}

/// The type bits of a `stat` mode.
enum FileKind: Equatable {
    case regular, directory, symbolicLink, other

    init(mode: mode_t) {
        switch mode & mode_t(S_IFMT) {
        case mode_t(S_IFREG): self = .regular
        case mode_t(S_IFDIR): self = .directory
        case mode_t(S_IFLNK): self = .symbolicLink
        default: self = .other
        }
    }
}
