import Crypto
import Foundation

/// Votes of programs already applied to a split, kept under `<app home>/runs/<dataset>/.votes/`
/// so that labeling again with unchanged programs on unchanged data applies nothing.
///
/// A split's texts, its class count and the sandbox worker's code make its data key (a folder);
/// in it each program has `<sha256 of its source>.votes` (one byte a vote) and `.json` (its report).
/// Only deterministic outcomes are kept: a program that timed out, hit a limit, was killed or
/// stopped depends on the machine's load that day, so it is applied again next time.
public struct VoteCache: Sendable {
    public let folder: URL
    /// Data keys kept per dataset; older ones are removed when a new one is written.
    static let keptDataKeys = 6

    public init(runsFolder: URL, dataset: String) {
        folder = runsFolder.appendingPathComponent(dataset).appendingPathComponent(".votes")
    }

    /// The key of `texts` as `classCount` classes see them through `workerScript`.
    public static func dataKey(texts: [String], classCount: Int, workerScript: String) -> String {
        var key = DataKey(classCount: classCount, workerScript: workerScript)
        key.add(texts)
        return key.finish()
    }

    /// A split's data key computed window by window as the split streams past.
    public struct DataKey {
        private var hasher = SHA256()
        private var rows = 0

        public init(classCount: Int, workerScript: String) {
            hasher.update(data: Data("classes \(classCount)\nworker \(ContentHash.sha256Hex(workerScript))\n".utf8))
        }

        public mutating func add(_ texts: [String]) {
            for text in texts {
                var text = text
                var length = UInt64(text.utf8.count).littleEndian
                withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
                text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            }
            rows += texts.count
        }

        public func finish() -> String {
            var hasher = hasher
            hasher.update(data: Data("rows \(rows)\n".utf8))
            return hasher.finalize().prefix(16).map { String(format: "%02x", $0) }.joined()
        }
    }

    public struct Entry: Sendable, Equatable {
        public var votes: [LabelMatrix.Vote]
        public var report: ProgramReport
    }

    /// The kept votes of the program with source `source` under `dataKey`, when they cover `rows` rows.
    public func load(source: String, dataKey: String, rows: Int) -> Entry? {
        let base = folder.appendingPathComponent(dataKey).appendingPathComponent(ContentHash.sha256Hex(source))
        guard let votes = try? Data(contentsOf: base.appendingPathExtension("votes")), votes.count == rows,
              let reportData = try? Data(contentsOf: base.appendingPathExtension("json")),
              let object = try? JSONSerialization.jsonObject(with: reportData) as? [String: Any],
              let errors = object["errors"] as? Int, let invalid = object["invalid"] as? Int else { return nil }
        var report = ProgramReport(name: object["name"] as? String ?? "")
        report.errors = errors
        report.invalid = invalid
        // Program output read back from a file: cleaned again, as everything a program says is.
        report.firstError = (object["first_error"] as? String).map { ProgramOutputText.clean($0) }
        return Entry(votes: votes.map { LabelMatrix.Vote(bitPattern: $0) }, report: report)
    }

    /// Keeps a program's votes when its outcome does not depend on the machine; true when kept.
    @discardableResult
    public func store(source: String, dataKey: String, votes: [LabelMatrix.Vote], report: ProgramReport) -> Bool {
        guard Self.isDeterministic(report) else { return false }
        let keyFolder = folder.appendingPathComponent(dataKey)
        let base = keyFolder.appendingPathComponent(ContentHash.sha256Hex(source))
        var object: [String: Any] = ["name": report.name, "errors": report.errors, "invalid": report.invalid, "rows": votes.count]
        if let first = report.firstError { object["first_error"] = first }
        do {
            let isNewKey = !FileManager.default.fileExists(atPath: keyFolder.path)
            try AtomicFile.write(Data(votes.map { UInt8(bitPattern: $0) }), to: base.appendingPathExtension("votes"))
            try AtomicFile.write(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
                                 to: base.appendingPathExtension("json"))
            if isNewKey { pruneDataKeys(keeping: dataKey) }
            return true
        } catch {
            return false  // a cache that cannot be written only costs the next run its time
        }
    }

    static func isDeterministic(_ report: ProgramReport) -> Bool {
        report.loadError == nil && report.timeouts == 0 && report.limitHits == 0 && report.kills == 0 && !report.stopped
    }

    /// Removes the oldest data keys beyond `keptDataKeys` (by modification time), never `current`.
    private func pruneDataKeys(keeping current: String) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: folder.path) else { return }
        let dated = names.filter { $0 != current && !$0.hasPrefix(".") }.map { name -> (String, Date) in
            let date = (try? fileManager.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.modificationDate] as? Date) ?? .distantPast
            return (name, date)
        }.sorted { $0.1 > $1.1 }
        for (name, _) in dated.dropFirst(Self.keptDataKeys - 1) {
            try? fileManager.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
