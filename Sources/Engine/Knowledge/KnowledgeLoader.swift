import Foundation

/// Reads a dataset's knowledge: a source-list JSON file (see `KnowledgeSourceList`), a folder
/// (every .txt/.md/.markdown/.csv/.pdf/.html/.htm inside, recursively, hidden entries skipped,
/// sorted by relative path), or one such file. A source that cannot be read becomes a
/// `KnowledgeFailure` and the rest go on; only an unusable `path` throws. Nothing is fetched
/// unless the list names web links, web PDFs or Wikipedia pages.
public struct KnowledgeLoader: Sendable {
    public let httpTimeout: Double
    public let wikipediaBaseURL: String
    /// Path of `pdftotext`; nil looks for it on PATH.
    public let pdftotext: String?

    /// How a local file is read.
    enum FileKind: Sendable { case text, csv, pdf, html }

    /// File name extensions read from a folder (compared in lower case), and what each is read as.
    static let fileExtensions: [String: FileKind] = [
        "txt": .text, "md": .text, "markdown": .text, "csv": .csv, "pdf": .pdf, "html": .html, "htm": .html,
    ]
    /// Sources read at once: web requests wait on the network, pdftotext on its own process.
    static let parallelSources = 4

    public init(httpTimeout: Double = 30, wikipediaBaseURL: String = "https://en.wikipedia.org", pdftotext: String? = nil) {
        self.httpTimeout = httpTimeout
        self.wikipediaBaseURL = wikipediaBaseURL
        self.pdftotext = pdftotext
    }

