import Cassettes
import Foundation
import Providers

/// What a command that calls models runs against. Tests replace the network, the waits between
/// retries and the working directory (where `.env` and `Fixtures/pricing.json` are read). The
/// `az` command is looked up on the PATH of the command's environment.
public struct CommandContext: Sendable {
    public var transport: any HTTPTransport
    public var clientOptions: ClientOptions
    public var directory: URL

    public init(transport: any HTTPTransport = URLSessionTransport(), clientOptions: ClientOptions = ClientOptions(),
                directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.transport = transport
        self.clientOptions = clientOptions
        self.directory = directory
    }
}
