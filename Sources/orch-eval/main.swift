import Foundation
import OrchEvalCLI

exit(await OrchEvalCommand.main(Array(CommandLine.arguments.dropFirst()), io: .standard))
