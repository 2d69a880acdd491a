@testable import Engine
import Foundation
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()

    func http(_ status: Int, type: String? = nil, code: String? = nil, retryAfter: Double? = nil) -> ProviderError {
        ProviderError(kind: .http, provider: "openai", status: status, type: type, code: code, message: "x", retryAfter: retryAfter)
    }

    @Test(arguments: [408, 409, 429, 500, 502, 503, 504, 529])
    func retryableStatusesAreRetriedTwiceThenGivenUp(status: Int) {
        let error = http(status)
        #expect(policy.decide(error, retriesDone: 0, jitter: 0) == .retry(after: 0.5))
        #expect(policy.decide(error, retriesDone: 1, jitter: 0) == .retry(after: 1.0))
        #expect(policy.decide(error, retriesDone: 2, jitter: 0) == .giveUp)
    }

    @Test(arguments: [400, 401, 402, 403, 404, 413, 422])
    func otherClientErrorsAreNotRetried(status: Int) {
        #expect(policy.decide(http(status), retriesDone: 0, jitter: 0) == .giveUp)
    }

    @Test func exhaustedQuotaAndSpendLimitsAreNotRetried() {
        #expect(policy.decide(http(429, type: "insufficient_quota", code: "insufficient_quota"), retriesDone: 0, jitter: 0) == .giveUp)
        #expect(policy.decide(http(429, type: "rate_limit_error", code: "enforced_spend_limit_reached"), retriesDone: 0, jitter: 0) == .giveUp)
        #expect(policy.decide(http(429, type: "rate_limit_error"), retriesDone: 0, jitter: 0) == .retry(after: 0.5))
    }

    @Test func backoffDoublesWithJitterAndIsCapped() {
        let many = RetryPolicy(maxRetries: 10)
        let error = http(500)
        let delays = (0..<7).map { retries -> Double in
            guard case .retry(let delay) = many.decide(error, retriesDone: retries, jitter: 0) else { return -1 }
            return delay
        }
        #expect(delays == [0.5, 1, 2, 4, 8, 8, 8])
        // Jitter takes off up to a quarter.
        #expect(many.decide(error, retriesDone: 2, jitter: 1) == .retry(after: 1.5))
        #expect(many.decide(error, retriesDone: 2, jitter: 0.5) == .retry(after: 1.75))
    }

    @Test func serverDelayIsHonouredUnlessTooLong() {
        #expect(policy.decide(http(429, retryAfter: 3), retriesDone: 0, jitter: 0.9) == .retry(after: 3))
        #expect(policy.decide(http(529, retryAfter: 0.25), retriesDone: 1, jitter: 0) == .retry(after: 0.25))
        #expect(policy.decide(http(429, retryAfter: 600), retriesDone: 0, jitter: 0) == .giveUp)
    }

    @Test func retryAfterHeadersAreRead() {
        #expect(RetryPolicy.serverDelay(headers: ["retry-after-ms": "1500", "retry-after": "9"]) == 1.5)
        #expect(RetryPolicy.serverDelay(headers: ["Retry-After": "2"]) == 2)
        let now = Date(timeIntervalSince1970: 1_000_000_000)
        let httpDate = "Sun, 09 Sep 2001 01:46:50 GMT"  // 10 s after `now`
        #expect(RetryPolicy.serverDelay(headers: ["retry-after": httpDate], now: now) == 10)
        #expect(RetryPolicy.serverDelay(headers: ["retry-after": "soon"]) == nil)
        #expect(RetryPolicy.serverDelay(headers: [:]) == nil)
    }

    @Test func shouldRetryHeaderOverridesTheStatus() {
        var error = http(400)
        error.shouldRetryHeader = true
        #expect(policy.decide(error, retriesDone: 0, jitter: 0) == .retry(after: 0.5))
        error = http(503)
        error.shouldRetryHeader = false
        #expect(policy.decide(error, retriesDone: 0, jitter: 0) == .giveUp)
    }

    @Test func connectionFailuresAreRetriedButNothingAfterTheFirstByte() {
        let refused = ProviderError(kind: .connection, provider: "anthropic", message: "refused")
        #expect(policy.decide(refused, retriesDone: 0, jitter: 0) == .retry(after: 0.5))
        let timeout = ProviderError(kind: .timeout, provider: "anthropic", message: "no answer")
        #expect(policy.decide(timeout, retriesDone: 1, jitter: 0) == .retry(after: 1))
        for kind in [ProviderError.Kind.truncated, .timeout, .streamError, .malformed] {
            let late = ProviderError(kind: kind, provider: "openai", message: "cut", afterFirstByte: true)
            #expect(policy.decide(late, retriesDone: 0, jitter: 0) == .giveUp)
        }
        let missing = ProviderError(kind: .missingKey, provider: "openai", message: "OPENAI_API_KEY is not set")
        #expect(policy.decide(missing, retriesDone: 0, jitter: 0) == .giveUp)
    }

    @Test func dotEnvLinesAreParsed() {
        let parsed = APIKeys.parseDotEnv("""
        # comment
        OPENAI_API_KEY=sk-one
        export ANTHROPIC_API_KEY="sk ant two"
        EMPTY=
        QUOTED='x # not a comment'
        TRAILING=value # a comment
        not a line
        """)
        #expect(parsed == ["OPENAI_API_KEY": "sk-one", "ANTHROPIC_API_KEY": "sk ant two", "EMPTY": "",
                           "QUOTED": "x # not a comment", "TRAILING": "value"])
        let keys = APIKeys(environment: ["OPENAI_API_KEY": "from-env", "EMPTY_VAR": ""], dotEnv: nil)
        #expect(keys.value("OPENAI_API_KEY") == "from-env")
        #expect(keys.value("EMPTY_VAR") == nil)
    }
}
