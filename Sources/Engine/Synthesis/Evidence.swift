import Foundation

/// One piece of evidence for a class, measured on labeled rows.
public struct EvidenceItem: Sendable, Equatable {
    public enum Family: String, Sendable, CaseIterable {
        case word, pair, pattern
    }
    public var family: Family
    /// The word, the two words ("free gift"), or the pattern's name.
    public var key: String
    public var label: Int
    /// Share of labeled rows with this evidence that have `label`.
    public var precision: Double
    /// Labeled rows with this evidence.
    public var support: Int
    /// Smoothed log-odds of `label` given the evidence, against the class's prior.
    public var score: Double
}

/// Surface patterns the synthesizer can test, each with the Python expression that checks it.
public struct SurfacePattern: Sendable {
    public var name: String
    public var description: String
    /// A Python boolean expression over `text` (the row) and `lowered`.
    public var python: String
    public var matches: @Sendable (String) -> Bool

    public static let all: [SurfacePattern] = [
        SurfacePattern(name: "url", description: "contains a link (http://, www., .com)",
                       python: #"re.search(r"https?://|www\.|\.(com|net|org|ly)\b", lowered) is not None"#,
                       matches: { $0.range(of: #"https?://|www\.|\.(com|net|org|ly)\b"#, options: [.regularExpression, .caseInsensitive]) != nil }),
        SurfacePattern(name: "long_number", description: "has a number of 5 or more digits (a phone number or code)",
                       python: #"re.search(r"\d{5,}", text) is not None"#,
                       matches: { $0.range(of: #"\d{5,}"#, options: .regularExpression) != nil }),
        SurfacePattern(name: "currency", description: "mentions an amount of money (£, $, €)",
                       python: #"re.search(r"[£$€]\s?\d", text) is not None"#,
                       matches: { $0.range(of: #"[£$€]\s?\d"#, options: .regularExpression) != nil }),
        SurfacePattern(name: "all_caps", description: "has two or more all-caps words",
                       python: #"len(re.findall(r"\b[A-Z]{3,}\b", text)) >= 2"#,
                       matches: { text in
                           let regex = try? NSRegularExpression(pattern: #"\b[A-Z]{3,}\b"#)
                           return (regex?.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)) ?? 0) >= 2 }),
        SurfacePattern(name: "exclamations", description: "has two or more exclamation marks",
                       python: #"text.count("!") >= 2"#, matches: { $0.filter { $0 == "!" }.count >= 2 }),
        SurfacePattern(name: "short", description: "is shorter than 25 characters",
                       python: "len(text.strip()) < 25", matches: { $0.trimmingCharacters(in: .whitespacesAndNewlines).count < 25 }),
        SurfacePattern(name: "long", description: "is longer than 300 characters",
                       python: "len(text) > 300", matches: { $0.count > 300 }),
    ]
}

/// Finds, per class, words, word pairs and surface patterns that predict it on labeled rows
/// (the idea of automatic labeling-function synthesis, e.g. Snuba/Reef: candidate heuristics
/// scored on a small labeled set, kept only above a precision threshold).
public struct EvidenceMiner: Sendable {
    public var minimumSupport = 3
    public var minimumPrecision = 0.75

    public init() {}

    /// Lower-cased words of letters, digits and apostrophes, as the generated programs split them.
    public static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "'" {
                current.append(character)
            } else if !current.isEmpty {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result.filter { $0.count >= 2 && $0 != "''" }
    }

    public func mine(texts: [String], labels: [Int], classCount: Int) -> [EvidenceItem] {
        var counts: [String: (family: EvidenceItem.Family, perClass: [Int])] = [:]
        func add(_ family: EvidenceItem.Family, _ key: String, _ label: Int) {
            var entry = counts[family.rawValue + "\u{1}" + key] ?? (family, [Int](repeating: 0, count: classCount))
            entry.perClass[label] += 1
            counts[family.rawValue + "\u{1}" + key] = entry
        }
        var classTotals = [Int](repeating: 0, count: classCount)
        for (text, label) in zip(texts, labels) where (0..<classCount).contains(label) {
            classTotals[label] += 1
            let words = Self.words(text)
            for word in Set(words) { add(.word, word, label) }
            for pair in Set(zip(words, words.dropFirst()).map { "\($0) \($1)" }) { add(.pair, pair, label) }
            for pattern in SurfacePattern.all where pattern.matches(text) { add(.pattern, pattern.name, label) }
        }
        let total = Double(max(1, classTotals.reduce(0, +)))
        var items: [EvidenceItem] = []
        for (compound, entry) in counts {
            let key = String(compound.split(separator: "\u{1}", maxSplits: 1).last ?? "")
            let support = entry.perClass.reduce(0, +)
            guard support >= minimumSupport else { continue }
            for label in 0..<classCount where entry.perClass[label] > 0 {
                // Add-one smoothing keeps a word seen 3 times from claiming certainty.
                let precision = Double(entry.perClass[label] + 1) / Double(support + classCount)
                guard precision >= minimumPrecision else { continue }
                let prior = Double(classTotals[label] + 1) / (total + Double(classCount))
                let score = log(precision / (1 - precision)) - log(prior / (1 - prior))
                guard score > 0 else { continue }
                items.append(EvidenceItem(family: entry.family, key: key, label: label, precision: Double(entry.perClass[label]) / Double(support),
                                          support: support, score: score * log(1 + Double(support))))
            }
        }
        return items.sorted { ($0.score, $0.support, $1.key) > ($1.score, $1.support, $0.key) }
    }
}
