import Engine
import Foundation
import Testing
import TestSupport

@Suite struct PromptTemplateTests {
    @Test func everyNamedDatasetHasTemplatesWhoseIdsMatchItsLabels() throws {
        let config = try TestEnvironment.config()
        let templates = try PromptTemplates.bundled()
        for spec in config.datasets {
            let template = try #require(templates.byDataset[spec.name], "no template for \(spec.name)")
            #expect(template.signature.hasPrefix("def label_function("))
            #expect(template.signature.hasSuffix("):"))
            for (id, name) in spec.labels.enumerated() {
                #expect(template.labelingInstruction.localizedCaseInsensitiveContains(name), "\(spec.name): \(name) missing")
                #expect(template.labelingInstruction.contains("\(id)"), "\(spec.name): id \(id) missing")
            }
            #expect(template.priorRequest.components(separatedBy: "[prior knowledge]").count == 2)
            let filled = template.priorRequest(for: config.priorTypes[1])
            #expect(filled.contains(config.priorTypes[1].name) && !filled.contains("[prior knowledge]"))
            #expect(template.annotatorPrompt(for: "HELLO").contains("HELLO"))
        }
    }

    @Test func customDatasetGetsTemplatesFromItsClassesAndTask() throws {
        let templates = try PromptTemplates.bundled()
        let template = templates.generated(name: "tickets", task: "Sort support tickets by urgency", classes: ["routine", "urgent"])
        #expect(template.labelingInstruction.contains("0 = routine, 1 = urgent"))
        #expect(template.mission.contains("Sort support tickets by urgency."))
        #expect(template.signature == "def label_function(text):")
        for text in [template.codeSystem, template.mission, template.labelingInstruction, template.knowledgeSystem,
                     template.priorRequest, template.annotatorPrompt] {
            #expect(!text.contains("{task}") && !text.contains("{classes}") && !text.contains("{param}") && !text.contains("{name}"))
        }
        #expect(template.parameterName == "text")
    }
}
