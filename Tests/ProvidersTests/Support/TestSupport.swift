import Cassettes
import Foundation
import Providers
import Synchronization

/// A transport for tests that must not reach any server.
struct NoNetwork: HTTPTransport {
    struct Reached: Error {}
    func send(_ request: HTTPRequest) async throws -> HTTPResponse { throw Reached() }
}

/// Fake credentials, assembled at run time so no key-shaped literal sits in the repository.
enum FakeKey {
    static var openAI: String { "sk-" + "proj-" + String(repeating: "a1B2", count: 12) }
    static var azure: String { String(repeating: "0123456789abcdef", count: 2) }
    static var anthropic: String { "sk-" + "ant-" + "api03-" + String(repeating: "Zz9", count: 16) }
    static var google: String { "AI" + "za" + String(repeating: "Sy0", count: 11) + "x" }
    static var jwt: String {
        "ey" + "J" + String(repeating: "h", count: 20) + ".ey" + "J" + String(repeating: "p", count: 20) + "." + String(repeating: "s", count: 20)
    }
}

/// Retries without waiting; `waits` lists what the policy would have slept.
final class InstantRetry: Sendable {
    private let log = Mutex<[Duration]>([])
    var waits: [Duration] { log.withLock { $0 } }
    var policy: RetryPolicy {
        RetryPolicy(sleep: { [self] duration in log.withLock { $0.append(duration) } }, random: { 0 })
    }
}

/// A fresh deterministic clock: every reading 10 ms after the previous, starting at 0.
var steppingClock: ProviderClock { .stepping(by: 10) }
