import Foundation

/// How one file of a public source is laid out.
public enum SourceFormat: String, Sendable {
    /// CSV with a header row (RFC 4180), UTF-8.
    case csv
    /// Parquet (read through python3 with pyarrow, as `datasets add` reads it).
    case parquet
    /// A zip archive holding one Latin-1 text file of `sentence@label` lines (the Financial PhraseBank).
    case zippedAtSeparatedLatin1 = "zip:sentence@label/latin-1"
}

/// What the rows of one downloaded file become.
public enum SourceFileRole: String, Sendable {
    /// Labeled rows that are split here into train, valid and test.
    case all
    /// The source's own train split: kept as train, except a seeded, stratified valid split taken from it.
    case train
    /// The source's own test split, kept as it is.
    case test
}

/// One file of a public source.
public struct SourceFile: Sendable, Equatable {
    /// Where the source publishes it.
    public var url: String
    public var role: SourceFileRole
    /// For an archive: the file inside it that holds the rows.
    public var member: String?

    /// The name the file keeps on a mirror or a loopback server (`<base>/<dataset>/<name>`).
    public var name: String { URL(string: url)?.lastPathComponent ?? url }
}

/// A public source of one named dataset and how its files become the project's layout: which
/// columns hold the text and the label, what each label value means (a class id of config.json's
/// class list), which values are left out, and where the source says so.
public struct NamedSource: Sendable, Equatable {
    public var dataset: String
    /// The corpus as its authors name it, and the page that describes it.
    public var corpus: String
    public var homepage: String
    /// The licence as the source states it.
    public var licence: String
    public var format: SourceFormat
    public var files: [SourceFile]
    /// Columns of the tabular formats; nil for the `sentence@label` lines.
    public var textColumn: String?
    public var labelColumn: String?
    /// A label value as the source writes it (numbers in their shortest form: "1", "-1") → class id.
    public var labelMap: [String: Int]
    /// Label values whose rows are left out (a class the named dataset does not have).
    public var droppedLabels: [String]
    /// What a reader should know about the choice of file or subset.
    public var note: String

    /// The seed of every split made here; recorded in the dataset folder.
    public static let splitSeed: UInt64 = 13
    /// The share of a source's own train file that becomes the valid split.
    public static let validShareOfTrain = SplitSize.fraction(0.1)
}

/// Where `datasets fetch` gets a named dataset from: the one place that says so.
public enum FetchRoute: Sendable, Equatable {
    /// The four WRENCH files from the mirror of config.json (`fetch.base_url` + the dataset's `fetch` folder).
    case wrenchMirror(folder: String)
    /// The dataset's public source, converted here (`NamedSources.table`).
    case publicSource(NamedSource)
    /// No public source is known; the reason says why and what to do.
    case unavailable(reason: String)

    public var isFetchable: Bool {
        if case .unavailable = self { return false }
        return true
    }

    /// The route of a named dataset: config.json's mirror folder first, then the table of public sources.
    public static func of(_ spec: DatasetSpec) -> FetchRoute {
        if let folder = spec.fetchName { return .wrenchMirror(folder: folder) }
        if let source = NamedSources.table[spec.name] { return .publicSource(source) }
        let why = NamedSources.unavailable[spec.name] ?? "no public source is known for \(spec.name)"
        return .unavailable(reason: "\(why); add it from your own file with `alchemist datasets add \(spec.name) --from FILE`")
    }
}

