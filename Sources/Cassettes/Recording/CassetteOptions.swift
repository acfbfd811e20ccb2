import Foundation
import OrchJSON

/// How a `CassetteTransport` stores, matches and replays. The defaults suit LLM APIs.
public struct CassetteOptions: Sendable {
    public var redaction: Redaction
    public var matching: MatchingRules
    public var latency: ReplayLatency
    /// Metadata written with newly recorded interactions (`recordedAt` is filled in).
    public var metadata: CassetteMetadata
    public var codec: BodyCodec
    /// Response headers not stored because they change on every call.
    public var volatileResponseHeaders: Set<String>
    /// Response header name prefixes not stored, for families like `x-ratelimit-…`.
    public var volatileResponseHeaderPrefixes: [String]
    /// A file to which every served or recorded interaction is appended as a JSON line, for
    /// `orch-eval cassettes verify --usage-log`. Defaults to `$ORCH_CASSETTE_USAGE_LOG`.
    public var usageLog: URL?
    public var scanner: SecretScanner

    public static let usageLogVariable = "ORCH_CASSETTE_USAGE_LOG"

    public init(redaction: Redaction = Redaction(), matching: MatchingRules = MatchingRules(),
                latency: ReplayLatency = .immediate, metadata: CassetteMetadata = CassetteMetadata(),
                codec: BodyCodec = BodyCodec(),
                volatileResponseHeaders: Set<String> = CassetteOptions.defaultVolatileResponseHeaders,
                volatileResponseHeaderPrefixes: [String] = ["x-ratelimit-", "anthropic-ratelimit-", "cf-", "x-envoy-"],
                usageLog: URL? = nil, scanner: SecretScanner = SecretScanner()) {
        self.redaction = redaction
        self.matching = matching
        self.latency = latency
        self.metadata = metadata
        self.codec = codec
        self.volatileResponseHeaders = volatileResponseHeaders
        self.volatileResponseHeaderPrefixes = volatileResponseHeaderPrefixes
        self.usageLog = usageLog
        self.scanner = scanner
    }

    public static let defaultVolatileResponseHeaders: Set<String> = [
        "date", "age", "expires", "x-request-id", "request-id", "x-amzn-requestid", "apim-request-id",
        "x-ms-request-id", "x-ms-region", "openai-processing-ms", "server-timing", "set-cookie", "via",
        "alt-svc", "content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive",
        "x-cloud-trace-context", "traceparent", "etag", "last-modified", "report-to", "nel",
    ]

    func isVolatile(responseHeader name: String) -> Bool {
        volatileResponseHeaders.contains(name) || volatileResponseHeaderPrefixes.contains { name.hasPrefix($0) }
    }
}

/// What makes two requests "the same" for replay: method, normalized URL and canonical body
/// always; request headers too, except the ignored ones.
public struct MatchingRules: Sendable {
    /// JSON body paths left out of the comparison (`metadata.user_id`, `messages.*.id`).
    public var ignoredBodyPaths: [JSONPath]
    /// Request headers (any case) left out of the comparison.
    public var ignoredHeaders: Set<String>
    /// When every recorded interaction for a request has been served, serve the last one
    /// again instead of failing.
    public var allowRepeats: Bool

    public init(ignoredBodyPaths: [JSONPath] = [], ignoredHeaders: Set<String> = MatchingRules.defaultIgnoredHeaders,
                allowRepeats: Bool = false) {
        self.ignoredBodyPaths = ignoredBodyPaths
        self.ignoredHeaders = Set(ignoredHeaders.map { $0.lowercased() })
        self.allowRepeats = allowRepeats
    }

    /// Headers that differ between runs for reasons unrelated to what is asked.
    public static let defaultIgnoredHeaders: Set<String> = [
        "user-agent", "content-length", "mcp-session-id", "accept-encoding", "accept-language", "connection", "host", "date",
        "x-request-id", "idempotency-key", "traceparent", "tracestate", "x-stainless-retry-count",
        "x-stainless-os", "x-stainless-arch", "x-stainless-runtime", "x-stainless-runtime-version",
        "x-stainless-package-version", "x-stainless-lang", "x-stainless-timeout", "x-stainless-async",
    ]
}
