import Providers

extension PriceSheet {
    /// The providers' price table resolved for `models` (`provider/model` keys, as usage
    /// records name them): listed models get their token prices (a dated name priced as its
    /// base model, as `PriceTable.price` does), local providers the table's compute price per
    /// second. Models the table does not price are left out, so reports list them as unpriced.
    /// Cached-input prices are not used: usage records count no cached tokens.
    public init(_ table: PriceTable, models: Set<String>, source: String) {
        var resolved: [String: TokenPrice] = [:]
        for key in models {
            guard let slash = key.firstIndex(of: "/") else { continue }
            let provider = String(key[..<slash]), model = String(key[key.index(after: slash)...])
            if PriceTable.localProviders.contains(provider) {
                resolved[key] = TokenPrice(perSecond: table.localUSDPerSecond)
            } else if let price = table.price(provider: provider, model: model) {
                resolved[key] = TokenPrice(inputPerMillion: price.inputPerMillion, outputPerMillion: price.outputPerMillion)
            }
        }
        self.init(source: source, models: resolved)
    }
}
