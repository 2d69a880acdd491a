import Engine
import Foundation
import Testing
import TestSupport

@Suite struct FeatureCacheTests {
    let fit = ["the server is down", "printer toner please", "vpn broken again", "café order 🙂"]
    let texts = ["server down", "new mouse please", "", "日本 café"]

    func computed(bits: Int) -> SparseMatrix {
        var source = HashedTFIDF(bits: bits)
        source.fit(fit)
        return source.transform(texts)
    }

    @Test func storesOnceAndReadsBackTheSameFeatures() throws {
        let folder = try TestEnvironment.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = FeatureCache(folder: folder)
        let first = cache.features(fitTexts: fit, texts: texts, bits: 10)
        #expect(first == computed(bits: 10))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.count == 1 && files[0].hasSuffix(".features"))
        let modified = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(files[0]).path)[.modificationDate] as? Date
        #expect(cache.features(fitTexts: fit, texts: texts, bits: 10) == first)
        let again = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(files[0]).path)[.modificationDate] as? Date
        #expect(modified == again)  // read, not rewritten
    }

    @Test func otherTextsOrSettingsGetTheirOwnEntry() throws {
        let folder = try TestEnvironment.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = FeatureCache(folder: folder)
        _ = cache.features(fitTexts: fit, texts: texts, bits: 10)
        _ = cache.features(fitTexts: fit, texts: texts, bits: 11)
        _ = cache.features(fitTexts: fit, texts: texts.dropLast() + ["日本 cafe"], bits: 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 3)
    }

    @Test func aDamagedFileIsIgnoredAndRebuilt() throws {
        let folder = try TestEnvironment.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = FeatureCache(folder: folder)
        _ = cache.features(fitTexts: fit, texts: texts, bits: 10)
        let file = folder.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: folder.path)[0])
        let whole = try Data(contentsOf: file)
        try whole.prefix(whole.count / 2).write(to: file)
        #expect(cache.features(fitTexts: fit, texts: texts, bits: 10) == computed(bits: 10))
        #expect(try Data(contentsOf: file) == whole)
    }
}
