import Engine
import Foundation
import Testing
import TestSupport

/// Program discovery skips the files it cannot read, saying why, and goes on.
@Suite struct ProgramScanTests {
    static let good = "def label_function(text):\n    return 1 if 'free' in text else -1\n"

    /// A folder with one good program and one file of each kind that cannot be read.
    static func hostileFolder() throws -> URL {
        let root = try TestEnvironment.temporaryFolder("scan")
        let files = FileManager.default
        try Data(good.utf8).write(to: root.appendingPathComponent("LF1.py"))
        try Data([0x64, 0x65, 0x66, 0x00, 0x01, 0x02]).write(to: root.appendingPathComponent("LF2.py"))
        // "# café = 1" in Latin-1: 0xE9 at offset 5.
        try Data([0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x20, 0x3D, 0x20, 0x31, 0x0A]).write(to: root.appendingPathComponent("LF3.py"))
        try files.createSymbolicLink(atPath: root.appendingPathComponent("LF4.py").path, withDestinationPath: "gone.py")
        try files.createSymbolicLink(atPath: root.appendingPathComponent("a.py").path, withDestinationPath: "b.py")
        try files.createSymbolicLink(atPath: root.appendingPathComponent("b.py").path, withDestinationPath: "a.py")
        let dir = root.appendingPathComponent("dir")
        try files.createDirectory(at: dir, withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: dir.appendingPathComponent("loop").path, withDestinationPath: "..")
        try Data("not a program".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        return root
    }

    @Test func unreadableFilesAreSkippedWithTheirReason() throws {
        let root = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let scan = try ProgramStore.scan(under: root)
        #expect(scan.programs.map(\.name) == ["LF1"])
        #expect(scan.programs.first?.code == Self.good)
        let reasons = Dictionary(uniqueKeysWithValues: scan.skipped.map {
            (String($0.path.dropFirst(root.path.count + 1)), $0.reason)
        })
        #expect(reasons.count == scan.skipped.count)
        #expect(reasons == [
            "LF2.py": "binary file (NUL byte at offset 3)",
            "LF3.py": "not valid UTF-8 text (byte 0xE9 at offset 5)",
            "LF4.py": "broken symbolic link (target gone.py does not exist)",
            "a.py": "symbolic link loop",
            "b.py": "symbolic link loop",
            "dir/loop": "symbolic link loop (leads back to \(root.path))",
        ])
        // Each entry names its file.
        for error in scan.skipped { #expect(error.description.hasPrefix(error.path + ": ")) }
    }

    @Test func programsStillReturnsTheReadableOnes() throws {
        let root = try Self.hostileFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try ProgramStore.programs(under: root).map(\.name) == ["LF1"])
    }

    @Test func aLinkToAFolderOutsideIsFollowed() throws {
        let root = try TestEnvironment.temporaryFolder("scan-link")
        let outside = try TestEnvironment.temporaryFolder("scan-outside")
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: outside)
        }
        try Data(Self.good.utf8).write(to: outside.appendingPathComponent("LF7.py"))
        try Data(Self.good.utf8).write(to: root.appendingPathComponent("LF1.py"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("shared").path, withDestinationPath: outside.path)
        let scan = try ProgramStore.scan(under: root)
        #expect(scan.programs.map(\.name) == ["LF1", "shared/LF7"])
        #expect(scan.skipped.isEmpty)
    }

    @Test func anUnreadableFileSaysPermissionDenied() throws {
        // root reads any file whatever its mode: nothing to check there.
        guard getuid() != 0 else { return }
        let root = try TestEnvironment.temporaryFolder("scan-mode")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("LF1.py")
        try Data(Self.good.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
        let scan = try ProgramStore.scan(under: root)
        #expect(scan.programs.isEmpty)
        #expect(scan.skipped.map(\.reason) == ["cannot read (permission denied)"])
    }

    @Test func aMissingFolderIsStillAnError() throws {
        let root = try TestEnvironment.temporaryFolder("scan-missing")
        try FileManager.default.removeItem(at: root)
        #expect(throws: ProgramStoreError.self) { try ProgramStore.scan(under: root) }
    }

    @Test func aSingleUnreadableFileIsSkippedNotThrown() throws {
        let root = try TestEnvironment.temporaryFolder("scan-single")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("LF1.py")
        try Data([0xFF, 0xFE]).write(to: file)
        let scan = try ProgramStore.scan(under: file)
        #expect(scan.programs.isEmpty)
        #expect(scan.skipped.map(\.description) == ["\(file.path): not valid UTF-8 text (byte 0xFF at offset 0)"])
    }

    @Test func invalidUTF8IsFoundWhereItIs() {
        let valid = Array("naïve 緊急 🚀 ok\n".utf8)
        // A truncated three-byte sequence, an overlong encoding, a UTF-16 surrogate.
        for (tail, byte) in [([0xE7, 0xB7] as [UInt8], "0xE7"), ([0xC0, 0xAF], "0xC0"), ([0xED, 0xA0, 0x80], "0xED")] {
            let reason = ProgramScanProbe.problem(in: Data(valid + tail + Array("x".utf8)))
            #expect(reason == "not valid UTF-8 text (byte \(byte) at offset \(valid.count))")
        }
        #expect(ProgramScanProbe.problem(in: Data(valid)) == nil)
    }
}

/// Runs the reason finder through the public scan, on a file holding `data`.
enum ProgramScanProbe {
    static func problem(in data: Data) -> String? {
        guard let root = try? TestEnvironment.temporaryFolder("probe") else { return "no temporary folder" }
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("LF1.py")
        guard (try? data.write(to: file)) != nil, let scan = try? ProgramStore.scan(under: file) else { return "cannot write" }
        return scan.skipped.first?.reason
    }
}
