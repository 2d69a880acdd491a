import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// GET requests for web sources. Every problem — a status outside 2xx, a timeout, a refused
/// connection — becomes a `SourceFailure` that says what happened, so one bad link never
/// stops the others.
struct WebFetcher: Sendable {
    struct Response: Sendable {
        var data: Data
        /// The Content-Type header, lower-cased; nil when the server sent none.
        var contentType: String?
    }

    /// Seconds without progress before a request is given up; a whole download may take ten times that.
    let timeout: Double

    static let userAgent = "Alchemist-in-Swift/\(EngineInfo.version) (knowledge loader)"

    func get(_ url: URL) async throws -> Response {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 10
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        // Wikipedia's API refuses clients without a descriptive User-Agent.
        request.setValue(Self.userAgent, forHTTPHeaderField: "User-Agent")
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch let error as URLError {
            throw SourceFailure(describe(error))
        } catch {
            throw SourceFailure("request failed (\(JSONReader.describe(error)))")
        }
        guard let http = response as? HTTPURLResponse else { throw SourceFailure("not an HTTP response") }
        guard (200..<300).contains(http.statusCode) else {
            throw SourceFailure("HTTP \(http.statusCode) (\(HTTPURLResponse.localizedString(forStatusCode: http.statusCode)))")
        }
        return Response(data: data, contentType: (http.value(forHTTPHeaderField: "Content-Type")).map { $0.lowercased() })
    }

    func describe(_ error: URLError) -> String {
        switch error.code {
        case .timedOut: return "timed out after \(Self.seconds(timeout)) s"
        case .cannotConnectToHost: return "cannot connect (connection refused)"
        case .cannotFindHost, .dnsLookupFailed: return "host not found"
        case .notConnectedToInternet: return "no network connection"
        case .networkConnectionLost: return "connection lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "TLS failed (\(error.localizedDescription))"
        default: return "connection failed (\(error.localizedDescription))"
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The body as text: the charset the server names when it is Latin-1 or Windows-1252,
    /// else UTF-8, falling back to Windows-1252 for bytes that are not UTF-8 (old pages).
    static func text(_ response: Response) -> String {
        let charset = response.contentType?.components(separatedBy: "charset=").dropFirst().first?
            .split(whereSeparator: { $0 == ";" || $0 == " " || $0 == "\"" }).first.map(String.init)
        let latin = ["iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252"]
        if let charset, latin.contains(charset), let text = String(data: response.data, encoding: .windowsCP1252) {
            return TextDecoding.normalizeLineBreaks(text)
        }
        if let text = try? TextDecoding.utf8(response.data) { return text }
        let fallback = String(data: response.data, encoding: .windowsCP1252) ?? String(decoding: response.data, as: UTF8.self)
        return TextDecoding.normalizeLineBreaks(fallback)
    }
}
