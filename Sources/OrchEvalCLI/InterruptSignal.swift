import Foundation
import Synchronization

/// Ctrl-C handling for long commands: the first SIGINT cancels the work (which then reports
/// what finished); a second one exits at once.
///
/// The signal handler only writes a byte to a pipe (all a handler may safely do); a thread
/// reading that pipe does the rest. Dispatch signal sources were tried first: on Linux a
/// SIGINT that came while the source was being set up was lost, and the process hung.
enum InterruptSignal {
    static func cancellingOnInterrupt<T: Sendable>(io: CommandIO, _ work: @escaping @Sendable () async -> T) async -> T {
        let state = InterruptState<T>()
        InterruptChannel.shared.listen {
            guard state.countInterrupt() == 1 else { exit(130) }
            // Said before cancelling: once cancelled, the command may finish and exit at once.
            io.err("\nInterrupted: cancelling running steps (Ctrl-C again to quit at once)…\n")
            state.cancel()
        }
        let task = Task { await work() }
        state.attach(task)
        let value = await task.value
        InterruptChannel.shared.stopListening()
        return value
    }
}

/// The pipe between the SIGINT handler and the thread that acts on it.
private let interruptPipe: (read: Int32, write: Int32) = {
    var fds: [Int32] = [-1, -1]
    _ = pipe(&fds)
    return (fds[0], fds[1])
}()

private final class InterruptChannel: Sendable {
    static let shared = InterruptChannel()
    private let listener = Mutex<(@Sendable () -> Void)?>(nil)

    private init() {
        let readEnd = interruptPipe.read
        Thread.detachNewThread { [self] in
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0, errno == EINTR { continue }
                guard count == 1 else { return }
                self.listener.withLock { $0 }?()
            }
        }
    }

    func listen(_ action: @escaping @Sendable () -> Void) {
        listener.withLock { $0 = action }
        _ = interruptPipe  // created before the handler can run
        signal(SIGINT) { _ in
            var byte: UInt8 = 1
            _ = write(interruptPipe.write, &byte, 1)
        }
    }

    func stopListening() {
        signal(SIGINT, SIG_DFL)
        listener.withLock { $0 = nil }
    }
}

/// The work's task and how many Ctrl-Cs came, whichever is known first.
private final class InterruptState<T: Sendable>: Sendable {
    private let state = Mutex<(task: Task<T, Never>?, interrupts: Int)>((nil, 0))

    /// Records a Ctrl-C and returns how many there have been.
    func countInterrupt() -> Int {
        state.withLock { state in
            state.interrupts += 1
            return state.interrupts
        }
    }

    func cancel() {
        state.withLock { $0.task }?.cancel()
    }

    func attach(_ task: Task<T, Never>) {
        let interrupted = state.withLock { state in
            state.task = task
            return state.interrupts > 0
        }
        if interrupted { task.cancel() }
    }
}