/// The public sources of the named datasets that the WRENCH mirror does not hold (docs/DATASETS.md
/// has the same facts for people). A URL here is the source's own; `--base-url` (or
/// ALCHEMIST_FETCH_BASE_URL) replaces it by `<base>/<dataset>/<file name>`, which is how tests
/// serve the files from a loopback server.
public enum NamedSources {
    public static let table: [String: NamedSource] = {
        let sources = [
            NamedSource(
                dataset: "medabs", corpus: "Medical Abstracts Text Classification corpus (Schopf, Braun and Matthes, NLPIR 2022)",
                homepage: "https://github.com/sebischair/Medical-Abstracts-TC-Corpus",
                licence: "none stated in the repository (no licence file); cite Schopf et al. 2023, doi:10.1145/3582768.3582795",
                format: .csv,
                files: [
                    SourceFile(url: "https://raw.githubusercontent.com/sebischair/Medical-Abstracts-TC-Corpus/main/medical_tc_train.csv", role: .train),
                    SourceFile(url: "https://raw.githubusercontent.com/sebischair/Medical-Abstracts-TC-Corpus/main/medical_tc_test.csv", role: .test),
                ],
                textColumn: "medical_abstract", labelColumn: "condition_label",
                labelMap: ["1": 0, "2": 1, "3": 2, "4": 3, "5": 4], droppedLabels: [],
                note: "condition_label 1–5 as in the corpus' medical_tc_labels.csv: neoplasms, digestive system diseases, nervous system diseases, cardiovascular diseases, general pathological conditions; the corpus' test file stays the test split"),
            NamedSource(
                dataset: "cancer", corpus: "Cancer Abstract Dataset (Hossain et al., R-GAT, Scientific Reports 2026)",
                homepage: "https://huggingface.co/datasets/EliasHossain/CancerAbstracts",
                licence: "MIT (as the dataset card states)",
                format: .parquet,
                files: [
                    SourceFile(url: "https://huggingface.co/datasets/EliasHossain/CancerAbstracts/resolve/refs%2Fconvert%2Fparquet/default/train/0000.parquet", role: .all),
                ],
                textColumn: "Abstract", labelColumn: "Category",
                labelMap: ["Colon_Cancer": 0, "Lung_Cancer": 1, "Thyroid_Cancer": 2], droppedLabels: ["Generic"],
                note: "the hub's Parquet conversion of the card's CSV (columns Abstract, Category); rows of the fourth category, Generic, are left out"),
            NamedSource(
                dataset: "french", corpus: "French book reviews (Abir Eltaief), reviews from Babelio and Critiques Libres",
                homepage: "https://huggingface.co/datasets/Abirate/french_book_reviews",
                licence: "CC0 1.0 (Public Domain), as the dataset card states",
                format: .parquet,
                files: [
                    SourceFile(url: "https://huggingface.co/datasets/Abirate/french_book_reviews/resolve/refs%2Fconvert%2Fparquet/default/train/0000.parquet", role: .all),
                ],
                textColumn: "reader_review", labelColumn: "label",
                labelMap: ["-1": 0, "0": 1, "1": 2], droppedLabels: [],
                note: "the hub's Parquet conversion (columns book_title, author, reader_review, rating, label); label -1, 0, 1 = negative, neutral, positive"),
            NamedSource(
                dataset: "finance", corpus: "Financial PhraseBank v1.0 (Malo, Sinha, Korhonen, Wallenius and Takala, JASIST 2014)",
                homepage: "https://huggingface.co/datasets/takala/financial_phrasebank",
                licence: "CC BY-NC-SA 3.0 (License.txt in the archive; commercial use needs the authors' permission)",
                format: .zippedAtSeparatedLatin1,
                files: [
                    SourceFile(url: "https://huggingface.co/datasets/takala/financial_phrasebank/resolve/main/data/FinancialPhraseBank-v1.0.zip",
                               role: .all, member: "FinancialPhraseBank-v1.0/Sentences_AllAgree.txt"),
                ],
                textColumn: nil, labelColumn: nil,
                labelMap: ["negative": 0, "neutral": 1, "positive": 2], droppedLabels: [],
                note: "Sentences_AllAgree.txt: the sentences all annotators agreed on (2,264 by the dataset card)"),
        ]
        return Dictionary(uniqueKeysWithValues: sources.map { ($0.dataset, $0) })
    }()

    /// Named datasets without a public source, and why.
    public static let unavailable: [String: String] = [
        "reddit": "no public labeled copy of these chemistry/biology/physics posts is known (Reddit's terms restrict redistributing posts)",
    ]
}
