import Engine
import Foundation
import Testing
import TestSupport

@Suite struct ConfigTests {
    let file = TestEnvironment.repositoryRoot.appendingPathComponent("config.json")

    /// config.json as a mutable object, changed by `edit`, then parsed by the loader.
    func parseEdited(_ edit: (inout [String: Any]) -> Void) throws -> AppConfig {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        edit(&object)
        return try ConfigLoader.parse(try JSONSerialization.data(withJSONObject: object), file: file)
    }

    func failure(_ edit: (inout [String: Any]) -> Void) -> JSONReadError? {
        do {
            _ = try parseEdited(edit)
            return nil
        } catch {
            return error as? JSONReadError
        }
    }

    @Test func projectConfigHoldsTheOptionTables() throws {
        let config = try ConfigLoader.load(from: file)
        #expect(config.datasets.map(\.name) == ["youtube", "sms", "imdb", "yelp", "agnews", "medabs", "cancer", "reddit", "french", "finance"])
        #expect(config.dataset(named: "agnews")?.labels == ["world", "sports", "business", "sci/tech"])
        #expect(config.dataset(named: "medabs")?.labels.count == 5)
        #expect(config.dataset(named: "cancer")?.labels.count == 3)
        #expect(config.dataset(named: "french")?.labels == ["negative", "neutral", "positive"])
        #expect(config.dataset(named: "youtube")?.task == .binary)
        #expect(config.modes.map(\.id) == ["scriptorium", "alchemist", "alchemist-rag"])
        #expect(config.priorTypes.count == 4)
        for id in ["gpt-3.5-turbo-0125", "gpt-4-0613", "claude-2.1", "claude-3-sonnet-20240229", "gpt-4o-mini", "gpt-4o",
                   "gpt-4.1-mini", "gpt-5-mini", "claude-sonnet-4-5", "claude-haiku-4-5", "text-embedding-3-small", "builtin"] {
            #expect(config.model(id: id) != nil, "model \(id) missing")
        }
        #expect(config.model(id: "gpt-4o-mini")?.inputPerMTok == Decimal(string: "0.15"))
        #expect(config.model(id: "gpt-4-0613")?.outputPerMTok == 60)
        #expect(config.model(id: "claude-2.1")?.retired != nil)
        #expect(config.rag.chunkSize == 1000 && config.rag.chunkOverlap == 20 && config.rag.topK == 3)
    }

    @Test func unknownKeyNamesItsPathAndTheFile() {
        let topLevel = failure { $0["colour"] = "blue" }
        #expect(topLevel?.keyPath == "colour")
        #expect(topLevel?.file == file.path)
        #expect(topLevel?.description.contains("config.json") == true)
        let nested = failure { object in
            var sandbox = object["sandbox"] as? [String: Any] ?? [:]
            sandbox["wokers"] = 2
            object["sandbox"] = sandbox
        }
        #expect(nested?.keyPath == "sandbox.wokers")
        #expect(nested?.reason == "unknown key")
    }

    @Test func missingFieldIsNamed() {
        let error = failure { object in
            var datasets = object["datasets"] as? [String: Any] ?? [:]
            var sms = datasets["sms"] as? [String: Any] ?? [:]
            sms.removeValue(forKey: "labels")
            datasets["sms"] = sms
            object["datasets"] = datasets
        }
        #expect(error?.keyPath == "datasets.sms.labels")
        #expect(error?.reason.contains("missing") == true)
    }

    @Test func wrongTypeIsNamed() {
        let error = failure { object in
            var rag = object["rag"] as? [String: Any] ?? [:]
            rag["top_k"] = "three"
            object["rag"] = rag
        }
        #expect(error?.keyPath == "rag.top_k")
        #expect(error?.reason.contains("expected an integer") == true)
        let number = failure { object in
            var sandbox = object["sandbox"] as? [String: Any] ?? [:]
            sandbox["cpu_ms_per_row"] = "fast"
            object["sandbox"] = sandbox
        }
        #expect(number?.keyPath == "sandbox.cpu_ms_per_row")
        let old = failure { object in
            var sandbox = object["sandbox"] as? [String: Any] ?? [:]
            sandbox["max_timeouts"] = 3
            object["sandbox"] = sandbox
        }
        #expect(old?.keyPath == "sandbox.max_timeouts")
        #expect(old?.reason.contains("renamed to max_limit_hits") == true)
    }

    @Test func badPriceAndProviderAreNamedWithTheirIndex() {
        let price = failure { object in
            var models = object["models"] as? [[String: Any]] ?? []
            models[1]["input_per_mtok"] = "cheap"
            object["models"] = models
        }
        #expect(price?.keyPath == "models[1].input_per_mtok")
        let provider = failure { object in
            var models = object["models"] as? [[String: Any]] ?? []
            models[0]["provider"] = "acme"
            object["models"] = models
        }
        #expect(provider?.keyPath == "models[0].provider")
        #expect(provider?.reason.contains("acme") == true)
    }

    @Test func nullableKeysMustBePresent() {
        let error = failure { object in
            var paths = object["paths"] as? [String: Any] ?? [:]
            paths.removeValue(forKey: "lf_dir")
            object["paths"] = paths
        }
        #expect(error?.keyPath == "paths.lf_dir")
    }

    @Test func invalidJSONNamesTheFile() {
        #expect(throws: JSONReadError.self) { try ConfigLoader.parse(Data("{\"version\": 1,".utf8), file: file) }
    }

    @Test func pathsFollowFlagsThenEnvironmentThenConfig() throws {
        let config = try ConfigLoader.load(from: file)
        let cwd = URL(fileURLWithPath: "/tmp")
        let fromConfig = AppPaths.resolve(config: config, environment: ["HOME": "/home/u"], currentDirectory: cwd)
        #expect(fromConfig.dataDir == TestEnvironment.repositoryRoot.appendingPathComponent("datasets").standardizedFileURL)
        #expect(fromConfig.appHome.path == "/home/u/.local/share/alchemist")
        #expect(fromConfig.lfDir.path == "/home/u/.local/share/alchemist/programs")
        let fromEnv = AppPaths.resolve(config: config, environment: ["ALCHEMIST_DATA_DIR": "/data", "XDG_DATA_HOME": "/xdg"], currentDirectory: cwd)
        #expect(fromEnv.dataDir.path == "/data")
        #expect(fromEnv.appHome.path == "/xdg/alchemist")
        let fromFlag = AppPaths.resolve(config: config, dataDirFlag: "d", lfDirFlag: "lfs",
                                        environment: ["ALCHEMIST_DATA_DIR": "/data", "ALCHEMIST_HOME": "/h"], currentDirectory: cwd)
        #expect(fromFlag.dataDir.path == "/tmp/d")
        #expect(fromFlag.lfDir.path == "/tmp/lfs")
        #expect(fromFlag.appHome.path == "/h")
        #expect(fromFlag.expLogDir.path == "/h/exp_log")
    }
}
