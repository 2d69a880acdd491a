import Foundation

/// Turns the downloaded files of a public source into the project's dataset layout: each file read
/// in its own format, label values mapped to config.json's classes, then one seeded, stratified
/// split (`NamedSource.splitSeed`):
/// - a source's own test file stays the test split; from its own train file a tenth of the rows
///   (per class, largest remainder) become the valid split;
/// - a single file of labeled rows is split by `SplitSize.defaults`: a tenth each to valid and
///   test from 2,000 rows on, else a quarter each.
public enum SourceConverter {
    /// One downloaded file: where it came from and where it lies now.
    public struct Download: Sendable {
        public var file: SourceFile
        public var url: String
        public var local: URL

        public init(file: SourceFile, url: String, local: URL) {
            self.file = file
            self.url = url
            self.local = local
        }
    }

    /// The rows of every file, before the split.
    struct Rows {
        var ids: [String] = []
        var texts: [String] = []
        var labels: [Int] = []
        var roles: [SourceFileRole] = []
        /// Per label value left out (`droppedLabels`), how many rows.
        var dropped: [String: Int] = [:]
        var emptyTexts = 0
    }

    /// Reads, maps, splits and writes the dataset as `<dataDir>/<spec.name>/`.
    /// - Throws: `DatasetError` naming the URL and what was expected (a column, a label value, a zip member).
    @discardableResult
    public static func install(_ source: NamedSource, spec: DatasetSpec, downloads: [Download], into dataDir: URL,
                               replace: Bool) throws -> URL {
        let rows = try read(source, classes: spec.labels, downloads: downloads)
        let split = makeSplit(rows, classCount: spec.labels.count)
        let provenance = provenance(source, downloads: downloads, rows: rows, split: split, classes: spec.labels)
        let contents = DatasetFolder.Contents(
            name: spec.name, description: spec.description, classes: spec.labels, ids: rows.ids, texts: rows.texts,
            labels: rows.labels.map { Optional($0) }, split: split, source: provenance,
            readme: readme(source, spec: spec, downloads: downloads, split: split, rows: rows))
        return try DatasetFolder.write(contents, into: dataDir, replace: replace, purpose: "converting")
    }

    static func read(_ source: NamedSource, classes: [String], downloads: [Download]) throws -> Rows {
        var rows = Rows()
        for download in downloads {
            let before = rows.texts.count
            switch source.format {
            case .csv, .parquet:
                try readTable(download, source: source, into: &rows)
            case .zippedAtSeparatedLatin1:
                try readPhraseLines(download, source: source, into: &rows)
            }
            if rows.texts.count == before {
                throw DatasetError(file: download.url, reason: "no labeled row with a text in the file")
            }
        }
        let counts = (0..<classes.count).map { id in rows.labels.filter { $0 == id }.count }
        if let missing = counts.firstIndex(of: 0) {
            throw DatasetError(file: downloads.first?.url ?? source.dataset,
                               reason: "no row of class \(classes[missing]); expected label values \(expectedValues(source))")
        }
        return rows
    }

