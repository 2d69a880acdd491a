import CSV
import Foundation

/// A CSV file with a header row: one document per data row, its text the row's non-empty
/// fields as "header: value" lines. Rows are numbered from 1 after the header ("file.csv#row 3"),
/// counting records, not lines, since quoted fields may hold line breaks.
enum CSVRowReader {
    static func read(_ file: URL, source: String) throws -> [KnowledgeDocument] {
        let text = try TextDecoding.utf8(TextDecoding.readFile(file))
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw SourceFailure("the file is empty") }
        // CSV.swift reads an unclosed quote as a field running to the end of the file; refuse that instead.
        if let row = unclosedQuoteRow(text) { throw SourceFailure("malformed CSV: a quoted field opened in row \(row) is never closed") }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw SourceFailure("cannot read the CSV header (\(error))")
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        var documents: [KnowledgeDocument] = []
        var row = 0
        while let fields = reader.next() {
            row += 1
            let lines = fields.enumerated().compactMap { column, value -> String? in
                let value = value.trimmingCharacters(in: .whitespaces)
                guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
                let name = column < header.count && !header[column].isEmpty ? header[column] : "column \(column + 1)"
                return "\(name): \(value)"
            }
            if lines.isEmpty { continue }  // a blank line or a row of empty fields
            documents.append(KnowledgeDocument(source: "\(source)#row \(row)", text: lines.joined(separator: "\n")))
        }
        if let error = reader.error {
            throw SourceFailure("malformed CSV at row \(row + 1) (\(error))")
        }
        guard !documents.isEmpty else { throw SourceFailure("no rows with text") }
        return documents
    }

    /// The data row (header = 0) where a quoted field starts that has no closing quote, if any.
    /// RFC 4180: a field is quoted when it starts with `"`; inside it `""` is a quote.
    static func unclosedQuoteRow(_ text: String) -> Int? {
        var record = 0
        var quotedSince: Int?
        var atFieldStart = true
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if quotedSince != nil {
                guard scalar == "\"" else { continue }
                let next = scalars.next()
                if next == "\"" { continue }  // an escaped quote
                quotedSince = nil
                pending = next
                atFieldStart = false
                if next == nil { break }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart: quotedSince = record
            case ",": atFieldStart = true; continue
            case "\n": record += 1; atFieldStart = true; continue
            default: break
            }
            atFieldStart = false
        }
        return quotedSince
    }
}
