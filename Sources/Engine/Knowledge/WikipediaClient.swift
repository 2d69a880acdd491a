import Foundation

/// Plain-text Wikipedia articles through the public MediaWiki API (TextExtracts):
/// `{base}/w/api.php?action=query&prop=extracts&explaintext=1&redirects=1&format=json&titles=TITLE`.
/// Redirects are followed; a page that does not exist is a failure.
struct WikipediaClient: Sendable {
    let baseURL: String
    let fetcher: WebFetcher

    /// Characters left as they are in the title parameter; everything else is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    func requestURL(title: String) throws -> URL {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let encoded = title.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? title
        let query = "action=query&prop=extracts&explaintext=1&redirects=1&format=json&titles=\(encoded)"
        guard let url = URL(string: "\(base)/w/api.php?\(query)") else {
            throw SourceFailure("cannot make an API address from the base URL \"\(baseURL)\"")
        }
        return url
    }

    func page(title: String, source: String) async throws -> KnowledgeDocument {
        let response = try await fetcher.get(try requestURL(title: title))
        let json = try? JSONSerialization.jsonObject(with: response.data)
        guard let root = json as? [String: Any], let query = root["query"] as? [String: Any],
              let pages = query["pages"] as? [String: Any] else {
            if let error = (json as? [String: Any])?["error"] as? [String: Any], let info = error["info"] as? String {
                throw SourceFailure("the Wikipedia API refused the request: \(info)")
            }
            throw SourceFailure("unexpected answer from the Wikipedia API (no query.pages)")
        }
        // One title asked, so one page; the key is its page id (-1 when missing).
        guard let page = pages.values.compactMap({ $0 as? [String: Any] }).first else {
            throw SourceFailure("unexpected answer from the Wikipedia API (query.pages is empty)")
        }
        if page["missing"] != nil { throw SourceFailure("no Wikipedia page with this title") }
        if page["invalid"] != nil {
            throw SourceFailure("invalid Wikipedia title (\(page["invalidreason"] as? String ?? "no reason given"))")
        }
        guard let extract = page["extract"] as? String else {
            throw SourceFailure("the Wikipedia API sent no text for this page (query.pages.*.extract)")
        }
        return KnowledgeDocument(source: source, title: page["title"] as? String ?? title,
                                 text: TextDecoding.normalizeLineBreaks(extract))
    }
}
