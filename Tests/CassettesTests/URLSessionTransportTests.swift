import Cassettes
import Foundation
import Testing

@Suite struct URLSessionTransportTests {
    @Test func aTimeoutOnTheRequestPassesThrough() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        var slow = request(server.baseURL.appendingPathComponent("slow"), method: "GET")
        slow.timeout = 0.05
        let error = await #expect(throws: URLError.self) { try await URLSessionTransport().send(slow) }
        #expect(error?.code == .timedOut)
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let server = try TestRoutes.server()
        defer { server.stop() }
        let slow = request(server.baseURL.appendingPathComponent("slow"), method: "GET")
        let task = Task { try await URLSessionTransport().send(slow) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func aRefusedConnectionIsAnError() async throws {
        let server = try TestRoutes.server()
        let url = server.baseURL.appendingPathComponent("json")
        server.stop()
        await #expect(throws: (any Error).self) { try await URLSessionTransport().send(request(url, method: "GET")) }
    }
}
