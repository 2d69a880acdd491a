import Foundation

/// Takes one file out of a zip archive, through python3's zipfile (python3 is required for the
/// sandbox anyway; Foundation on Linux has no zip reader).
enum ZipMember {
    static let script = """
        import sys, zipfile
        try:
            archive = zipfile.ZipFile(sys.argv[1])
        except zipfile.BadZipFile:
            sys.stderr.write("not a zip archive\\n")
            sys.exit(3)
        with archive:
            names = archive.namelist()
            if sys.argv[2] not in names:
                sys.stderr.write("no member " + sys.argv[2] + " (the archive holds " + ", ".join(names[:12]) + ")\\n")
                sys.exit(4)
            with archive.open(sys.argv[2]) as source, open(sys.argv[3], "wb") as target:
                while True:
                    block = source.read(1 << 20)
                    if not block:
                        break
                    target.write(block)
        """

    /// Writes `member` of `archive` to `destination`.
    /// - Parameter label: how errors name the archive (its URL).
    /// - Throws: `DatasetError` naming the archive: not a zip, no such member, python3 missing.
    static func extract(_ member: String, from archive: URL, to destination: URL, label: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, archive.path, member, destination.path]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DatasetError(file: label, reason: "cannot start python3 to open the zip archive (\(error.localizedDescription))")
        }
        let errorText = PipeDrain(errors.fileHandleForReading)
        process.waitUntilExit()
        let message = String(decoding: errorText.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            let last = message.split(separator: "\n").last.map(String.init) ?? "python3 failed"
            throw DatasetError(file: label, reason: "expected a zip archive holding \(member): \(last)")
        }
    }
}
