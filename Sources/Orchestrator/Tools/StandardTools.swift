/// The tools every plan may use: functions, sandboxed code, and the receipt workers.
public enum StandardTools {
    /// - Throws: `ToolError` when the environment configures a tool wrongly (e.g. an unknown `OCR_MODE`).
    public static func catalog(environment: [String: String]) throws(ToolError) -> ToolCatalog {
        ToolCatalog([FunctionCallTool(), CodeExecTool()] + (try ReceiptWorkerTools.all(environment: environment)))
    }
}
