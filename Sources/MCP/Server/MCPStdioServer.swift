import Foundation
import OrchJSON
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves an `MCPServerCore` over stdio: one JSON-RPC message per line on `input`, answers on
/// `output`. Requests run concurrently; `notifications/cancelled` cancels the named one (no
/// answer is sent for it). Returns when `input` ends and every request has been answered.
public enum MCPStdioServer {
    public static func run(_ core: MCPServerCore, input: Int32 = 0, output: Int32 = 1) async {
        let writer = LineWriter(fd: output)
        let requests = RunningRequests()
        await withTaskGroup(of: Void.self) { group in
            for await line in lines(of: input) {
                guard let message = RPCMessage(line: line) else {
                    writer.write(.error(id: nil, RPCErrorObject(code: RPCErrorObject.parseError, message: "Parse error: a line that is not a JSON-RPC message")))
                    continue
                }
                switch message {
                case .notification("notifications/cancelled", let params):
                    if let id = RPCID(params?["requestId"]) { requests.cancel(id) }
                case .request(let id, _, _):
                    let task = Task {
                        let answer = await core.answer(message)
                        // A cancelled request gets no answer, as the specification asks.
                        if requests.finish(id), let answer { writer.write(answer) }
                    }
                    requests.started(id, task)
                    group.addTask { await task.value }
                default:
                    break
                }
            }
        }
    }

    /// The lines of `fd`, read on a thread of their own.
    static func lines(of fd: Int32) -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            Thread.detachNewThread {
                _ = readLines(from: fd) { line in
                    continuation.yield(line)
                    return true
                }
                continuation.finish()
            }
        }
    }
}

/// The requests being answered, and those the client cancelled.
final class RunningRequests: Sendable {
    private let state = Mutex<(tasks: [RPCID: Task<Void, Never>], cancelled: Set<RPCID>)>(([:], []))

    func started(_ id: RPCID, _ task: Task<Void, Never>) {
        state.withLock { state in
            if !state.cancelled.contains(id) { state.tasks[id] = task }
        }
    }

    func cancel(_ id: RPCID) {
        state.withLock { state in
            state.cancelled.insert(id)
            return state.tasks.removeValue(forKey: id)
        }?.cancel()
    }

    /// Whether the answer should be sent (false when the request was cancelled).
    func finish(_ id: RPCID) -> Bool {
        state.withLock { state in
            state.tasks[id] = nil
            return state.cancelled.remove(id) == nil
        }
    }
}

/// Writes whole lines to a file descriptor, one writer at a time.
final class LineWriter: Sendable {
    let fd: Int32
    private let lock = Mutex(())

    init(fd: Int32) { self.fd = fd }

    func write(_ message: RPCMessage) {
        let bytes = Array((message.line + "\n").utf8)
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0, errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
