import Foundation

/// One document read from a knowledge source, before splitting.
public struct KnowledgeDocument: Sendable, Equatable {
    /// Display name: a relative path, a URL, "wiki:Title", or "file.csv#row 12".
    public var source: String
    public var title: String?
    /// Line breaks are always "\n": loaders turn CRLF and CR into LF.
    public var text: String

    public init(source: String, title: String? = nil, text: String) {
        self.source = source
        self.title = title
        self.text = text
    }
}

/// A piece of a document small enough to embed and to put into a prompt.
public struct KnowledgeChunk: Sendable, Equatable, Codable {
    public var source: String
    public var title: String?
    /// Chunk number within its document, from 0.
    public var index: Int
    /// Offset in characters (Swift `Character`s) of `text` within the document's text.
    public var start: Int
    public var text: String

    public init(source: String, title: String?, index: Int, start: Int, text: String) {
        self.source = source
        self.title = title
        self.index = index
        self.start = start
        self.text = text
    }
}

/// A source that could not be read; the others are still loaded.
public struct KnowledgeFailure: Sendable, Equatable {
    public var source: String
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}

public struct KnowledgeLoadResult: Sendable {
    public var documents: [KnowledgeDocument]
    public var failures: [KnowledgeFailure]

    public init(documents: [KnowledgeDocument], failures: [KnowledgeFailure]) {
        self.documents = documents
        self.failures = failures
    }
}

/// The knowledge path itself cannot be used (missing, unreadable, bad source list). Names the file.
public struct KnowledgeError: InputError, Sendable, Equatable {
    public let file: String
    public let reason: String
    public var description: String { "\(file): \(reason)" }

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
}

/// Why one source could not be read; the loader files it under the source's display name.
struct SourceFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
