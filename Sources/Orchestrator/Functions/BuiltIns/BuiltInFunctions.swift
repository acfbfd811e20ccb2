import OrchJSON

extension FunctionRegistry {
    /// The seed's five functions: compute_tax, merge_items, apply_discount,
    /// filter_items_by_category and compute_item_statistics (see docs/functions.md).
    public static let builtIns: FunctionRegistry = {
        var registry = FunctionRegistry()
        let functions: [any BuiltInFunction.Type] = [
            ComputeTax.self, MergeItems.self, ApplyDiscount.self, FilterItemsByCategory.self, ComputeItemStatistics.self,
        ]
        for function in functions {
            do {
                try registry.register(name: function.name, description: function.description, schema: function.schema) {
                    try function.init(arguments: $0)()
                }
            } catch {
                // Names and schemas above are fixed; the tests check all five register.
                assertionFailure("built-in function failed to register: \(error)")
            }
        }
        return registry
    }()
}
