import Cassettes
import Synchronization

/// The case's cassette, remembering the first request it could not answer in replay. A
/// worker step whose model call fails keeps its rules' output (the seed's fallback); a call
/// that failed because nothing was recorded must not pass for that, so the executor turns a
/// remembered miss into the case's error.
final class MissWatch: HTTPTransport {
    let inner: any HTTPTransport
    private let miss = Mutex<CassetteError?>(nil)

    init(_ inner: any HTTPTransport) { self.inner = inner }

    var firstMiss: CassetteError? { miss.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do { return try await inner.send(request) } catch { throw remember(error) }
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        do { return try await inner.stream(request) } catch { throw remember(error) }
    }

    private func remember(_ error: any Error) -> any Error {
        if let error = error as? CassetteError, case .miss = error.kind { miss.withLock { $0 = $0 ?? error } }
        return error
    }
}
