import Foundation

// `orch-bench NAME [ARGS]`: runnable benchmarks that print their figures (README quotes them).
// Build with `swift run -c release orch-bench NAME`.
let benchmarks: [(name: String, summary: String, run: ([String]) async -> Int32)] = [
    ("engine", "µs per step on wide/chain plans; makespan ÷ critical path", runEngineBenchmark),
    ("cassettes", "load time, replay throughput and memory of a 10,000-interaction cassette", runCassetteBenchmark),
    ("sandbox", "code_exec latency warm vs cold; 200 concurrent jobs", runSandboxBenchmark),
    ("suite", "replay 1,000 suite cases × 2 configurations and build the report", runSuiteBenchmark),
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let benchmark = benchmarks.first(where: { $0.name == name }) else {
    print("USAGE: swift run -c release orch-bench <benchmark> [args]\n\nBENCHMARKS:")
    for benchmark in benchmarks { print("  \(benchmark.name.padding(toLength: 10, withPad: " ", startingAt: 0))\(benchmark.summary)") }
    exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 2)
}
exit(await benchmark.run(Array(arguments.dropFirst())))
