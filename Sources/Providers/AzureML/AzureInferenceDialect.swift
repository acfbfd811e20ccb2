import Foundation

extension OpenAIDialect {
    /// The api-version for the Azure AI model-inference API unless AZURE_SMALL_MODEL_API_VERSION
    /// says otherwise: the version of the most widely used `/models/chat/completions` form (§6a).
    public static let defaultInferenceAPIVersion = "2024-05-01-preview"

    /// The Azure AI model-inference API (Foundry Models): `{endpoint}/chat/completions?api-version=…`
    /// with the key in both `api-key` and `Authorization`, as the azure-ai-inference SDK sends it.
    /// The endpoint is used as given (`https://{resource}.services.ai.azure.com/models` or a
    /// serverless `https://{name}.{region}.models.ai.azure.com`). Only fields of the spec are sent:
    /// the service rejects unknown ones unless told otherwise (`extra-parameters`), so no
    /// `stream_options`; streams then report no usage.
    public static func azureInference(endpoint: URL, apiKey: String, apiVersion: String = defaultInferenceAPIVersion) -> OpenAIDialect {
        OpenAIDialect(provider: "azure-inference",
                      url: { _ in azureURL(endpoint, path: "chat/completions", apiVersion: apiVersion) },
                      maxTokensField: "max_tokens", streamUsage: false, credentials: .apiKeyAndBearer(apiKey),
                      credentialVariable: "AZURE_SMALL_MODEL_KEY", modelSource: "--model or WORKER_MODEL (the deployment name)")
    }
}
