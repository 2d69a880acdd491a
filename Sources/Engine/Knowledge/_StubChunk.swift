// TEMPORARY stand-in until the knowledge branch is merged.
public struct KnowledgeDocument: Sendable, Equatable { public var source: String; public var title: String?; public var text: String }
public struct KnowledgeChunk: Sendable, Equatable, Codable { public var source: String; public var title: String?; public var index: Int; public var start: Int; public var text: String
    public init(source: String, title: String?, index: Int, start: Int, text: String) { self.source = source; self.title = title; self.index = index; self.start = start; self.text = text } }
public struct KnowledgeFailure: Sendable, Equatable { public var source: String; public var reason: String }
public struct KnowledgeLoadResult: Sendable { public var documents: [KnowledgeDocument]; public var failures: [KnowledgeFailure] }
public struct KnowledgeLoader: Sendable {
    public init(httpTimeout: Double = 30, wikipediaBaseURL: String = "https://en.wikipedia.org", pdftotext: String? = nil) {}
    public func load(_ path: URL) async throws -> KnowledgeLoadResult { KnowledgeLoadResult(documents: [], failures: []) }
}
public struct TextSplitter: Sendable {
    public init(chunkSize: Int = 1000, overlap: Int = 20) {}
    public func split(_ document: KnowledgeDocument) -> [KnowledgeChunk] { [] }
}
import Foundation