    /// True when the source list names any network source (nothing is fetched otherwise).
    /// Folders and single files never need the network.
    public static func needsNetwork(_ path: URL) throws -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
            throw KnowledgeError(file: path.path, reason: "not found")
        }
        guard !isFolder.boolValue, path.pathExtension.lowercased() == "json" else { return false }
        return try KnowledgeSourceList.read(path).hasNetworkSources
    }

    public func load(_ path: URL) async throws -> KnowledgeLoadResult {
        try await load(sources(for: path))
    }

    /// One thing to read, with the name it is shown under.
    enum Source: Sendable {
        case localFile(URL, kind: FileKind, display: String)
        case webLink(URL, display: String)
        case webPDF(URL, display: String)
        case wikiPage(title: String, display: String)

        var display: String {
            switch self {
            case .localFile(_, _, let display), .webLink(_, let display), .webPDF(_, let display), .wikiPage(_, let display): display
            }
        }
    }

    func sources(for path: URL) throws -> [Source] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
            throw KnowledgeError(file: path.path, reason: "not found (expected a knowledge-source JSON file, a folder or a document)")
        }
        if isFolder.boolValue { return try folderSources(path) }
        let ext = path.pathExtension.lowercased()
        if ext == "json" { return try listSources(path) }
        guard let kind = Self.fileExtensions[ext] else {
            throw KnowledgeError(file: path.path, reason: "cannot read .\(ext) files as knowledge (expected a source-list .json, "
                                 + Self.fileExtensions.keys.sorted().map { "." + $0 }.joined(separator: ", ") + ")")
        }
        return [.localFile(path, kind: kind, display: path.lastPathComponent)]
    }

    func folderSources(_ folder: URL) throws -> [Source] {
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil,
                                                          options: [.skipsHiddenFiles]) else {
            throw KnowledgeError(file: folder.path, reason: "cannot list the folder")
        }
        var found: [(relative: String, url: URL, kind: FileKind)] = []
        let rootComponents = root.pathComponents.count
        for case let url as URL in walker {
            // fileExists follows links, so a link to a file counts and a broken link does not.
            var isFolder: ObjCBool = false
            guard let kind = Self.fileExtensions[url.pathExtension.lowercased()],
                  FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            // Shown under the name it has in the folder, even when it is a link to a file elsewhere.
            let relative = url.standardizedFileURL.pathComponents.dropFirst(rootComponents).joined(separator: "/")
            found.append((relative, url, kind))
        }
        guard !found.isEmpty else {
            throw KnowledgeError(file: folder.path, reason: "no "
                                 + Self.fileExtensions.keys.sorted().map { "." + $0 }.joined(separator: ", ") + " files inside")
        }
        return found.sorted { $0.relative < $1.relative }.map { .localFile($0.url, kind: $0.kind, display: $0.relative) }
    }

    func listSources(_ file: URL) throws -> [Source] {
        let list = try KnowledgeSourceList.read(file)
        let folder = file.deletingLastPathComponent()
        func local(_ entry: String) -> URL {
            entry.hasPrefix("/") ? URL(fileURLWithPath: entry) : folder.appendingPathComponent(entry)
        }
        // The list's URLs were checked when it was read.
        var sources: [Source] = []
        sources += list.webLinks.compactMap { link in URL(string: link).map { .webLink($0, display: link) } }
        sources += list.webPDFs.compactMap { link in URL(string: link).map { .webPDF($0, display: link) } }
        sources += list.wikiPages.map { .wikiPage(title: $0, display: "wiki:\($0)") }
        sources += list.localCSV.map { .localFile(local($0), kind: .csv, display: $0) }
        sources += list.localText.map { .localFile(local($0), kind: .text, display: $0) }
        sources += list.localPDF.map { .localFile(local($0), kind: .pdf, display: $0) }
        return sources
    }

    /// Reads every source, a few at once, and keeps their order in the result.
    func load(_ sources: [Source]) async -> KnowledgeLoadResult {
        let pdf = PDFTextExtractor(configured: pdftotext)
        let fetcher = WebFetcher(timeout: httpTimeout)
        var outcomes = [Result<[KnowledgeDocument], SourceFailure>?](repeating: nil, count: sources.count)
        await withTaskGroup(of: (Int, Result<[KnowledgeDocument], SourceFailure>).self) { group in
            var next = 0
            func startNext() {
                guard next < sources.count else { return }
                let index = next, source = sources[index]
                next += 1
                group.addTask {
                    do { return (index, .success(try await read(source, pdf: pdf, fetcher: fetcher))) } catch let failure as SourceFailure {
                        return (index, .failure(failure))
                    } catch {
                        return (index, .failure(SourceFailure(JSONReader.describe(error))))
                    }
                }
            }
            for _ in 0..<Self.parallelSources { startNext() }
            while let (index, outcome) = await group.next() {
                outcomes[index] = outcome
                startNext()
            }
        }
        var result = KnowledgeLoadResult(documents: [], failures: [])
        for (source, outcome) in zip(sources, outcomes) {
            switch outcome {
            case .success(let documents)?: result.documents += documents
            case .failure(let failure)?: result.failures.append(KnowledgeFailure(source: source.display, reason: failure.reason))
            case nil: result.failures.append(KnowledgeFailure(source: source.display, reason: "not read"))
            }
        }
        return result
    }

    func read(_ source: Source, pdf: PDFTextExtractor, fetcher: WebFetcher) async throws -> [KnowledgeDocument] {
        let documents: [KnowledgeDocument]
        switch source {
        case .localFile(let url, let kind, let display):
            switch kind {
            case .text: documents = [try PlainTextReader.read(url, source: display)]
            case .csv: documents = try CSVRowReader.read(url, source: display)
            case .pdf: documents = [KnowledgeDocument(source: display, text: try await pdf.text(of: url))]
            case .html:
                let page = HTMLText.extract(WebFetcher.text(.init(data: try TextDecoding.readFile(url), contentType: nil)))
                documents = [KnowledgeDocument(source: display, title: page.title, text: page.text)]
            }
        case .webLink(let url, let display):
            let response = try await fetcher.get(url)
            if response.contentType?.hasPrefix("application/pdf") == true {
                documents = [KnowledgeDocument(source: display, text: try await pdfText(response.data, pdf: pdf))]
            } else if response.contentType?.hasPrefix("text/plain") == true {
                documents = [KnowledgeDocument(source: display, text: WebFetcher.text(response))]
            } else {
                let page = HTMLText.extract(WebFetcher.text(response))
                documents = [KnowledgeDocument(source: display, title: page.title, text: page.text)]
            }
        case .webPDF(let url, let display):
            documents = [KnowledgeDocument(source: display, text: try await pdfText(try await fetcher.get(url).data, pdf: pdf))]
        case .wikiPage(let title, let display):
            documents = [try await WikipediaClient(baseURL: wikipediaBaseURL, fetcher: fetcher).page(title: title, source: display)]
        }
        let withText = documents.filter { !$0.text.allSatisfy(\.isWhitespace) }
        guard !withText.isEmpty else {
            if case .localFile(_, .pdf, _) = source { throw SourceFailure(Self.noPDFText) }
            if case .webPDF = source { throw SourceFailure(Self.noPDFText) }
            throw SourceFailure("no text found")
        }
        return withText
    }

    static let noPDFText = "no text found (a scanned PDF has no text layer, and pdftotext does no OCR)"

    /// A downloaded PDF goes through a temporary file, since pdftotext reads files.
    func pdfText(_ data: Data, pdf: PDFTextExtractor) async throws -> String {
        guard pdf.executable != nil else { throw SourceFailure(PDFTextExtractor.missingReason) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-knowledge-\(UUID().uuidString).pdf")
        do { try data.write(to: file) } catch {
            throw SourceFailure("cannot write the download to \(file.path) (\(JSONReader.describe(error)))")
        }
        defer { try? FileManager.default.removeItem(at: file) }
        return try await pdf.text(of: file)
    }
}
