import Dispatch
import Foundation
import Synchronization

/// Ctrl-C handling for long commands: the first SIGINT cancels the work (which then reports
/// what finished); a second one exits at once.
enum InterruptSignal {
    static func cancellingOnInterrupt<T: Sendable>(io: CommandIO, _ work: @escaping @Sendable () async -> T) async -> T {
        // The handler is in place before the work starts: a Ctrl-C right after the first step
        // must not find SIGINT ignored with no source listening yet.
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let count = Counter()
        let state = Mutex<(task: Task<T, Never>?, interrupted: Bool)>((nil, false))
        source.setEventHandler {
            if count.increment() == 1 {
                io.err("\nInterrupted: cancelling running steps (Ctrl-C again to quit at once)…\n")
                state.withLock { $0.interrupted = true; return $0.task }?.cancel()
            } else {
                exit(130)
            }
        }
        source.resume()
        let task = Task { await work() }
        if state.withLock({ $0.task = task; return $0.interrupted }) { task.cancel() }
        let value = await task.value
        source.cancel()
        signal(SIGINT, SIG_DFL)
        return value
    }
}
