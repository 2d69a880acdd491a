import Foundation

/// The end models' document frequencies as a worker prints them and `spark_job.py` sums them:
/// the documents counted and the nonzero columns, `[[column, count], …]` by column.
struct SparkDocumentFrequencies: Codable, Equatable {
    var bits: Int
    var documents: Int
    var columns: [[Int]]

    init(_ counter: HashedTFIDF.DocumentFrequencies) {
        bits = counter.bits
        documents = counter.documentCount
        columns = counter.columnCounts.enumerated().compactMap { column, count in count > 0 ? [column, Int(count)] : nil }
    }

    /// - Throws: `SparkJobError` naming what does not fit.
    func counter() throws -> HashedTFIDF.DocumentFrequencies {
        try HashedTFIDF.DocumentFrequencies(bits: bits, documents: documents, columns: columns.map { pair in
            guard pair.count == 2 else { throw SparkJobError(reason: "document frequencies: \(pair) is not [column, count]") }
            return (pair[0], pair[1])
        })
    }
}

extension HashedTFIDF.DocumentFrequencies {
    /// Counts made elsewhere (by Spark's workers, summed): `fitted()` then gives the source that
    /// counting the same texts here gives.
    /// - Parameter columns: the nonzero columns with their counts, each column once.
    /// - Throws: `SparkJobError` for bits out of `HashedTFIDF.bitsRange`, a column out of range or
    ///   named twice, or a count below 1 or above `documents`.
    public init(bits: Int, documents: Int, columns: [(column: Int, count: Int)]) throws {
        guard HashedTFIDF.bitsRange.contains(bits) else {
            throw SparkJobError(reason: "document frequencies: \(bits) bits, expected \(HashedTFIDF.bitsRange.lowerBound)…\(HashedTFIDF.bitsRange.upperBound)")
        }
        guard documents >= 0, documents <= Int32.max else {
            throw SparkJobError(reason: "document frequencies: \(documents) documents")
        }
        self.init(bits: bits)
        self.documents = documents
        for (column, count) in columns {
            guard frequencies.indices.contains(column) else {
                throw SparkJobError(reason: "document frequencies: column \(column) is not in 0…\(frequencies.count - 1)")
            }
            guard frequencies[column] == 0 else { throw SparkJobError(reason: "document frequencies: column \(column) is given twice") }
            guard count >= 1, count <= documents else {
                throw SparkJobError(reason: "document frequencies: column \(column) counts \(count) of \(documents) documents")
            }
            frequencies[column] = Int32(count)
        }
    }
}
