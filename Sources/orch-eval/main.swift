import Foundation
import OrchEvalCLI

let status = await OrchEvalCommand.main(Array(CommandLine.arguments.dropFirst()), io: .standard)
await OrchEvalCommand.finish()
exit(status)
