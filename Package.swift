// swift-tools-version:6.0
import PackageDescription

// Layers, lowest first (see docs/architecture.md): OrchJSON → Cassettes → Providers, Sandbox,
// ReceiptWorkers → Orchestrator → OrchEval → OrchEvalCLI → orch-eval. A target imports only targets below it.
let package = Package(
    name: "orch-eval",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "OrchJSON", targets: ["OrchJSON"]),
        .library(name: "Cassettes", targets: ["Cassettes"]),
        .library(name: "CassetteTesting", targets: ["CassetteTesting"]),
        .library(name: "Providers", targets: ["Providers"]),
        .library(name: "Orchestrator", targets: ["Orchestrator"]),
        .library(name: "OrchEval", targets: ["OrchEval"]),
        .executable(name: "orch-eval", targets: ["orch-eval"]),
        .executable(name: "orch-bench", targets: ["orch-bench"]),
    ],
    targets: [
        .target(name: "OrchJSON"),
        .target(name: "Cassettes", dependencies: ["OrchJSON"]),
        .target(name: "CassetteTesting", dependencies: ["Cassettes"]),
        .target(name: "Providers", dependencies: ["OrchJSON", "Cassettes"]),
        .target(name: "Sandbox", dependencies: ["OrchJSON"], resources: [.copy("Python")]),
        .target(name: "ReceiptWorkers", dependencies: ["OrchJSON"]),
        .target(name: "Orchestrator", dependencies: ["OrchJSON", "Cassettes", "Providers", "Sandbox", "ReceiptWorkers"]),
        .target(name: "OrchEval", dependencies: ["Orchestrator", "Providers", "Cassettes", "OrchJSON"]),
        .target(name: "OrchEvalCLI", dependencies: ["OrchEval", "Orchestrator", "Cassettes", "Providers", "Sandbox"]),
        .executableTarget(name: "orch-eval", dependencies: ["OrchEvalCLI"]),
        .executableTarget(name: "orch-bench", dependencies: ["OrchEval", "Orchestrator", "Cassettes", "Sandbox"]),
        .testTarget(name: "OrchJSONTests", dependencies: ["OrchJSON"]),
        .testTarget(name: "CassettesTests", dependencies: ["Cassettes", "CassetteTesting"]),
        .testTarget(name: "ProvidersTests", dependencies: ["Providers", "Cassettes", "CassetteTesting"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox"]),
        .testTarget(name: "ReceiptWorkersTests", dependencies: ["ReceiptWorkers"]),
        .testTarget(name: "OrchestratorTests", dependencies: ["Orchestrator", "Providers", "Cassettes", "CassetteTesting"]),
        .testTarget(name: "OrchEvalTests", dependencies: ["OrchEval", "Providers"]),
        .testTarget(name: "OrchEvalCLITests", dependencies: ["OrchEvalCLI", "CassetteTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
