import Foundation

/// The `builtin` model: writes labeling programs from evidence in labeled rows, with no network
/// and no model. Unlike an LLM it learns from the labeled valid split (up to 2,000 rows), so its
/// programs are only as good as those labels. Each program picks a class, an evidence family
/// (words, word pairs, surface patterns) and a slice of the evidence; successive programs take
/// other choices and never repeat a saved program. It answers both stages through the same
/// streaming interface as an LLM, at a readable pace.
public final class BuiltinSynthesizer: ChatModel, @unchecked Sendable {
    public let providerName = "builtin"
    let dataset: String
    let classNames: [String]
    let texts: [String]
    let labels: [Int]
    let prior: String?
    /// Seconds between streamed pieces (0 in tests).
    public var pace: Double
    private let evidence: [EvidenceItem]
    private let lock = NSLock()
    private var variant: Int
    private var pendingVariant: Int?
    private var existing: Set<String>

    /// - Parameters:
    ///   - existingPrograms: code of programs already saved, never written again.
    public init(dataset: Dataset, prior: String?, existingPrograms: [String], pace: Double = 0.004, maxRows: Int = 2000) throws {
        let split: DatasetSplit
        if let valid = dataset.splits[.valid], valid.labeledCount > 0 { split = valid } else { split = try dataset.split(.train) }
        let pairs = zip(split.texts, split.labels).compactMap { text, label in label.map { (text, $0) } }.prefix(maxRows)
        guard pairs.count >= 10 else {
            throw KnowledgeIndexError(reason: "the built-in synthesizer needs labeled rows (valid split, else train); \(dataset.name) has \(pairs.count)")
        }
        self.dataset = dataset.name
        classNames = dataset.labelNames
        texts = pairs.map(\.0)
        labels = pairs.map(\.1)
        self.prior = prior
        self.pace = pace
        evidence = EvidenceMiner().mine(texts: texts, labels: labels, classCount: dataset.classCount)
        existing = Set(existingPrograms.map(Self.normalized))
        variant = existingPrograms.count
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        let (events, continuation) = AsyncThrowingStream<ChatEvent, Error>.makeStream()
        let task = Task {
            do {
                let text = try answer(request)
                var sent = ""
                for piece in Self.pieces(text) {
                    try Task.checkCancellation()
                    if pace > 0 { try await Task.sleep(for: .milliseconds(Int(pace * 1000))) }
                    sent += piece
                    continuation.yield(.text(piece))
                }
                continuation.yield(.usage(TokenUsage(inputTokens: request.estimatedInputTokens, outputTokens: TokenEstimate.tokens(sent),
                                                     estimated: true)))
                continuation.yield(.finished(reason: "stop"))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return events
    }

    /// Words with their following space, so the text streams like tokens.
    static func pieces(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " || character == "\n" {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    // MARK: Choosing and writing

    struct Choice {
        var label: Int
        var family: EvidenceItem.Family
        var items: [EvidenceItem]
    }

    func answer(_ request: ChatRequest) throws -> String {
        switch request.purpose {
        case .knowledge, .extract:
            let choice = try lock.withLock { () throws -> Choice in
                let found = try nextChoice()
                pendingVariant = found.variant
                return found.choice
            }
            return knowledgeText(choice)
        case .code, nil:
            let choice = try lock.withLock { () throws -> Choice in
                let found: (choice: Choice, variant: Int)
                if let pending = pendingVariant, let again = self.choice(for: pending) {
                    found = (again, pending)
                } else {
                    found = try nextChoice()
                }
                pendingVariant = nil
                let code = program(found.choice)
                existing.insert(Self.normalized(code))
                variant = found.variant + 1
                return found.choice
            }
            return "A rule from evidence in \(texts.count) labeled rows of \(dataset):\n\n```python\n\(program(choice))```\n"
        }
    }

    /// The next variant whose program is not saved yet.
    private func nextChoice() throws -> (choice: Choice, variant: Int) {
        var anyChoice = false
        for offset in 0..<200 {
            let candidate = variant + offset
            guard let choice = choice(for: candidate) else { continue }
            anyChoice = true
            if !existing.contains(Self.normalized(program(choice))) { return (choice, candidate) }
        }
        guard anyChoice else {
            // Nothing was saved: say what is missing, not that everything is taken.
            let miner = EvidenceMiner()
            throw KnowledgeIndexError(reason: "the built-in synthesizer found no evidence in \(texts.count) labeled rows of \(dataset): no word, word pair or pattern is seen in \(miner.minimumSupport) or more rows with \(Int(miner.minimumPrecision * 100)) % or more of them in one class")
        }
        throw KnowledgeIndexError(reason: "the built-in synthesizer has no new evidence left for \(dataset) (every variant is saved already)")
    }

    /// Variant v: class v mod k, then the family and the slice of evidence by the rounds that follow.
    func choice(for variant: Int) -> Choice? {
        let k = classNames.count
        let label = variant % k
        let round = variant / k
        let families: [EvidenceItem.Family] = [.word, .pattern, .pair, .word, .pair, .word]
        let family = families[round % families.count]
        let pool = evidence.filter { $0.label == label && $0.family == family }
        let size = family == .pattern ? 1 : 6
        let slice = round / families.count
        let familyRound = families.prefix(round % families.count + 1).filter { $0 == family }.count - 1 + slice * families.filter { $0 == family }.count
        let start = familyRound * size
        guard start < pool.count else {
            // This class has no more of this family: fall back to its strongest words not used at this size.
            let words = evidence.filter { $0.label == label && $0.family == .word }
            guard !words.isEmpty else { return nil }
            let fallbackSize = 2 + round % 5
            return Choice(label: label, family: .word, items: Array(words.prefix(fallbackSize)))
        }
        return Choice(label: label, family: family, items: Array(pool[start..<min(start + size, pool.count)]))
    }

    func program(_ choice: Choice) -> String {
        let name = classNames[choice.label]
        let percent = { (item: EvidenceItem) in String(format: "%.0f %% of %d rows", item.precision * 100, item.support) }
        var lines = ["import re", "",
                     "# Written by Alchemist's built-in synthesizer (no LLM) from \(texts.count) labeled rows of \(dataset).",
                     "# Votes \(choice.label) (\(name)) when the evidence below is present; abstains (-1) otherwise."]
        switch choice.family {
        case .word, .pair:
            let constant = choice.family == .word ? "WORDS" : "WORD_PAIRS"
            lines.append("# Each entry: share of labeled rows containing it that are \(name).")
            lines.append("\(constant) = {")
            for item in choice.items { lines.append("    \(Self.pythonString(item.key)),  # \(percent(item))") }
            lines.append("}")
            lines += ["", "", "def label_function(text):",
                      "    words = [w for w in re.findall(r\"[^\\W_]+(?:'[^\\W_]+)*\", text.lower()) if len(w) >= 2]"]
            if choice.family == .word {
                lines.append("    if any(word in WORDS for word in words):")
            } else {
                lines.append("    pairs = {first + \" \" + second for first, second in zip(words, words[1:])}")
                lines.append("    if pairs & WORD_PAIRS:")
            }
            lines += ["        return \(choice.label)", "    return -1"]
        case .pattern:
            let item = choice.items[0]
            let pattern = SurfacePattern.all.first { $0.name == item.key }!
            lines.append("# The row \(pattern.description): \(percent(item)) are \(name).")
            lines += ["", "", "def label_function(text):", "    lowered = text.lower()", "    if \(pattern.python):",
                      "        return \(choice.label)", "    return -1"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func knowledgeText(_ choice: Choice) -> String {
        let name = classNames[choice.label]
        let rows = "\(texts.count) labeled rows"
        func describe(_ item: EvidenceItem) -> String {
            let what: String
            switch item.family {
            case .word: what = "the word \"\(item.key)\""
            case .pair: what = "the words \"\(item.key)\" together"
            case .pattern: what = "a row that " + (SurfacePattern.all.first { $0.name == item.key }?.description ?? item.key)
            }
            return "\(what): \(String(format: "%.0f", item.precision * 100)) % of the \(item.support) rows with it are \(name)"
        }
        switch prior {
        case "keywords":
            return "Keywords for \(name) (class \(choice.label)), measured on \(rows):\n"
                + choice.items.map { "- \($0.key) (precision \(String(format: "%.2f", $0.precision)), \($0.support) rows)" }.joined(separator: "\n") + "\n"
        case "description":
            let other = (0..<classNames.count).filter { $0 != choice.label }.map { classNames[$0] }.joined(separator: ", ")
            return "Class \(choice.label), \(name): in \(rows), texts of this class stand out from \(other) by "
                + choice.items.map(describe).joined(separator: "; ") + ".\n"
        case "examples":
            var lines: [String] = []
            for label in classNames.indices {
                lines.append("Examples of \(classNames[label]) (class \(label)):")
                for text in zip(texts, labels).filter({ $0.1 == label }).prefix(5).map(\.0) {
                    lines.append("- " + text.replacingOccurrences(of: "\n", with: " ").prefix(160))
                }
            }
            return lines.joined(separator: "\n") + "\nEvidence kept for \(name): " + choice.items.map(describe).joined(separator: "; ") + ".\n"
        default:
            return "Rules for \(name) (class \(choice.label)), each checked on \(rows):\n"
                + choice.items.map { "- Label \(name) when \(describe($0)).\n" }.joined() + "- Otherwise abstain.\n"
        }
    }

    static func pythonString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Comparison form of a program: comments and blank lines do not make it new.
    static func normalized(_ code: String) -> String {
        code.split(separator: "\n").map { line -> String in
            let text = String(line)
            if let hash = text.firstIndex(of: "#"), !text[..<hash].contains("\"") { return String(text[..<hash]).trimmingCharacters(in: .whitespaces) }
            return text.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
