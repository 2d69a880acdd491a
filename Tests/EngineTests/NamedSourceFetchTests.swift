import Engine
import Foundation
import Testing
import TestSupport

/// `datasets fetch` for every named dataset, against a loopback server that serves small files made
/// up here in each source's own format: the WRENCH mirror's JSON, the Medical Abstracts CSVs, the
/// hub's Parquet files, the Financial PhraseBank zip. Cut downloads and changed formats leave
/// nothing under the dataset's name and say which URL and what was expected.
@Suite final class NamedSourceFetchTests {
    let config: AppConfig
    let root: URL
    let server: LoopbackFileServer

    init() throws {
        config = try TestEnvironment.config()
        root = try TestEnvironment.temporaryFolder("sources")
        try Self.writeFixtures(root, config: config)
        server = try LoopbackFileServer(serving: root)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// The error `body` throws, in words; nil when it throws none.
    func failure(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The server's folders: `good/<dataset>/…` in each source's format, `columns/…` with a renamed
    /// column, `labels/…` with an unknown label value, `notzip/finance/…` that is not a zip,
    /// `member/finance/…` a zip without the expected member; `/cut/good/…` sends half of each file.
    static func writeFixtures(_ root: URL, config: AppConfig) throws {
        func folder(_ path: String) throws -> URL {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }
        // WRENCH JSON for the five mirror datasets: 4 rows per class in train, 2 in valid and test.
        for spec in config.datasets where spec.fetchName != nil {
            let dir = try folder("good/\(spec.fetchName ?? spec.name)")
            let labels = Dictionary(uniqueKeysWithValues: spec.labels.enumerated().map { (String($0.offset), $0.element) })
            try JSONSerialization.data(withJSONObject: labels).write(to: dir.appendingPathComponent("label.json"))
            for (split, perClass) in [("train", 4), ("valid", 2), ("test", 2)] {
                var object: [String: Any] = [:]
                for row in 0..<(perClass * spec.labels.count) {
                    object[String(row)] = ["data": ["text": "\(split) text \(row) about \(spec.labels[row % spec.labels.count])"],
                                           "label": row % spec.labels.count, "weak_labels": [-1, row % spec.labels.count]]
                }
                try JSONSerialization.data(withJSONObject: object).write(to: dir.appendingPathComponent("\(split).json"))
            }
        }
        // Medical Abstracts: condition_label 1…5, medical_abstract; 10 per class in train, 2 in test.
        func medabsCSV(_ count: Int, split: String, label: (Int) -> String = { String($0 % 5 + 1) }, header: String = "condition_label,medical_abstract") -> String {
            var lines = [header]
            for row in 0..<count {
                let text = row == 0 ? "\"An abstract, with a comma and \"\"quotes\"\"\nover two lines (\(split))\"" : "\(split) abstract \(row) on condition \(row % 5 + 1)"
                lines.append("\(label(row)),\(text)")
            }
            return lines.joined(separator: "\r\n") + "\r\n"
        }
        try Data(medabsCSV(50, split: "train").utf8).write(to: try folder("good/medabs").appendingPathComponent("medical_tc_train.csv"))
        try Data(medabsCSV(10, split: "test").utf8).write(to: try folder("good/medabs").appendingPathComponent("medical_tc_test.csv"))
        try Data(medabsCSV(10, split: "train", header: "label,text").utf8).write(to: try folder("columns/medabs").appendingPathComponent("medical_tc_train.csv"))
        try Data(medabsCSV(10, split: "test").utf8).write(to: try folder("columns/medabs").appendingPathComponent("medical_tc_test.csv"))
        try Data(medabsCSV(10, split: "train", label: { $0 == 7 ? "7" : String($0 % 5 + 1) }).utf8)
            .write(to: try folder("labels/medabs").appendingPathComponent("medical_tc_train.csv"))
        try Data(medabsCSV(10, split: "test").utf8).write(to: try folder("labels/medabs").appendingPathComponent("medical_tc_test.csv"))

        // Parquet files of the hub (pyarrow, as the project's setup installs it).
        let parquet = """
            import sys, pyarrow as pa, pyarrow.parquet as pq
            root = sys.argv[1]
            def write(path, columns):
                pq.write_table(pa.table(columns), root + "/" + path)
            cats = ["Colon_Cancer", "Lung_Cancer", "Thyroid_Cancer"] * 8 + ["Generic"] * 3
            write("good/cancer/0000.parquet", {"Abstract": ["abstract %d on %s" % (i, c) for i, c in enumerate(cats)], "Category": cats})
            labels = [-1, 0, 1] * 8
            french = {"book_title": ["Livre %d" % i for i in range(24)], "author": ["Auteur"] * 24,
                      "reader_review": ["Un avis très %s, numéro %d" % (["mauvais", "moyen", "bon"][l + 1], i) for i, l in enumerate(labels)],
                      "rating": [float(l + 3) for l in labels], "label": labels}
            write("good/french/0000.parquet", french)
            renamed = dict(french)
            renamed["review"] = renamed.pop("reader_review")
            write("columns/french/0000.parquet", renamed)
            odd = dict(french)
            odd["label"] = [2] + labels[1:]
            write("labels/french/0000.parquet", odd)
            """
        for path in ["good/cancer", "good/french", "columns/french", "labels/french"] { _ = try folder(path) }
        try Data("<!doctype html><p>This dataset has moved.</p>".utf8).write(to: try folder("html/cancer").appendingPathComponent("0000.parquet"))
        _ = try PythonReference.run(parquet, arguments: [root.path])

        // The Financial PhraseBank: a zip holding Latin-1 `sentence@label` lines (é is one byte, 0xE9).
        let zip = """
            import sys, zipfile
            root = sys.argv[1]
            lines = []
            for i in range(40):
                label = ["negative", "neutral", "positive"][i % 3] if i < 36 else "neutral"
                lines.append("Company %d r\\u00e9sult @ quarter %d@%s" % (i, i, label))
            body = ("\\r\\n".join(lines) + "\\r\\n").encode("latin-1")
            member = "FinancialPhraseBank-v1.0/Sentences_AllAgree.txt"
            with zipfile.ZipFile(root + "/good/finance/FinancialPhraseBank-v1.0.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("FinancialPhraseBank-v1.0/License.txt", "made up for a test")
                z.writestr(member, body)
            with zipfile.ZipFile(root + "/member/finance/FinancialPhraseBank-v1.0.zip", "w") as z:
                z.writestr("FinancialPhraseBank-v1.0/Sentences_50Agree.txt", body)
            with zipfile.ZipFile(root + "/labels/finance/FinancialPhraseBank-v1.0.zip", "w") as z:
                z.writestr(member, body + b"Shares fell@bearish\\r\\n")
            open(root + "/notzip/finance/FinancialPhraseBank-v1.0.zip", "w").write("<html>moved</html>")
            """
        for path in ["good/finance", "member/finance", "labels/finance", "notzip/finance"] { _ = try folder(path) }
        _ = try PythonReference.run(zip, arguments: [root.path])
    }

    func fetcher(_ prefix: String) throws -> DatasetFetcher {
        try DatasetFetcher.mirror(config: config, flag: "\(server.baseURL)/\(prefix)", environment: [:])
    }

    func spec(_ name: String) throws -> DatasetSpec { try #require(config.dataset(named: name)) }

    func catalog(_ data: URL) -> DatasetCatalog {
        DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: data, home: data.appendingPathComponent(".home")))
    }

    func contents(_ data: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: data.path)) ?? []).filter { $0 != ".home" }.sorted()
    }

    func classCounts(_ split: DatasetSplit, classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for case let label? in split.labels { counts[label] += 1 }
        return counts
    }

    /// Expected rows per class in train, valid and test for each dataset's fixture.
    static let expected: [String: [SplitName: [Int]]] = [
        "medabs": [.train: [9, 9, 9, 9, 9], .valid: [1, 1, 1, 1, 1], .test: [2, 2, 2, 2, 2]],
        "cancer": [.train: [4, 4, 4], .valid: [2, 2, 2], .test: [2, 2, 2]],
        "french": [.train: [4, 4, 4], .valid: [2, 2, 2], .test: [2, 2, 2]],
        // 12/16/12 sentences: a quarter each of 40 to valid and test, per class by largest remainder.
        "finance": [.train: [6, 8, 6], .valid: [3, 4, 3], .test: [3, 4, 3]],
    ]

    @Test(arguments: ["youtube", "sms", "imdb", "yelp", "agnews", "medabs", "cancer", "french", "finance"])
    func fetchesAndLoadsWithTheCatalogsClasses(_ name: String) async throws {
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        let spec = try spec(name)
        #expect(FetchRoute.of(spec).isFetchable)
        let folder = try await fetcher("good").fetch(spec, into: data)
        #expect(folder.path == data.appendingPathComponent(name).path)
        #expect(contents(data) == [name], "no staging folder is left behind")
        let dataset = try catalog(data).load(name)
        #expect(dataset.labelNames == spec.labels)
        let entry = try #require(catalog(data).entry(named: name))
        #expect(entry.origin == .named && entry.isPresent && entry.isFetchable)
        if let expected = Self.expected[name] {
            for split in SplitName.allCases {
                #expect(classCounts(try dataset.split(split), classes: spec.labels.count) == expected[split], "\(name) \(split)")
            }
            // Provenance: the source's URLs, licence, seed and counts in dataset.json and README.md.
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("dataset.json"))) as? [String: Any]
            let source = try #require(manifest?["source"] as? [String: Any])
            let named = try #require(NamedSources.table[name])
            #expect(source["urls"] as? [String] == named.files.map(\.url))
            #expect(source["licence"] as? String == named.licence)
            #expect(source["split_seed"] as? Int == Int(NamedSource.splitSeed))
            let rows = source["rows"] as? [String: Int]
            #expect(rows?["valid"] == expected[.valid]?.reduce(0, +))
            let readme = try String(contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
            #expect(readme.contains(named.licence) && readme.contains(named.files[0].url) && readme.contains("seed \(NamedSource.splitSeed)"))
        } else {
            #expect(try dataset.split(.train).count == 4 * spec.labels.count)
        }
    }

    @Test func textsKeepTheirQuotesLinesAndLatin1Accents() async throws {
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        for name in ["medabs", "finance", "french"] { _ = try await fetcher("good").fetch(try spec(name), into: data) }
        let medabs = try catalog(data).load("medabs")
        let all = SplitName.allCases.flatMap { (try? medabs.split($0).texts) ?? [] }
        #expect(all.contains("An abstract, with a comma and \"quotes\"\nover two lines (train)"))
        let finance = try catalog(data).load("finance")
        let sentences = SplitName.allCases.flatMap { (try? finance.split($0).texts) ?? [] }
        #expect(sentences.contains("Company 0 résult @ quarter 0"), "split at the last @, Latin-1 decoded: \(sentences.prefix(2))")
        let french = try catalog(data).load("french")
        #expect(SplitName.allCases.flatMap { (try? french.split($0).texts) ?? [] }.contains("Un avis très bon, numéro 2"))
        // Generic cancer rows are left out and counted.
        _ = try await fetcher("good").fetch(try spec("cancer"), into: data)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("cancer/dataset.json"))) as? [String: Any]
        #expect((manifest?["source"] as? [String: Any])?["dropped_labels"] as? [String: Int] == ["Generic": 3])
    }

    @Test func theSplitIsSeededAndTheSameEveryTime() async throws {
        let first = try TestEnvironment.temporaryFolder("data")
        let second = try TestEnvironment.temporaryFolder("data")
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        for name in ["medabs", "finance"] {
            _ = try await fetcher("good").fetch(try spec(name), into: first)
            _ = try await fetcher("good").fetch(try spec(name), into: second)
            for split in SplitName.allCases {
                let a = try Data(contentsOf: first.appendingPathComponent("\(name)/\(split.rawValue).jsonl"))
                let b = try Data(contentsOf: second.appendingPathComponent("\(name)/\(split.rawValue).jsonl"))
                #expect(a == b, "\(name) \(split)")
            }
        }
        // The valid split is not simply the first rows of each class.
        let valid = try catalog(first).load("finance").split(.valid).ids
        #expect(valid != ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
    }

    @Test(arguments: ["youtube", "medabs", "cancer", "french", "finance"])
    func aCutDownloadLeavesNothing(_ name: String) async throws {
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        await #expect(throws: (any Error).self) { _ = try await self.fetcher("cut/good").fetch(try self.spec(name), into: data) }
        #expect(contents(data).isEmpty, "\(contents(data))")
        #expect(catalog(data).entry(named: name)?.isPresent == false)
    }

    @Test func aFailedFetchKeepsTheDatasetThatWasThere() async throws {
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        _ = try await fetcher("good").fetch(try spec("medabs"), into: data)
        let before = try Data(contentsOf: data.appendingPathComponent("medabs/train.jsonl"))
        await #expect(throws: (any Error).self) { _ = try await self.fetcher("cut/good").fetch(try self.spec("medabs"), into: data, replace: true) }
        await #expect(throws: (any Error).self) { _ = try await self.fetcher("columns").fetch(try self.spec("medabs"), into: data, replace: true) }
        #expect(contents(data) == ["medabs"])
        #expect(try Data(contentsOf: data.appendingPathComponent("medabs/train.jsonl")) == before)
        // Without replace, a present dataset is refused before anything is downloaded.
        let again = await failure { _ = try await self.fetcher("good").fetch(try self.spec("medabs"), into: data) }
        #expect(again?.contains("already present") == true, "\(again ?? "no error")")
    }

    /// A changed format is an error that names the URL and what was expected, and leaves nothing.
    @Test(arguments: [
        ("columns", "medabs", ["/columns/medabs/medical_tc_train.csv", "\"medical_abstract\" and \"condition_label\"", "label, text"]),
        ("labels", "medabs", ["/labels/medabs/medical_tc_train.csv", "line 10", "label \"7\"", "\"1\", \"2\", \"3\", \"4\", \"5\""]),
        ("columns", "french", ["/columns/french/0000.parquet", "\"reader_review\""]),
        ("labels", "french", ["/labels/french/0000.parquet", "row 1", "label \"2\"", "\"-1\", \"0\", \"1\""]),
        ("notzip", "finance", ["/notzip/finance/FinancialPhraseBank-v1.0.zip", "expected a zip archive", "not a zip archive"]),
        ("member", "finance", ["/member/finance/FinancialPhraseBank-v1.0.zip", "Sentences_AllAgree.txt", "Sentences_50Agree.txt"]),
        ("labels", "finance", ["Sentences_AllAgree.txt", "line 41", "label \"bearish\"", "\"negative\", \"neutral\", \"positive\""]),
        ("nowhere", "cancer", ["/nowhere/cancer/0000.parquet", "HTTP 404"]),
        ("html", "cancer", ["/html/cancer/0000.parquet", "expected parquet", "cannot read it as Parquet"]),
    ])
    func aChangedFormatIsAClearError(_ prefix: String, _ name: String, _ phrases: [String]) async throws {
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        var message = ""
        do {
            _ = try await fetcher(prefix).fetch(try spec(name), into: data)
            Issue.record("\(prefix)/\(name) fetched")
        } catch {
            message = "\(error)"
        }
        for phrase in phrases { #expect(message.contains(phrase), "\(message) lacks \(phrase)") }
        #expect(contents(data).isEmpty, "\(contents(data))")
    }

    @Test func redditHasNoSourceAndSaysHowToAddIt() async throws {
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        let reddit = try spec("reddit")
        #expect(!FetchRoute.of(reddit).isFetchable)
        let entry = try #require(catalog(data).entry(named: "reddit"))
        #expect(!entry.isFetchable && entry.noPublicSource?.contains("alchemist datasets add reddit --from FILE") == true)
        let refused = await failure { _ = try await self.fetcher("good").fetch(reddit, into: data) }
        #expect(refused?.contains("no public labeled copy") == true && refused?.contains("datasets add reddit --from FILE") == true, "\(refused ?? "no error")")
        #expect(contents(data).isEmpty)
        #expect(throws: DatasetError.self) { try catalog(data).load("reddit") }
        // Every named dataset but reddit can be fetched, and --all takes the absent ones in config order.
        #expect(catalog(data).absentFetchable().map(\.name) == config.datasets.map(\.name).filter { $0 != "reddit" })
        #expect(DatasetImport.reservedNames(config) == Set(config.datasets.map(\.name)).subtracting(["reddit"]))

        // `datasets add reddit --from FILE` makes it present with config.json's classes (labels by name or id).
        let file = data.appendingPathComponent("posts.csv")
        let rows = (0..<12).map { "\($0 % 3 == 1 ? "biology" : String($0 % 3)),post \($0)" }
        try Data((["label,text"] + rows).joined(separator: "\n").utf8).write(to: file)
        let request = DatasetImport.request(DatasetImportRequest(name: "reddit", source: file), config: config)
        #expect(request.classes == reddit.labels && request.description == reddit.description)
        let plan = try DatasetImport.plan(request, reservedNames: DatasetImport.reservedNames(config))
        try DatasetImport.write(plan, into: data)
        let added = try catalog(data).load("reddit")
        #expect(added.labelNames == reddit.labels)
        #expect(classCounts(try added.split(.train), classes: 3) == [2, 2, 2])
        #expect(throws: DatasetError.self) {
            try DatasetImport.plan(DatasetImport.request(DatasetImportRequest(name: "finance", source: file), config: self.config),
                                   reservedNames: DatasetImport.reservedNames(self.config))
        }
    }

    @Test func withoutAnOverrideTheSourcesOwnURLsAreUsed() throws {
        let plain = try DatasetFetcher.mirror(config: config, environment: [:])
        #expect(plain.sourceBaseURL == nil)
        let viaEnvironment = try DatasetFetcher.mirror(config: config, environment: ["ALCHEMIST_FETCH_BASE_URL": server.baseURL])
        #expect(viaEnvironment.sourceBaseURL?.absoluteString == server.baseURL)
    }
}
