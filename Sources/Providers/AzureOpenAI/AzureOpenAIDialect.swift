import Foundation

extension OpenAIDialect {
    /// The api-version Azure OpenAI requests carry unless AZURE_OPENAI_API_VERSION says
    /// otherwise: the newest GA version in azure-rest-api-specs (wire-formats §2).
    public static let defaultAzureAPIVersion = "2024-10-21"

    /// Azure OpenAI's deployment route:
    /// `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`. The model
    /// argument of the client is the deployment; the body carries no `model`.
    public static func azureOpenAI(endpoint: URL, apiVersion: String = defaultAzureAPIVersion, credentials: Credentials) -> OpenAIDialect {
        let usesEntra = if case .entra = credentials { true } else { false }
        return OpenAIDialect(
            provider: "azure-openai",
            url: { deployment in
                azureURL(endpoint, path: "openai/deployments/\(deployment)/chat/completions", apiVersion: apiVersion)
            },
            sendsModel: false, maxTokensField: "max_tokens",
            // stream_options arrived with 2024-10-21; older versions reject it as an unknown
            // parameter (openai-python#1469, griptape#1640). Dated versions sort as text.
            streamUsage: apiVersion >= "2024-10-21",
            credentials: credentials,
            credentialVariable: usesEntra ? "AZURE_OPENAI_AD_TOKEN (or run `az login`)" : "AZURE_OPENAI_API_KEY",
            modelSource: "--model or AZURE_OPENAI_DEPLOYMENT (the deployment name)")
    }

    /// `{endpoint}/{path}?api-version={version}`, keeping any path the endpoint already has.
    static func azureURL(_ endpoint: URL, path: String, apiVersion: String) -> URL {
        var components = URLComponents(url: endpoint.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "api-version" } + [URLQueryItem(name: "api-version", value: apiVersion)]
        return components.url!
    }
}
