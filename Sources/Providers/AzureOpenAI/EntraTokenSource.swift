import Foundation
import OrchJSON

/// Microsoft Entra ID bearer tokens for Azure OpenAI (`AZURE_OPENAI_USE_AD=true`): the token in
/// `AZURE_OPENAI_AD_TOKEN` when set, else one from `az account get-access-token --resource
/// https://cognitiveservices.azure.com`, cached until five minutes before it expires.
public actor EntraTokenSource {
    public static let resource = "https://cognitiveservices.azure.com"
    private let fixedToken: String?
    private let runner: CommandRunner
    private let now: @Sendable () -> Date
    private var cached: (token: String, expires: Date)?

    public init(fixedToken: String?, runner: CommandRunner = .system, now: @escaping @Sendable () -> Date = { Date() }) {
        self.fixedToken = fixedToken
        self.runner = runner
        self.now = now
    }

    /// A token valid for at least five more minutes.
    public func token() async throws(ProviderError) -> String {
        if let fixedToken { return fixedToken }
        if let cached, cached.expires.timeIntervalSince(now()) > 300 { return cached.token }
        let fresh = try await fetch()
        cached = fresh
        return fresh.token
    }

    private func fetch() async throws(ProviderError) -> (token: String, expires: Date) {
        let output: CommandRunner.Output
        do {
            output = try await runner.run("az", ["account", "get-access-token", "--resource", Self.resource, "--output", "json"])
        } catch is CommandRunner.NotFound {
            throw ProviderError(.configuration, provider: "azure-openai",
                                "AZURE_OPENAI_USE_AD=true needs an Entra ID token: set AZURE_OPENAI_AD_TOKEN, or install the Azure CLI (`az`, not found on PATH) and run `az login`")
        } catch {
            throw ProviderError(.configuration, provider: "azure-openai", "could not run `az account get-access-token`: \(error)")
        }
        guard output.status == 0 else {
            throw ProviderError(.unauthorized, provider: "azure-openai",
                                "`az account get-access-token` failed (exit \(output.status)): \(ProviderError.clip(String(decoding: output.stderr, as: UTF8.self))). Run `az login`, or set AZURE_OPENAI_AD_TOKEN")
        }
        return try Self.parse(output.stdout)
    }

    /// The token and its expiry from the CLI's JSON: `expires_on` (POSIX seconds, CLI ≥ 2.54)
    /// preferred over `expiresOn` (local time without zone).
    static func parse(_ data: Data) throws(ProviderError) -> (token: String, expires: Date) {
        guard let json = try? JSONValue(parsing: data), let token = json["accessToken"]?.stringValue, !token.isEmpty else {
            throw ProviderError(.malformedResponse, provider: "azure-openai",
                                "`az account get-access-token` printed no accessToken: \(ProviderError.clip(String(decoding: data, as: UTF8.self), limit: 120))")
        }
        if let seconds = json["expires_on"]?.doubleValue ?? json["expires_on"]?.stringValue.flatMap(Double.init) {
            return (token, Date(timeIntervalSince1970: seconds))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
        if let text = json["expiresOn"]?.stringValue, let date = formatter.date(from: text) { return (token, date) }
        // No expiry we can read: use it for this call only.
        return (token, Date.distantPast)
    }
}
