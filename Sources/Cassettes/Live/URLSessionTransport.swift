import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The live transport: sends requests with URLSession. Timeouts come from
/// `HTTPRequest.timeout`; cancelling the calling task cancels the request.
///
/// Streaming goes through a `URLSessionDataDelegate`, because URLSession on Linux has no
/// `bytes(for:)`: each piece of the body is handed on as it arrives.
public final class URLSessionTransport: HTTPTransport {
    private let configuration: URLSessionConfiguration
    private let session: URLSession

    public init(configuration: URLSessionConfiguration = .ephemeral) {
        self.configuration = configuration
        self.session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let urlRequest = Self.urlRequest(for: request)
        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        continuation.resume(throwing: Self.translate(error, request: request))
                    } else if let http = response as? HTTPURLResponse {
                        continuation.resume(returning: HTTPResponse(status: http.statusCode, headers: Self.headers(of: http), body: data ?? Data()))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let delegate = StreamingDelegate(request: request)
        // One session per stream: URLSession binds its delegate at creation.
        let streamSession = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        let task = streamSession.dataTask(with: Self.urlRequest(for: request))
        streamSession.finishTasksAndInvalidate()
        return try await withTaskCancellationHandler {
            try await delegate.start(task)
        } onCancel: {
            task.cancel()
        }
    }

    static func urlRequest(for request: HTTPRequest) -> URLRequest {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        if let timeout = request.timeout { urlRequest.timeoutInterval = timeout }
        return urlRequest
    }

    static func headers(of response: HTTPURLResponse) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in response.allHeaderFields {
            headers[String(describing: name)] = String(describing: value)
        }
        return headers
    }

    /// Cancellation surfaces as `CancellationError`, so callers handle it like any cancelled task.
    static func translate(_ error: any Error, request: HTTPRequest) -> any Error {
        if let urlError = error as? URLError, urlError.code == .cancelled { return CancellationError() }
        return error
    }
}

/// Holds the task so the cancellation handler can reach it, whichever runs first.
private final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    func set(_ task: URLSessionTask) {
        lock.lock()
        self.task = task
        let cancel = cancelled
        lock.unlock()
        if cancel { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}
