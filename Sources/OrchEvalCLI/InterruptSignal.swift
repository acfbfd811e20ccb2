import Dispatch
import Foundation

/// Ctrl-C handling for long commands: the first SIGINT cancels the work (which then reports
/// what finished); a second one exits at once.
enum InterruptSignal {
    static func cancellingOnInterrupt<T: Sendable>(io: CommandIO, _ work: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await work() }
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let count = Counter()
        source.setEventHandler {
            if count.increment() == 1 {
                io.err("\nInterrupted: cancelling running steps (Ctrl-C again to quit at once)…\n")
                task.cancel()
            } else {
                exit(130)
            }
        }
        source.resume()
        let value = await task.value
        source.cancel()
        signal(SIGINT, SIG_DFL)
        return value
    }
}
