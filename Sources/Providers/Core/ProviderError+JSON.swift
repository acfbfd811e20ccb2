import OrchJSON

extension ProviderError {
    /// A JSON answer (or stream event) that lacks what the API documents: says what was
    /// expected and quotes, clipped, what arrived.
    public static func malformed(_ provider: String, expected: String, got value: JSONValue) -> ProviderError {
        ProviderError(.malformedResponse, provider: provider,
                      "the answer is not as documented (\(expected)); it was: \(clip(value.serialized()))")
    }
}
