import Foundation

/// Writes a file so it appears whole or not at all: a temporary file in the same folder, then rename.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { try data.write(to: $0) }
    }

    /// Writes the file piece by piece: `fill` gets a handle on the temporary file.
    public static func write(to url: URL, streaming fill: (FileHandle) throws -> Void) throws {
        try write(to: url) { temp in
            guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temp.path])
            }
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            try fill(handle)
        }
    }

    private static func write(to url: URL, with writeTemporary: (URL) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try writeTemporary(temp)
            if rename(temp.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }
}
