import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Bridges URLSession's delegate callbacks to an `HTTPStreamingResponse`: the response head
/// resumes the caller, each data callback yields a chunk, completion finishes the stream (or
/// fails it when the connection broke).
final class StreamingDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let request: HTTPRequest
    private let lock = NSLock()
    private var head: CheckedContinuation<HTTPStreamingResponse, any Error>?
    private let chunks: AsyncThrowingStream<Data, any Error>
    private let chunkSink: AsyncThrowingStream<Data, any Error>.Continuation

    init(request: HTTPRequest) {
        self.request = request
        (chunks, chunkSink) = AsyncThrowingStream.makeStream(of: Data.self, throwing: (any Error).self)
    }

    func start(_ task: URLSessionDataTask) async throws -> HTTPStreamingResponse {
        chunkSink.onTermination = { @Sendable termination in
            if case .cancelled = termination { task.cancel() }  // the consumer stopped reading
        }
        return try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            head = continuation
            lock.unlock()
            task.resume()
        }
    }

    private func takeHead() -> CheckedContinuation<HTTPStreamingResponse, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        let continuation = head
        head = nil
        return continuation
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse {
            takeHead()?.resume(returning: HTTPStreamingResponse(status: http.statusCode,
                                                                headers: URLSessionTransport.headers(of: http), chunks: chunks))
        } else {
            takeHead()?.resume(throwing: URLError(.badServerResponse))
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        chunkSink.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if let error {
            let translated = URLSessionTransport.translate(error, request: request)
            takeHead()?.resume(throwing: translated)
            chunkSink.finish(throwing: translated)
        } else {
            takeHead()?.resume(throwing: URLError(.badServerResponse))
            chunkSink.finish()
        }
    }
}
