/// Where the applier gets a split's texts, one window at a time.
///
/// The applier calls it on its own thread, between windows, and from nowhere else.
public protocol TextWindowSource: AnyObject {
    /// The next window's texts (at most `limit`), or nil after the last one.
    func nextWindow(limit: Int) throws -> [String]?
    /// The split's row count as far as it is known (exact, or estimated from the bytes read), for progress.
    var estimatedRows: Int? { get }
}

/// Texts already in memory, handed out in windows.
public final class TextArrayWindows: TextWindowSource {
    private let texts: [String]
    private var next = 0

    public init(_ texts: [String]) {
        self.texts = texts
    }

    public func nextWindow(limit: Int) -> [String]? {
        guard next < texts.count else { return nil }
        let end = min(texts.count, next + limit)
        defer { next = end }
        return Array(texts[next..<end])
    }

    public var estimatedRows: Int? { texts.count }
}
