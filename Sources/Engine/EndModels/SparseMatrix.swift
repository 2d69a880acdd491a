/// Rows of sparse features in compressed-row form: row r has the (column, value) pairs
/// `columns[offsets[r]..<offsets[r + 1]]`, `values[...]`.
public struct SparseMatrix: Sendable, Equatable {
    public let columnCount: Int
    public private(set) var offsets: [Int]
    public private(set) var columns: [Int32]
    public private(set) var values: [Float]

    public init(columnCount: Int) {
        self.columnCount = columnCount
        offsets = [0]
        columns = []
        values = []
    }

    /// Rows already in compressed-row form (read back from a file).
    init(columnCount: Int, offsets: [Int], columns: [Int32], values: [Float]) {
        precondition(offsets.first == 0 && offsets.last == columns.count && columns.count == values.count, "compressed rows that do not add up")
        self.columnCount = columnCount
        self.offsets = offsets
        self.columns = columns
        self.values = values
    }

    public var rowCount: Int { offsets.count - 1 }

    /// Appends a row; `entries` must have distinct columns.
    public mutating func appendRow<S: Sequence>(_ entries: S) where S.Element == (Int32, Float) {
        for (column, value) in entries {
            columns.append(column)
            values.append(value)
        }
        offsets.append(columns.count)
    }

    public func row(_ row: Int) -> (columns: ArraySlice<Int32>, values: ArraySlice<Float>) {
        let range = offsets[row]..<offsets[row + 1]
        return (columns[range], values[range])
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> SparseMatrix {
        var result = SparseMatrix(columnCount: columnCount)
        for index in indices {
            let (c, v) = row(index)
            result.appendRow(zip(c, v))
        }
        return result
    }
}
