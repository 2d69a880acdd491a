import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `ProgramStore.scan(under:)` found: the programs it could read, and the files it skipped,
/// each with the reason (binary, not UTF-8, a broken symbolic link, a loop, no permission).
public struct ProgramScan: Sendable {
    public var programs: [LabelingProgram]
    public var skipped: [ProgramStoreError]

    public init(programs: [LabelingProgram] = [], skipped: [ProgramStoreError] = []) {
        self.programs = programs
        self.skipped = skipped
    }
}

extension ProgramStore {
    /// Every `.py` file under `folder` (recursively, hidden names left out), in natural order
    /// (LF2 before LF10), parsed; a file that cannot be read is skipped and listed with the reason.
    ///
    /// Symbolic links: a link to a file is read through it. A link to a folder is followed, except
    /// when the folder it leads to is one the walk is already inside (the folder itself or one
    /// containing it, compared by device and inode): that link is a loop, skipped as "symbolic link
    /// loop", so the walk always ends. (The walk is its own, with lstat and stat, rather than
    /// FileManager's enumerator, so that each of these cases gets its own reason.)
    ///
    /// - Throws: when `folder` does not exist or cannot be listed.
    public static func scan(under folder: URL) throws -> ProgramScan {
        var info = stat()
        guard stat(folder.path, &info) == 0 else {
            throw ProgramStoreError(path: folder.path, reason: "no such folder")
        }
        var walk = ProgramWalk()
        if FileKind(mode: info.st_mode) == .directory {
            if let error = walk.list(folder, names: [], inside: [(FolderID(info), folder)]) { throw error }
        } else {
            let name = folder.pathExtension == "py" ? folder.deletingPathExtension().lastPathComponent : folder.lastPathComponent
            walk.candidates.append((name, folder))
        }
        var scan = ProgramScan()
        var skipped = walk.skipped
        for (name, url) in walk.candidates.sorted(by: { naturalOrder($0.0, $1.0) }) {
            switch ProgramFileText.read(url) {
            case .success(let text): scan.programs.append(ProgramFile.parse(text, name: name, path: url))
            case .failure(let error): skipped.append((name, error))
            }
        }
        scan.skipped = skipped.sorted { naturalOrder($0.0, $1.0) }.map(\.1)
        return scan
    }

    static func naturalOrder(_ left: String, _ right: String) -> Bool {
        left.localizedStandardCompare(right) == .orderedAscending
    }
}

/// A folder's identity, to tell when a symbolic link leads back into a folder being walked.
struct FolderID: Hashable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
    }
}

/// The recursive listing behind `ProgramStore.scan(under:)`: the `.py` files to read, with their
/// names relative to the root (without ".py"), and what was skipped on the way.
struct ProgramWalk {
    var candidates: [(String, URL)] = []
    var skipped: [(String, ProgramStoreError)] = []
    /// Folders listed so far: one reached again through another link is not listed twice (links
    /// could otherwise multiply the walk without any loop).
    private var listed: Set<FolderID> = []

    /// Lists `folder`; `names` are its path components below the root, `inside` the folders from
    /// the root down to it. Returns why the folder cannot be listed (the root's failure is an error,
    /// a subfolder's a skipped entry).
    mutating func list(_ folder: URL, names: [String], inside: [(FolderID, URL)]) -> ProgramStoreError? {
        if let own = inside.last { listed.insert(own.0) }
        guard let directory = opendir(folder.path) else {
            let code = errno
            let reason = code == EACCES || code == EPERM ? "cannot list the folder (permission denied)"
                : "cannot list the folder (\(String(cString: strerror(code))))"
            return ProgramStoreError(path: folder.path, reason: reason)
        }
        var entries: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let shown = String(decoding: bytes, as: UTF8.self)
                if shown.hasSuffix(".py") {
                    let error = ProgramStoreError(path: folder.appendingPathComponent(shown).path, reason: "file name is not valid UTF-8")
                    skipped.append(((names + [shown]).joined(separator: "/"), error))
                }
                continue
            }
            if !name.hasPrefix(".") { entries.append(name) }
        }
        closedir(directory)
        for name in entries {
            visit(folder.appendingPathComponent(name), names: names + [name], inside: inside)
        }
        return nil
    }

    private mutating func visit(_ url: URL, names: [String], inside: [(FolderID, URL)]) {
        let relative = names.joined(separator: "/")
        let isProgram = url.pathExtension == "py"
        func skip(_ reason: String) { skipped.append((relative, ProgramStoreError(path: url.path, reason: reason))) }
        var own = stat()
        guard lstat(url.path, &own) == 0 else {
            // Gone since the listing.
            if isProgram { skip(ProgramFileText.openFailure(errno, path: url.path)) }
            return
        }
        var info = own
        if FileKind(mode: own.st_mode) == .symbolicLink, stat(url.path, &info) != 0 {
            // A link that leads nowhere is only worth a word when it claims to be a program.
            if isProgram { skip(ProgramFileText.openFailure(errno, path: url.path)) }
            return
        }
        switch FileKind(mode: info.st_mode) {
        case .directory:
            let id = FolderID(info)
            if let ancestor = inside.first(where: { $0.0 == id }) {
                skip("symbolic link loop (leads back to \(ancestor.1.path))")
            } else if !listed.insert(id).inserted {
                return
            } else if let error = list(url, names: names, inside: inside + [(id, url)]) {
                skipped.append((relative, error))
            }
        case .regular:
            if isProgram { candidates.append((String(relative.dropLast(3)), url)) }
        case .symbolicLink, .other:
            if isProgram { skip("not a regular file") }
        }
    }
}
