import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OpenAI embeddings endpoint (`POST {base}/embeddings`), also served by OpenAI-compatible
/// servers: inputs in batches, vectors put back in input order by their `index`, usage reported per
/// call so the ledger can price it. Retries follow the same rules as chat calls.
public struct OpenAIEmbedder: ModelEmbedder {
    public var model: ModelSpec
    public var baseURL: String
    public var apiKey: String?
    public var batchSize = 128
    public var policy = RetryPolicy()
    /// Called after every batch with what it cost (for the ledger).
    public var onUsage: @Sendable (EmbeddingUsage) -> Void = { _ in }

    public init(model: ModelSpec, baseURL: String, apiKey: String?) {
        self.model = model
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    public var id: String { "openai-\(model.apiModel)" }
    public func embed(_ texts: [String]) async throws -> (EmbeddingMatrix, EmbeddingUsage?) {
        var values: [Float] = []
        var dimension = 0
        var total = EmbeddingUsage(model: model, inputTokens: 0, estimated: false, latencySeconds: 0)
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(texts[start..<min(start + batchSize, texts.count)])
            let (vectors, usage) = try await call(batch)
            onUsage(usage)
            total.inputTokens += usage.inputTokens
            total.estimated = total.estimated || usage.estimated
            total.latencySeconds += usage.latencySeconds
            for vector in vectors {
                if dimension == 0 { dimension = vector.count }
                guard vector.count == dimension, dimension > 0 else {
                    throw ProviderError(kind: .malformed, provider: "openai", message: "embeddings of different lengths (\(dimension) and \(vector.count))")
                }
                values += vector
            }
        }
        return (.dense(dimension: dimension, values: normalizedRows(dimension: dimension, values: values)), total)
    }

    private func call(_ batch: [String]) async throws -> ([[Float]], EmbeddingUsage) {
        let url = try JSONPost.url(base: baseURL, path: "/embeddings", provider: "openai")
        var request = URLRequest(url: url, timeoutInterval: 120)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "authorization") }
        request.httpBody = try JSONSerialization.data(withJSONObject: ["model": model.apiModel, "input": batch, "encoding_format": "float"])
        var retries = 0
        while true {
            let started = ContinuousClock.now
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                guard status == 200 else {
                    var error = ErrorBody.parse(data, provider: "openai", status: status)
                    if let http = response as? HTTPURLResponse {
                        error.retryAfter = RetryPolicy.serverDelay(headers: StreamingChatClient<OpenAIChatWire>.headers(http))
                    }
                    throw error
                }
                let elapsed = ContinuousClock.now - started
                return try parse(data, count: batch.count, texts: batch,
                                 latency: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            } catch let error as ProviderError {
                guard case .retry(let delay) = policy.decide(error, retriesDone: retries, jitter: Double.random(in: 0..<1)) else { throw error }
                retries += 1
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            } catch let error as URLError {
                let failure = ProviderError(kind: error.code == .timedOut ? .timeout : .connection, provider: "openai",
                                            message: error.localizedDescription)
                guard case .retry(let delay) = policy.decide(failure, retriesDone: retries, jitter: Double.random(in: 0..<1)) else { throw failure }
                retries += 1
                try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            }
        }
    }

    private func parse(_ data: Data, count: Int, texts: [String], latency: Double) throws -> ([[Float]], EmbeddingUsage) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let items = object["data"] as? [[String: Any]], items.count == count else {
            throw ProviderError(kind: .malformed, provider: "openai", message: "the embeddings answer does not hold \(count) vectors")
        }
        var vectors = [[Float]](repeating: [], count: count)
        for item in items {
            guard let index = (item["index"] as? NSNumber)?.intValue, (0..<count).contains(index),
                  let numbers = item["embedding"] as? [NSNumber] else {
                throw ProviderError(kind: .malformed, provider: "openai", message: "an embedding without index or vector")
            }
            vectors[index] = numbers.map { $0.floatValue }
        }
        let reported = ((object["usage"] as? [String: Any])?["prompt_tokens"] as? NSNumber)?.intValue
        let tokens = reported.flatMap { $0 > 0 ? $0 : nil } ?? texts.reduce(0) { $0 + TokenEstimate.tokens($1) }
        return (vectors, EmbeddingUsage(model: model, inputTokens: tokens, estimated: reported == nil || reported == 0, latencySeconds: latency))
    }
}
