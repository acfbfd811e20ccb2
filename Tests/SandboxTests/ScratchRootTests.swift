import Foundation
@testable import Sandbox
import Testing

/// Scratch roots left by servers that died, or by a host that was killed, are removed by the
/// next sandbox to start; those of live servers are not (issue 11).
@Suite struct ScratchRootTests {
    /// A folder of its own to play the temporary directory.
    static func playground() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-root-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        return folder
    }

    static func age(_ url: URL, by seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -seconds)], ofItemAtPath: url.path)
    }

    @Test func anUnlockedRootIsRemovedAndALockedOneIsKept() throws {
        let tmp = try Self.playground()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let dead = try ScratchRoot.create(in: tmp)
        try FileManager.default.createDirectory(at: dead.url.appendingPathComponent("job-x"), withIntermediateDirectories: false)
        dead.releaseHostCopy()  // as if its server had died
        try Self.age(dead.url.appendingPathComponent(ScratchRoot.lockName), by: 60)
        let live = try ScratchRoot.create(in: tmp)
        defer { live.releaseHostCopy() }
        try Self.age(live.url.appendingPathComponent(ScratchRoot.lockName), by: 60)

        let removed = ScratchRoot.removeAbandoned(in: tmp)

        #expect(removed.map(\.lastPathComponent) == [dead.url.lastPathComponent])
        #expect(!FileManager.default.fileExists(atPath: dead.url.path))
        #expect(FileManager.default.fileExists(atPath: live.url.path))
    }

    @Test func aFreshUnlockedRootAndOtherFilesAreLeftAlone() throws {
        let tmp = try Self.playground()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let starting = try ScratchRoot.create(in: tmp)
        starting.releaseHostCopy()  // between mkdir and flock of another host: too young to judge
        let oldWithoutLock = tmp.appendingPathComponent(ScratchRoot.prefix + "old")
        try FileManager.default.createDirectory(at: oldWithoutLock, withIntermediateDirectories: false)
        try Self.age(oldWithoutLock, by: ScratchRoot.unlockedGrace + 60)
        let file = tmp.appendingPathComponent(ScratchRoot.prefix + "marker")
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data()))

        let removed = ScratchRoot.removeAbandoned(in: tmp)

        #expect(removed.map(\.lastPathComponent) == [oldWithoutLock.lastPathComponent])
        #expect(FileManager.default.fileExists(atPath: starting.url.path))
        #expect(FileManager.default.fileExists(atPath: file.path))
    }

    /// The server keeps the lock it was handed: its root survives a sweep while it runs, and is
    /// swept once it has been killed (its host did not get to remove it).
    @Test(.enabled(if: Python.available, Python.missing))
    func aRunningServerHoldsItsLock() async throws {
        let worker = try await PythonSandbox.offload { PythonSandbox.startWorker(SandboxConfiguration(poolSize: 1)) }.get()
        let root = worker.scratchRoot
        #expect(!ScratchRoot.removeAbandoned(in: root.deletingLastPathComponent()).map(\.lastPathComponent).contains(root.lastPathComponent))
        #expect(FileManager.default.fileExists(atPath: root.path))
        worker.process.terminate()  // killed: the host's stop() never runs
        try Self.age(root.appendingPathComponent(ScratchRoot.lockName), by: 60)

        #expect(ScratchRoot.removeAbandoned(in: root.deletingLastPathComponent()).map(\.lastPathComponent).contains(root.lastPathComponent))
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }
}
