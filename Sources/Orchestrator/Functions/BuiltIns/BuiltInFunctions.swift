import OrchJSON

extension FunctionRegistry {
    /// The seed's five functions: compute_tax, merge_items, apply_discount,
    /// filter_items_by_category and compute_item_statistics (see docs/functions.md).
    public static let builtIns: FunctionRegistry = {
        var registry = FunctionRegistry()
        do {
            try registry.register("compute_tax", description: ComputeTaxArguments.description, arguments: ComputeTaxArguments.self) { try $0() }
            try registry.register("merge_items", description: MergeItemsArguments.description, arguments: MergeItemsArguments.self) { $0() }
            try registry.register("apply_discount", description: ApplyDiscountArguments.description, arguments: ApplyDiscountArguments.self) { try $0() }
            try registry.register(
                "filter_items_by_category", description: FilterItemsByCategoryArguments.description,
                arguments: FilterItemsByCategoryArguments.self) { $0() }
            try registry.register(
                "compute_item_statistics", description: ComputeItemStatisticsArguments.description,
                arguments: ComputeItemStatisticsArguments.self) { $0() }
        } catch {
            // The names and schemas above are fixed; the test suite registers them on every run.
            assertionFailure("built-in function failed to register: \(error)")
        }
        return registry
    }()
}
