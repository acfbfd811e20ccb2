import Foundation
import OrchJSON

/// Runs Python snippets in locked-down child processes (see docs/sandbox.md for the layers).
///
/// A pool of up to `configuration.poolSize` warm fork servers keeps Python's start-up out of
/// each call; every job still runs in a freshly forked child, so nothing survives from one job
/// to the next. At most `poolSize` jobs run at once; the rest wait their turn. Failures come
/// back as `SandboxError` values; the host never crashes or hangs on a misbehaving snippet.
///
/// ```swift
/// let sandbox = PythonSandbox()
/// let result = try await sandbox.run(SandboxJob(code: "output = sum(input)", input: [1, 2, 3]))
/// // result.output == 6
/// ```
public actor PythonSandbox {
    public nonisolated let configuration: SandboxConfiguration
    private var idle: [SandboxWorker] = []
    /// Jobs holding a pool slot.
    private var running = 0
    /// Jobs waiting for a slot, first come first served; resumed with false if cancelled.
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextWaiterID: UInt64 = 0
    /// Counts `shutdown()` calls: a server taken before the latest one is stopped when its job
    /// ends instead of going back to the pool.
    private var shutdowns = 0

    public init(configuration: SandboxConfiguration = .default) {
        self.configuration = configuration
    }

    deinit {
        for worker in idle { worker.stop(gracefully: false) }
    }

    /// Runs one job and returns its output, or throws what went wrong as data.
    public func run(_ job: SandboxJob) async throws(SandboxError) -> SandboxResult {
        let resolved = try ResolvedJob(job, configuration: configuration)
        let request = try resolved.requestLine()
        guard await acquireSlot() else { throw .cancelled }
        defer { releaseSlot() }
        // A server that died (say, killed from outside while idle) gets one replacement; jobs
        // have no effects outside their sandbox, so running one again is safe.
        for attempt in 1...2 {
            if Task.isCancelled { throw .cancelled }
            let epoch = shutdowns
            let worker = try await takeWorker()
            let cancellation = JobCancellation(process: worker.process)
            let outcome = await withTaskCancellationHandler {
                await Self.offload { worker.exchange(request, timeout: resolved.timeout, cancellation: cancellation) }
            } onCancel: {
                cancellation.cancel()
            }
            switch outcome {
            case .success(let response):
                await giveBack(worker, takenIn: epoch)
                return try SandboxResult.from(response: response, job: resolved, layers: worker.layers).get()
            case .failure(.unreadable(let why)):
                // The server's own fields are plain strings, so only `output` can be the cause:
                // a number beyond a double's range, or nesting deeper than the host parses.
                await giveBack(worker, takenIn: epoch)
                throw .nonJSONOutput(type: "value", message: "it cannot be read as JSON here (\(why.prefix(200)))")
            case .failure(.serverLost) where attempt == 1:
                await Self.offload { worker.stop(gracefully: false) }
            case .failure(.serverLost):
                await Self.offload { worker.stop(gracefully: false) }
                throw .serverFailure("it exited while running the job")
            case .failure(.serverHung):
                await Self.offload { worker.stop(gracefully: false) }
                throw .serverFailure("it did not answer within the job's timeout plus \(SandboxWorker.answerGrace)")
            }
        }
        throw .serverFailure("no fork server accepted the job")
    }

    /// Starts fork servers until the pool is full, so the first calls are fast too.
    public func warmUp() async throws(SandboxError) {
        let missing = configuration.poolSize - idle.count - running
        guard missing > 0 else { return }
        let configuration = configuration
        let epoch = shutdowns
        let started = await withTaskGroup(of: Result<SandboxWorker, SandboxError>.self) { group in
            for _ in 0..<missing {
                group.addTask { await Self.offload { Self.startWorker(configuration) } }
            }
            var results: [Result<SandboxWorker, SandboxError>] = []
            for await result in group { results.append(result) }
            return results
        }
        var firstError: SandboxError?
        // Another warm-up, a job or a shutdown may have come in while these servers started.
        var surplus: [SandboxWorker] = []
        for result in started {
            switch result {
            case .success(let worker) where epoch == shutdowns && idle.count + running < configuration.poolSize:
                idle.append(worker)
            case .success(let worker): surplus.append(worker)
            case .failure(let error): firstError = firstError ?? error
            }
        }
        if !surplus.isEmpty { await Self.offload { [surplus] in surplus.forEach { $0.stop(gracefully: true) } } }
        if let firstError { throw firstError }
    }

    /// The layers active on this machine, as the fork server found them at start-up.
    public func activeLayers() async throws(SandboxError) -> SandboxLayers {
        if let worker = idle.last { return worker.layers }
        let epoch = shutdowns
        let worker = try await takeWorker()
        // Kept only if the pool has room: busy jobs hold servers of their own.
        if epoch == shutdowns, idle.count + running < configuration.poolSize {
            idle.append(worker)
        } else {
            await Self.offload { worker.stop(gracefully: true) }
        }
        return worker.layers
    }

    /// Stops the idle fork servers, and those of running jobs as the jobs end. Later jobs start
    /// new ones.
    public func shutdown() async {
        shutdowns += 1
        let workers = idle
        idle.removeAll()
        await Self.offload { workers.forEach { $0.stop(gracefully: true) } }
    }

    /// Process ids of the fork servers currently alive, for tests that look for leftovers.
    var serverProcessIDs: [Int32] { idle.map(\.process.pid) }
    /// Jobs holding a slot, and jobs waiting for one, for tests.
    var busyJobs: Int { running }
    var queuedJobs: Int { waiting.count }

    /// Starts one fork server, reads which layers work on this machine, and stops it again.
    public static func probe(configuration: SandboxConfiguration = .default) throws(SandboxError) -> SandboxLayers {
        let worker = try SandboxWorker.start(configuration: configuration)
        worker.stop(gracefully: true)
        return worker.layers
    }

    // MARK: - Pool

    /// True once the caller holds a slot; false if its task was cancelled while it waited.
    private func acquireSlot() async -> Bool {
        if running < configuration.poolSize {
            running += 1
            return true
        }
        let id = nextWaiterID
        nextWaiterID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    waiting.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.abandonWait(id) }
        }
    }

    private func abandonWait(_ id: UInt64) {
        if let index = waiting.firstIndex(where: { $0.id == id }) {
            waiting.remove(at: index).continuation.resume(returning: false)
        }
    }

    /// Hands the slot straight to the next waiter, if any.
    private func releaseSlot() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().continuation.resume(returning: true)
        }
    }

    private func giveBack(_ worker: SandboxWorker, takenIn epoch: Int) async {
        if epoch == shutdowns {
            idle.append(worker)
        } else {
            await Self.offload { worker.stop(gracefully: true) }
        }
    }

    private func takeWorker() async throws(SandboxError) -> SandboxWorker {
        if let worker = idle.popLast() { return worker }
        let configuration = configuration
        return try await Self.offload { Self.startWorker(configuration) }.get()
    }

    static func startWorker(_ configuration: SandboxConfiguration) -> Result<SandboxWorker, SandboxError> {
        do throws(SandboxError) {
            return .success(try SandboxWorker.start(configuration: configuration))
        } catch {
            return .failure(error)
        }
    }

    /// Runs blocking process I/O on its own thread, off Swift's small cooperative pool.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}
