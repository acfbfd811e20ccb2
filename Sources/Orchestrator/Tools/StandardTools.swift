import Cassettes

/// The tools every plan may use: functions, sandboxed code, and the receipt workers.
public enum StandardTools {
    /// `transport` carries `receipt_ocr`'s exchanges with Azure AI Vision (`OCR_MODE=azure`),
    /// so a cassette around it records or replays them with the run's model calls.
    /// - Throws: `ToolError` when the environment configures a tool wrongly (e.g. an unknown `OCR_MODE`).
    public static func catalog(environment: [String: String], transport: any HTTPTransport = URLSessionTransport()) throws(ToolError) -> ToolCatalog {
        ToolCatalog([FunctionCallTool(), CodeExecTool()] + (try ReceiptWorkerTools.all(environment: environment, transport: transport)))
    }
}
