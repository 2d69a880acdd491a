import Engine
import Foundation


/// Labels computed by running trusted test programs directly in python3: the reference the sandbox must match.
public enum ReferenceLabels {
    static let script = """
    import json, sys
    job = json.load(sys.stdin)
    k = job["classes"]
    columns = []
    for source in job["programs"]:
        namespace = {}
        exec(compile(source, "<reference>", "exec"), namespace)
        f = namespace["label_function"]
        column = []
        for text in job["texts"]:
            try:
                value = f(text)
            except Exception:
                value = -1
            column.append(value if type(value) is int and -1 <= value < k else -1)
        columns.append(column)
    print(json.dumps(columns))
    """

    /// One column of votes per program.
    public static func compute(_ sources: [String], texts: [String], classCount: Int) throws -> [[Int]] {
        let job: [String: Any] = ["programs": sources, "texts": texts, "classes": classCount]
        let output = try PythonReference.run(script, input: try JSONSerialization.data(withJSONObject: job))
        return try JSONSerialization.jsonObject(with: output) as? [[Int]] ?? []
    }
}

public enum SandboxFixtures {
    public static func demoTexts(limit: Int) throws -> [String] {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        return Array(try DatasetCatalog(config: config, paths: paths).load("demo").split(.train).texts.prefix(limit))
    }

    public static func examplePrograms(_ dataset: String) throws -> [LabelingProgram] {
        try ProgramStore.programs(under: TestEnvironment.repositoryRoot.appendingPathComponent("examples/programs/\(dataset)"))
    }
}
