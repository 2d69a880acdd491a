/// The distinct rows of a label matrix and how many rows each stands for.
///
/// Every label model here treats rows as independent draws, so this histogram is all a fit needs
/// from the training votes: ten million rows of ten programs are fitted from the few thousand
/// patterns they hold, and the Spark engine fits from the same histogram its executors count. The
/// patterns are kept in one order (lexicographic over the votes), so a fit from a histogram counted
/// anywhere sums in the same order and gives the same parameters.
public struct VotePatterns: Sendable, Equatable {
    /// One row per distinct pattern, in lexicographic order.
    public let votes: LabelMatrix
    /// Rows each pattern stands for (all at least 1).
    public let counts: [Int]
    /// Rows in all.
    public let rows: Int

    public var columns: Int { votes.columns }

    /// Rows on which some program votes.
    public var coveredRows: Int {
        (0..<count).reduce(0) { total, pattern in votes.row(pattern).contains { $0 >= 0 } ? total + counts[pattern] : total }
    }
    public var count: Int { votes.rows }

    /// Counts the patterns of `matrix`.
    public init(counting matrix: LabelMatrix) {
        var index: [ArraySlice<LabelMatrix.Vote>: Int] = [:]
        var tallies: [Int] = []
        for row in 0..<matrix.rows {
            let key = matrix.row(row)
            if let known = index[key] {
                tallies[known] += 1
            } else {
                index[key] = tallies.count
                tallies.append(1)
            }
        }
        self.init(sorting: index.map { (pattern: $0.key, count: tallies[$0.value]) }, columns: matrix.columns)
    }

    /// Patterns counted elsewhere (a Spark job): repeated patterns are merged, the order is made the
    /// one `init(counting:)` gives.
    /// - Throws: `LabelModelError` when a pattern has another width or a count is not positive.
    public init(patterns: [[Int]], counts: [Int], columns: Int) throws {
        guard patterns.count == counts.count else {
            throw LabelModelError("\(patterns.count) vote patterns but \(counts.count) counts")
        }
        var merged: [[LabelMatrix.Vote]: Int] = [:]
        for (pattern, count) in zip(patterns, counts) {
            guard pattern.count == columns else {
                throw LabelModelError("a vote pattern has \(pattern.count) votes, expected one per program (\(columns))")
            }
            guard count > 0 else { throw LabelModelError("vote pattern \(pattern) stands for \(count) rows") }
            merged[pattern.map { LabelMatrix.Vote(clamping: $0) }, default: 0] += count
        }
        self.init(sorting: merged.map { (pattern: ArraySlice($0.key), count: $0.value) }, columns: columns)
    }

    private init(sorting entries: [(pattern: ArraySlice<LabelMatrix.Vote>, count: Int)], columns: Int) {
        let sorted = entries.sorted { $0.pattern.lexicographicallyPrecedes($1.pattern) }
        var values: [LabelMatrix.Vote] = []
        values.reserveCapacity(sorted.count * columns)
        for entry in sorted { values.append(contentsOf: entry.pattern) }
        votes = LabelMatrix(columns: columns, values: values)
        counts = sorted.map(\.count)
        rows = counts.reduce(0, +)
    }

    /// Finds a row's pattern: the index into `votes` of a row of votes (same programs), or nil.
    public struct Lookup: Sendable {
        fileprivate let index: [ArraySlice<LabelMatrix.Vote>: Int]
        public func callAsFunction(_ row: ArraySlice<LabelMatrix.Vote>) -> Int? { index[row] }
    }

    public func lookup() -> Lookup {
        var index: [ArraySlice<LabelMatrix.Vote>: Int] = [:]
        for pattern in 0..<count { index[votes.row(pattern)] = pattern }
        return Lookup(index: index)
    }

    /// The pattern of each row of `matrix` (same programs), as an index into `votes`; nil for a row
    /// whose pattern is not here.
    public func indices(of matrix: LabelMatrix) -> [Int?] {
        let find = lookup()
        return (0..<matrix.rows).map { find(matrix.row($0)) }
    }

    /// Each pattern's row of `perPattern` (probabilities over `votes`), repeated for every row of
    /// `matrix`: the rows of a large split get their probabilities without one model pass per row.
    /// - Precondition: every row of `matrix` is one of the patterns.
    public func expand(_ perPattern: ProbabilityMatrix, to matrix: LabelMatrix) -> ProbabilityMatrix {
        let k = perPattern.classes
        var values = [Double](repeating: 0, count: matrix.rows * k)
        for (row, pattern) in indices(of: matrix).enumerated() {
            guard let pattern else { preconditionFailure("row \(row) has a vote pattern that was not counted") }
            for label in 0..<k { values[row * k + label] = perPattern[pattern, label] }
        }
        return ProbabilityMatrix(rows: matrix.rows, classes: k, values: values)
    }
}
