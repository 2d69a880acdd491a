import Engine
import Foundation
import Testing
import TestSupport

/// What a Spark job hands the run — the histogram, summed document frequencies and the rows a
/// sample job collects below the draw threshold — makes the same run as the local vote matrix and
/// passes over the split's file.
@Suite struct RemoteTrainVotesTests {
    @Test(arguments: [nil, 150])
    func aHistogramAndASampleMakeTheLocalRun(limit: Int?) throws {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        let dataset = try DatasetCatalog(config: config, paths: paths).load("demo")
        let train = try dataset.split(.train)
        // Votes made up from the texts (no sandbox needed): three keyword programs.
        func votes(_ texts: [String]) -> LabelMatrix {
            LabelMatrix(rows: texts.map { text in
                let lower = text.lowercased()
                return [lower.contains("free") ? 1 : -1, lower.contains("please") ? 0 : -1, lower.count > 60 ? 1 : (lower.count < 25 ? 0 : -1)]
            })
        }
        var matrices: [SplitName: LabelMatrix] = [:]
        for split in SplitName.allCases { if let rows = dataset.splits[split] { matrices[split] = votes(rows.texts) } }
        let trainVotes = try #require(matrices[.train])
        let run = LabelingRun(settings: LabelingSettings(runs: 2, labelModels: [.mv, .snorkel], endModels: [.lr, .mlp], featureBits: 10,
                                                         endModelRows: limit))
        let local = try run.run(dataset: dataset, train: .local(trainVotes, train: TrainSource(rows: train)), programNames: ["a", "b", "c"],
                                matrices: matrices, cost: 0)

        // The Spark side: a histogram counted in two parts, frequencies counted in two parts, and
        // a sample that returns every row below the threshold, in row order.
        var patterns: [[Int]] = [], counts: [Int] = []
        for part in [trainVotes.slice(rows: 0..<100), trainVotes.slice(rows: 100..<trainVotes.rows)].map(VotePatterns.init(counting:)) {
            for pattern in 0..<part.count {
                patterns.append(part.votes.row(pattern).map(Int.init))
                counts.append(part.counts[pattern])
            }
        }
        var frequencies = HashedTFIDF.DocumentFrequencies(bits: 10)
        frequencies.count(Array(train.texts.prefix(100)))
        frequencies.count(Array(train.texts.dropFirst(100)))
        let texts = train.texts
        let histogram = try VotePatterns(patterns: patterns, counts: counts, columns: 3)
        let threshold = EndModelRows.drawThreshold(limit: limit, covered: histogram.coveredRows)
        let sample = (0..<texts.count).filter { row in threshold.map { EndModelRows.draw(row: row) < $0 } ?? true }
            .map { row in SampledRow(row: row, text: texts[row], votes: Array(trainVotes.row(row))) }
        let remote = TrainVotes.remote(patterns: histogram, features: frequencies.fitted(), sample: sample, drawnBelow: threshold)
        let spark = try run.run(dataset: dataset, train: remote, programNames: ["a", "b", "c"], matrices: matrices, cost: 0)

        #expect(spark.trainingRows == local.trainingRows && (limit.map { spark.trainingRows == $0 } ?? true))
        #expect(spark.coverage == local.coverage)
        #expect(spark.labelModels.map { $0.scores.test.accuracy.mean } == local.labelModels.map { $0.scores.test.accuracy.mean })
        #expect(spark.endModels.map { $0.scores.test.accuracy.mean } == local.endModels.map { $0.scores.test.accuracy.mean })
        let fittedLocal = try #require(local.fitted), fittedSpark = try #require(spark.fitted)
        #expect(try LabelModelID.archive(fittedSpark.labelModel.model) == LabelModelID.archive(fittedLocal.labelModel.model))
        let features = try #require(fittedLocal.features).transform(try dataset.split(.test).texts)
        #expect(fittedSpark.features?.inverseDocumentFrequency == fittedLocal.features?.inverseDocumentFrequency)
        #expect(fittedSpark.endModel?.kept.model.predictProbabilities(features) == fittedLocal.endModel?.kept.model.predictProbabilities(features))
    }
}
