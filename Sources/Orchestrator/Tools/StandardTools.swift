/// The tools every plan may use: functions, sandboxed code, and the receipt workers.
public enum StandardTools {
    public static func catalog(environment: [String: String]) -> ToolCatalog {
        ToolCatalog([FunctionCallTool()])
    }
}
