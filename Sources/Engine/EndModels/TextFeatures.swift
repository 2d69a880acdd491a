import Foundation

/// Turns texts into feature rows for the end models. Hashed TF-IDF is the built-in source;
/// dense sentence embeddings can be another one (a dense vector is a row with every column set).
public protocol FeatureSource: Sendable {
    var featureCount: Int { get }
    /// Learns what it needs (document frequencies) from `texts`.
    mutating func fit(_ texts: [String])
    func transform(_ texts: [String]) -> SparseMatrix
}

/// TF-IDF of word unigrams and bigrams, hashed into a fixed number of columns:
/// sublinear term frequency (1 + ln tf), smoothed idf (ln((1 + n) / (1 + df)) + 1), rows L2-normalised.
public struct HashedTFIDF: FeatureSource {
    public let featureCount: Int
    private var idf: [Float]

    /// The column counts offered: 2^8 to 2^24.
    public static let bitsRange = 8...24

    /// - Parameter bits: the number of columns is 2^bits (default 2^18).
    public init(bits: Int = 18) {
        featureCount = 1 << bits
        idf = []
    }

    /// A fitted source, from the document frequencies another one learned.
    public init(bits: Int, inverseDocumentFrequency: [Float]) {
        featureCount = 1 << bits
        idf = inverseDocumentFrequency.count == featureCount ? inverseDocumentFrequency : []
    }

    /// The learned weights (empty before `fit`).
    public var inverseDocumentFrequency: [Float] { idf }

    public mutating func fit(_ texts: [String]) {
        var counter = DocumentFrequencies(bits: featureCount.trailingZeroBitCount)
        counter.count(texts)
        self = counter.fitted()
    }

    /// Document frequencies counted window by window over a split that streams past; `fitted()`
    /// gives the source `fit` would have given on all the texts at once.
    public struct DocumentFrequencies: Sendable {
        let bits: Int
        var frequencies: [Int32]
        var documents = 0

        public init(bits: Int) {
            self.bits = bits
            frequencies = [Int32](repeating: 0, count: 1 << bits)
        }

        public mutating func count(_ texts: [String]) {
            let columns = frequencies.count
            for text in texts {
                for column in Set(HashedTFIDF.hashedTerms(text, columns: columns)) { frequencies[Int(column)] += 1 }
            }
            documents += texts.count
        }

        /// The texts counted.
        public var documentCount: Int { documents }

        /// Per column, the texts with a term in it.
        public var columnCounts: [Int32] { frequencies }

        public func fitted() -> HashedTFIDF {
            let n = Float(documents)
            return HashedTFIDF(bits: bits, inverseDocumentFrequency: frequencies.map { log((1 + n) / (1 + Float($0))) + 1 })
        }
    }

    public func transform(_ texts: [String]) -> SparseMatrix {
        var matrix = SparseMatrix(columnCount: featureCount)
        let fallbackIDF = Float(1)
        for text in texts {
            var counts: [Int32: Float] = [:]
            for column in Self.hashedTerms(text, columns: featureCount) { counts[column, default: 0] += 1 }
            var entries = counts.map { column, tf -> (Int32, Float) in
                let weight = idf.isEmpty ? fallbackIDF : idf[Int(column)]
                return (column, (1 + log(tf)) * weight)
            }
            // Sorted before summing: a dictionary's order varies between instances, and so would the norm's last bit.
            entries.sort { $0.0 < $1.0 }
            let norm = entries.reduce(Float(0)) { $0 + $1.1 * $1.1 }.squareRoot()
            if norm > 0 { entries = entries.map { ($0.0, $0.1 / norm) } }
            matrix.appendRow(entries)
        }
        return matrix
    }

    /// Lower-cased words (letters and digits) and adjacent word pairs, each hashed to a column.
    static func hashedTerms(_ text: String, columns: Int) -> [Int32] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var terms: [Int32] = []
        terms.reserveCapacity(words.count * 2)
        let mask = UInt64(columns - 1)
        for (index, word) in words.enumerated() {
            terms.append(Int32(truncatingIfNeeded: fnv1a(word, seed: 0) & mask))
            if index > 0 {
                terms.append(Int32(truncatingIfNeeded: fnv1a(word, seed: fnv1a(words[index - 1], seed: 0x9E37_79B9)) & mask))
            }
        }
        return terms
    }

    /// FNV-1a over UTF-8 bytes; `seed` chains the first word of a bigram into the second.
    static func fnv1a(_ text: String, seed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