    /// CSV or Parquet with the source's text and label columns.
    static func readTable(_ download: Download, source: NamedSource, into rows: inout Rows) throws {
        guard let textColumn = source.textColumn, let labelColumn = source.labelColumn else {
            throw DatasetError(file: download.url, reason: "the source table names no text and label column")
        }
        let table: TabularFile
        do { table = try TabularFile.read(download.local) } catch let error as DatasetError {
            throw DatasetError(file: download.url, example: error.example, reason: "expected \(source.format.rawValue): \(error.reason)")
        }
        let missing = [textColumn, labelColumn].filter { !table.columns.contains($0) }
        guard missing.isEmpty else {
            throw DatasetError(file: download.url, reason: "expected the column\(missing.count == 1 ? "" : "s") \(missing.map { "\"\($0)\"" }.joined(separator: " and ")); the file has \(table.columns.joined(separator: ", "))")
        }
        let stem = (download.file.name as NSString).deletingPathExtension
        for (index, row) in table.rows.enumerated() {
            let place = table.format == .parquet ? "row \(index + 1)" : "line \(row.line)"
            let value = normalised(row.values[labelColumn] ?? "")
            try add(text: row.values[textColumn] ?? "", label: value, id: "\(stem)-\(index)", role: download.file.role,
                    source: source, url: download.url, place: place, into: &rows)
        }
    }

    /// The Financial PhraseBank: a zip member of Latin-1 `sentence@label` lines.
    static func readPhraseLines(_ download: Download, source: NamedSource, into rows: inout Rows) throws {
        guard let member = download.file.member else {
            throw DatasetError(file: download.url, reason: "the source table names no file inside the archive")
        }
        let extracted = download.local.deletingLastPathComponent().appendingPathComponent("\(download.local.lastPathComponent).member")
        try ZipMember.extract(member, from: download.local, to: extracted, label: download.url)
        let data: Data
        do { data = try Data(contentsOf: extracted) } catch {
            throw DatasetError(file: "\(download.url) (\(member))", reason: "cannot read the extracted file (\(JSONReader.describe(error)))")
        }
        // Latin-1 maps every byte to a character, so decoding cannot fail; a UTF-8 file would show as mojibake, not as an error.
        let text = String(data: data, encoding: .isoLatin1) ?? ""
        var line = 0
        for piece in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            line += 1
            guard !piece.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let at = piece.lastIndex(of: "@") else {
                throw DatasetError(file: "\(download.url) (\(member))", example: "line \(line)",
                                   reason: "expected \"sentence@label\" with label \(expectedValues(source))")
            }
            try add(text: String(piece[..<at]), label: String(piece[piece.index(after: at)...]).trimmingCharacters(in: .whitespaces),
                    id: "\(line - 1)", role: download.file.role, source: source, url: "\(download.url) (\(member))",
                    place: "line \(line)", into: &rows)
        }
    }

    static func add(text: String, label: String, id: String, role: SourceFileRole, source: NamedSource, url: String,
                    place: String, into rows: inout Rows) throws {
        if source.droppedLabels.contains(label) {
            rows.dropped[label, default: 0] += 1
            return
        }
        guard let classID = source.labelMap[label] else {
            throw DatasetError(file: url, example: place, reason: "label \"\(label)\" is not one of \(expectedValues(source))")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            rows.emptyTexts += 1
            return
        }
        rows.ids.append(id)
        rows.texts.append(trimmed)
        rows.labels.append(classID)
        rows.roles.append(role)
    }

    /// "1.0" and "1" are the same label value (Parquet integers may come back as floats).
    static func normalised(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let number = Double(trimmed), number == number.rounded(), abs(number) < 1e9, trimmed.contains(".") {
            return String(Int(number))
        }
        return trimmed
    }

    static func expectedValues(_ source: NamedSource) -> String {
        (source.labelMap.sorted { $0.value < $1.value }.map(\.key) + source.droppedLabels).map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// The seeded, stratified split of the rows (see the type's comment).
    static func makeSplit(_ rows: Rows, classCount: Int) -> StratifiedSplit {
        var train: [Int] = [], valid: [Int] = [], test: [Int] = []
        let ownTest = rows.roles.indices.filter { rows.roles[$0] == .test }
        let ownTrain = rows.roles.indices.filter { rows.roles[$0] == .train }
        let pooled = rows.roles.indices.filter { rows.roles[$0] == .all }
        test += ownTest
        if !ownTrain.isEmpty {
            let part = StratifiedSplit.make(labels: ownTrain.map { rows.labels[$0] }, classCount: classCount,
                                            valid: NamedSource.validShareOfTrain.rows(of: ownTrain.count), test: 0,
                                            seed: NamedSource.splitSeed)
            train += part.train.map { ownTrain[$0] }
            valid += part.valid.map { ownTrain[$0] }
        }
        if !pooled.isEmpty {
            let sizes = SplitSize.defaults(labeled: pooled.count, unlabeled: 0)
            let part = StratifiedSplit.make(labels: pooled.map { rows.labels[$0] }, classCount: classCount,
                                            valid: sizes.valid.rows(of: pooled.count), test: sizes.test.rows(of: pooled.count),
                                            seed: NamedSource.splitSeed)
            train += part.train.map { pooled[$0] }
            valid += part.valid.map { pooled[$0] }
            test += part.test.map { pooled[$0] }
        }
        return StratifiedSplit(train: train.sorted(), valid: valid.sorted(), test: test.sorted())
    }

    static func classCounts(_ rows: Rows, _ indices: [Int], classes: [String]) -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: classes.map { ($0, 0) })
        for index in indices { counts[classes[rows.labels[index]], default: 0] += 1 }
        return counts
    }

    static func splitRule(_ source: NamedSource) -> String {
        source.files.contains { $0.role == .test }
            ? "the source's test file is the test split; a stratified tenth of its train file (seed \(NamedSource.splitSeed)) is the valid split"
            : "stratified by class with seed \(NamedSource.splitSeed): a tenth each to valid and test from 2,000 rows on, else a quarter each"
    }

    static func provenance(_ source: NamedSource, downloads: [Download], rows: Rows, split: StratifiedSplit, classes: [String]) -> [String: Any] {
        var counts: [String: Any] = [:]
        var perClass: [String: Any] = [:]
        for name in SplitName.allCases {
            counts[name.rawValue] = split.rows(of: name).count
            perClass[name.rawValue] = classCounts(rows, split.rows(of: name), classes: classes)
        }
        return [
            "corpus": source.corpus, "homepage": source.homepage, "licence": source.licence, "format": source.format.rawValue,
            "urls": source.files.map(\.url), "downloaded_from": downloads.map(\.url),
            "members": source.files.compactMap(\.member),
            "text_column": source.textColumn ?? NSNull(), "label_column": source.labelColumn ?? NSNull(),
            "label_map": source.labelMap.mapValues { classes[$0] }, "dropped_labels": rows.dropped,
            "empty_texts_left_out": rows.emptyTexts, "note": source.note,
            "split_rule": splitRule(source), "split_seed": NamedSource.splitSeed,
            "rows": counts, "rows_per_class": perClass,
            "fetched": ISO8601DateFormatter().string(from: Date()),
        ]
    }

    static func readme(_ source: NamedSource, spec: DatasetSpec, downloads: [Download], split: StratifiedSplit, rows: Rows) -> String {
        var lines = ["# \(spec.name): \(spec.title)", "",
                     "Fetched by `alchemist datasets fetch \(spec.name)` on \(ISO8601DateFormatter().string(from: Date())).", "",
                     "- Corpus: \(source.corpus)", "- Homepage: \(source.homepage)", "- Licence: \(source.licence)",
                     "- Format: \(source.format.rawValue)"]
        for file in source.files { lines.append("- File (\(file.role.rawValue)): \(file.url)\(file.member.map { " → \($0)" } ?? "")") }
        if downloads.map(\.url) != source.files.map(\.url) {
            lines.append("- Downloaded from: \(downloads.map(\.url).joined(separator: ", "))")
        }
        let mapping = source.labelMap.sorted { $0.value < $1.value }.map { "\($0.key) → \(spec.labels[$0.value])" }
        lines.append("- Labels: \(mapping.joined(separator: ", "))")
        if !rows.dropped.isEmpty {
            lines.append("- Left out: \(rows.dropped.sorted { $0.key < $1.key }.map { "\($0.value) row(s) labeled \($0.key)" }.joined(separator: ", "))")
        }
        if rows.emptyTexts > 0 { lines.append("- Left out: \(rows.emptyTexts) row(s) with an empty text") }
        lines.append("- Note: \(source.note)")
        lines.append("- Split: \(splitRule(source))")
        lines += ["", "| split | rows | " + spec.labels.joined(separator: " | ") + " |",
                  "|---|---|" + String(repeating: "---|", count: spec.labels.count)]
        for name in SplitName.allCases {
            let indices = split.rows(of: name)
            let counts = classCounts(rows, indices, classes: spec.labels)
            lines.append("| \(name.rawValue) | \(indices.count) | " + spec.labels.map { String(counts[$0] ?? 0) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
