import Foundation

/// The names a new dataset may take, the same for `datasets add` and the TUI.
extension DatasetImport {
    /// A valid name from a file's name: "My tickets (2024).csv" → "My_tickets_2024"; "dataset" when nothing is left.
    public static func suggestedName(for file: URL) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
        var name = ""
        for scalar in file.deletingPathExtension().lastPathComponent.unicodeScalars {
            if scalar.isASCII, allowed.contains(scalar) {
                name.unicodeScalars.append(scalar)
            } else if !name.isEmpty, !name.hasSuffix("_") {
                name.append("_")
            }
        }
        var trimmed = Substring(name)
        while trimmed.hasPrefix("-") || trimmed.hasPrefix("_") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("_") { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? "dataset" : String(trimmed.prefix(64))
    }

    /// Refuses a name a dataset of the catalog already has (on disk in any data folder), unless `replace`.
    public static func requireNewName(_ name: String, catalog: DatasetCatalog, replace: Bool = false) throws {
        if !replace, let folder = catalog.entry(named: name)?.folder {
            throw DatasetError(file: folder.path, reason: "a dataset named \(name) exists here (--force replaces it)")
        }
    }
}
