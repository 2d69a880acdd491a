import Foundation

/// The formats a split file may have: those of datasets (`DatasetFormat`), one file a split.
public typealias SplitFileFormat = DatasetFormat

extension DatasetFormat {
    /// The file name extension a split file of this format has.
    public var fileExtension: String { self == .wrench ? "json" : rawValue }
}

public enum SplitFile {
    /// Opens a split file of the given format as a stream of rows.
    /// - Throws: `DatasetError` when the file cannot be opened, has more classes than a label
    ///   holds (127), or (CSV, TSV) its header lacks the text column.
    /// - Parameter wrenchIDsInAnyOrder: take a WRENCH file's rows in file order whatever its ids
    ///   (files written with sorted keys put "10" before "2"), instead of requiring "0", "1", ….
    public static func open(_ file: URL, format: SplitFileFormat, fields: RowFields, wrenchIDsInAnyOrder: Bool = false) throws -> any RowStream {
        try open(file, format: format, fields: fields, blockSize: ByteReader.defaultBlockSize, wrenchIDsInAnyOrder: wrenchIDsInAnyOrder)
    }

    /// `open` with the size of the blocks read (tests use tiny ones to split rows across reads).
    static func open(_ file: URL, format: SplitFileFormat, fields: RowFields, blockSize: Int,
                     wrenchIDsInAnyOrder: Bool = false) throws(DatasetError) -> any RowStream {
        try fields.requireLabelsFit(file: file)
        switch format {
        case .wrench:
            return WrenchRowStream(reader: try ByteReader(file: file, blockSize: blockSize), fields: fields, idsInAnyOrder: wrenchIDsInAnyOrder)
        case .csv, .tsv:
            let separator = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t")
            return try DelimitedRowStream(reader: try ByteReader(file: file, blockSize: blockSize), separator: separator, fields: fields)
        case .jsonl:
            return JSONLinesRowStream(reader: try ByteReader(file: file, blockSize: blockSize), fields: fields)
        case .parquet:
            return try ParquetRowStream(file: file, fields: fields, blockSize: blockSize)
        }
    }

    /// The format a split file's name says: .json is WRENCH; nil for other names.
    public static func format(of url: URL) -> SplitFileFormat? {
        switch url.pathExtension.lowercased() {
        case "json": return .wrench
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "jsonl", "ndjson": return .jsonl
        case "parquet", "pq": return .parquet
        default: return nil
        }
    }

    /// Reads a whole split file into a `DatasetSplit` through its stream.
    /// - Throws: `DatasetError` for a bad row, or when the file has no rows.
    static func readSplit(_ file: URL, format: SplitFileFormat, fields: RowFields, name: SplitName) throws -> DatasetSplit {
        var stream = try open(file, format: format, fields: fields)
        let rows = try stream.collectAll()
        guard rows.count > 0 else { throw DatasetError(file: file.path, reason: "the split has no examples") }
        return DatasetSplit(rows, name: name)
    }
}

extension DatasetSplit {
    /// The rows of a whole split, with -1 (unlabeled) as nil.
    init(_ rows: RowChunk, name: SplitName) {
        self.init(name: name, ids: rows.ids, texts: rows.texts, labels: rows.labels.map { $0 < 0 ? nil : Int($0) },
                  weakLabels: rows.weakLabels.map { $0.map { $0.map(Int.init) } })
    }
}
