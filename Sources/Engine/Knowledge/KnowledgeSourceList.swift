import Foundation

/// A knowledge-source JSON file, in the original Alchemist tool's shape (one per dataset):
///
///     {"web_links": [...], "web_pdfs": [...], "wiki_pages": [...],
///      "local_csv": [...], "local_txt": [...], "local_pdf": [...]}
///
/// Every list is optional; any other key is an error. Local paths are relative to the JSON
/// file's folder (absolute paths are taken as they are); URLs must be http or https.
struct KnowledgeSourceList: Sendable, Equatable {
    var webLinks: [String] = []
    var webPDFs: [String] = []
    var wikiPages: [String] = []
    var localCSV: [String] = []
    var localText: [String] = []
    var localPDF: [String] = []

    var hasNetworkSources: Bool { !(webLinks.isEmpty && webPDFs.isEmpty && wikiPages.isEmpty) }

    static func read(_ file: URL) throws -> KnowledgeSourceList {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw KnowledgeError(file: file.path, reason: "cannot read the file (\(JSONReader.describe(error)))")
        }
        do {
            var reader = try JSONReader.parse(data, file: file.path)
            var list = KnowledgeSourceList()
            list.webLinks = try reader.urlList("web_links")
            list.webPDFs = try reader.urlList("web_pdfs")
            list.wikiPages = try reader.entryList("wiki_pages")
            // The API reads "|" as a separator between titles: one entry must stay one page.
            if let index = list.wikiPages.firstIndex(where: { $0.contains("|") }) {
                throw JSONReadError(file: file.path, keyPath: "wiki_pages[\(index)]", reason: "one title per entry (\"|\" separates titles)")
            }
            list.localCSV = try reader.entryList("local_csv")
            list.localText = try reader.entryList("local_txt")
            list.localPDF = try reader.entryList("local_pdf")
            try reader.finish()
            return list
        } catch let error as JSONReadError {
            throw KnowledgeError(file: error.file, reason: error.keyPath.isEmpty ? error.reason : "\(error.keyPath): \(error.reason)")
        }
    }
}

extension JSONReader {
    /// An optional list of non-empty strings; absent or null is an empty list.
    fileprivate mutating func entryList(_ key: String) throws -> [String] {
        let entries = try optionalStringArray(key) ?? []
        for (index, entry) in entries.enumerated() where entry.trimmingCharacters(in: .whitespaces).isEmpty {
            throw JSONReadError(file: file, keyPath: "\(keyPath(key))[\(index)]", reason: "empty entry")
        }
        return entries
    }

    /// Like `entryList`, and every entry must be an http or https URL with a host.
    fileprivate mutating func urlList(_ key: String) throws -> [String] {
        let entries = try entryList(key)
        for (index, entry) in entries.enumerated() {
            guard let url = URL(string: entry), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  url.host?.isEmpty == false else {
                throw JSONReadError(file: file, keyPath: "\(keyPath(key))[\(index)]", reason: "expected an http or https URL, found \"\(entry)\"")
            }
        }
        return entries
    }
}
