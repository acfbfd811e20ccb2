import Foundation
import Testing
@testable import Sandbox

@Suite("Finding the sandbox's Python files")
struct SandboxScriptsTests {
    @Test("the override folder comes first, and a miss names every folder tried and what to do")
    func lookup() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("no-sandbox-here-\(UUID().uuidString)")
        let candidates = SandboxScripts.candidates(environment: ["ORCH_SANDBOX_PYTHON_DIR": folder.path])
        #expect(candidates.first == folder)
        #expect(candidates.last?.path.hasSuffix("Sources/Sandbox/Python") == true)
        #expect(try SandboxScripts.server(environment: [:]).lastPathComponent == "sandbox_server.py")
    }
}
