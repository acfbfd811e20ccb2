import Foundation
import Providers
import Testing

@Suite struct ConfigurationTests {
    @Test func dotEnvSyntax() throws {
        let values = try DotEnv.parse("""
        # comment
        export OPENAI_API_KEY=abc
        PLANNER_PROVIDER = openai # trailing comment
        QUOTED="a \\"b\\"\\nc"
        LITERAL='x # y'
        EMPTY=
        """)
        #expect(values == ["OPENAI_API_KEY": "abc", "PLANNER_PROVIDER": "openai", "QUOTED": "a \"b\"\nc", "LITERAL": "x # y", "EMPTY": ""])
    }

    @Test func aBadLineNamesItsLine() {
        #expect { try DotEnv.parse("A=1\nnonsense\n") } throws: { ($0 as? ProviderError)?.message.contains("line 2") == true }
    }

    @Test func theRealEnvironmentWinsOverDotEnv() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("providers-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "PLANNER_PROVIDER=anthropic\nWORKER_MODEL=phi3\n".write(to: directory.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let environment = try ProviderEnvironment.load(environment: ["PLANNER_PROVIDER": "gemini"], directory: directory)
        #expect(environment["PLANNER_PROVIDER"] == "gemini")
        #expect(environment["WORKER_MODEL"] == "phi3")
    }

    @Test func unknownProviderIsAConfigurationError() {
        let error = #expect(throws: ProviderError.self) {
            try makeChatModel(provider: "watson", model: nil, environment: [:], transport: NoNetwork())
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("openai, azure-openai") == true)
    }

    @Test func defaultModels() {
        let environment = ProviderEnvironment(["PLANNER_MODEL": "gpt-4.1", "WORKER_MODEL": "qwen"])
        #expect(defaultModel(for: "openai", environment: environment) == "gpt-4.1")
        #expect(defaultModel(for: "transformers", environment: environment) == "qwen")
        #expect(defaultModel(for: "openai", environment: ProviderEnvironment([:])) == "gpt-4o")
        #expect(defaultModel(for: "azure-openai", environment: ProviderEnvironment(["AZURE_OPENAI_DEPLOYMENT": "gpt4o-prod"])) == "gpt4o-prod")
    }
}

@Suite struct WorkerModelTests {
    @Test func theSeedsVariablesSelectTheWorkerModel() throws {
        #expect(try makeWorkerModel(environment: ProviderEnvironment(["SMALL_MODEL_BACKEND": "transformers"]), transport: NoNetwork()) == nil)
        let local = try makeWorkerModel(environment: ProviderEnvironment([
            "USE_SMALL_MODEL": "true", "SMALL_MODEL_BACKEND": "transformers", "WORKER_MODEL": "qwen2.5-coder-0.5b-instruct",
        ]), transport: NoNetwork())
        #expect(local?.provider == "openai-compatible")
        #expect(local?.model == "qwen2.5-coder-0.5b-instruct")
        #expect(throws: ProviderError.self) {
            try makeWorkerModel(environment: ProviderEnvironment(["USE_SMALL_MODEL": "true", "SMALL_MODEL_BACKEND": "anthropic"]), transport: NoNetwork())
        }
    }
}
