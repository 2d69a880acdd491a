import Engine
import Foundation
import Testing

/// The one rule of when a generation can start, in the order a user fixes things.
@Suite struct GenerationBlockerTests {
    let ready = GenerationBlocker.ModelReadiness(id: "gpt-4o-mini", keyVariable: "OPENAI_API_KEY", hasKey: true, isInstalled: true)

    @Test func eachReasonInTheOrderToFixIt() {
        func first(dataset: String? = "sms", present: Bool = true, template: Bool = true, mode: GenerationMode = .alchemist,
                   models: [GenerationBlocker.ModelReadiness]? = nil, path: String? = nil) -> GenerationBlocker? {
            GenerationBlocker.first(dataset: dataset, datasetPresent: present, hasTemplate: template, mode: mode,
                                    models: models ?? [ready], knowledgePath: path)
        }
        #expect(first() == nil)
        #expect(first(dataset: nil, present: false) == .noDataset)
        #expect(first(present: false, template: false) == .datasetAbsent("sms"))
        #expect(first(template: false) == .noTemplate("sms"))
        var keyless = ready
        keyless.hasKey = false
        #expect(first(models: [ready, keyless]) == .missingKey(model: "gpt-4o-mini", variable: "OPENAI_API_KEY"))
        let local = GenerationBlocker.ModelReadiness(id: "qwen-local", keyVariable: nil, hasKey: true, isInstalled: false)
        #expect(first(models: [local]) == .notInstalled(model: "qwen-local"))
        #expect(first(mode: .alchemistRAG, path: "  ") == .noKnowledgePath)
        #expect(first(mode: .alchemistRAG, path: "docs/") == nil)
        #expect(first(mode: .scriptorium, path: nil) == nil)
        #expect(GenerationBlocker.datasetAbsent("sms").description == "sms is not on disk: run `alchemist datasets fetch sms`")
        #expect(GenerationBlocker.datasetAbsent("reddit", fetchable: false).description
            == "reddit is not on disk and has no public source: add it with `alchemist datasets add reddit --from FILE`")
    }
}
