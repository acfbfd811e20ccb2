import Cassettes
import Foundation
import OrchJSON
import ReceiptWorkers

/// The built-in receipt workers (receipt_ocr, line_item_parser, expense_categorizer) as step
/// tools of kind `.mcp`: they are served as MCP tools too. docs/receipts.md describes them.
///
/// ```swift
/// let tools = try ReceiptWorkerTools.all(environment: ProcessInfo.processInfo.environment)
/// ```
public enum ReceiptWorkerTools {
    /// The three workers, with `receipt_ocr` in the mode `OCR_MODE` names (unset: tesseract
    /// when installed, else fixture; `azure`: Azure AI Vision Read at `AZURE_CV_ENDPOINT` with
    /// `AZURE_CV_KEY`, through `transport`). Relative image paths resolve against
    /// `baseDirectory` (the current directory by default). A bad `OCR_MODE` is a
    /// `bad_ocr_mode` error, `azure` without its variables `ocr_not_configured`.
    public static func all(environment: [String: String], baseDirectory: URL? = nil,
                           transport: any HTTPTransport = URLSessionTransport()) throws(ToolError) -> [any StepTool] {
        do {
            let mode = try OCRMode.fromEnvironment(environment)
            let remote: (any RemoteOCR)? = mode == .azure ? try AzureReceiptOCR(environment: environment, transport: transport) : nil
            return all(ocr: ReceiptOCR(mode: mode, environment: environment, baseDirectory: baseDirectory, remote: remote))
        } catch {
            throw ToolError(error)
        }
    }

    /// The three workers around a configured OCR.
    public static func all(ocr: ReceiptOCR) -> [any StepTool] {
        [receiptOCR(ocr), lineItemParser(), expenseCategorizer()]
    }

    public static func receiptOCR(_ ocr: ReceiptOCR) -> ReceiptWorkerTool {
        ReceiptWorkerTool(
            name: "receipt_ocr",
            description: "Reads a local receipt image (path or file:// URI) into text with Tesseract OCR, with the recorded text beside the image when OCR_MODE=fixture, or with Azure AI Vision Read when OCR_MODE=azure. Returns {text, confidence}.",
            inputSchema: [
                "type": "object",
                "properties": ["image_uri": ["type": "string", "description": "Local image path or file:// URI (web addresses are refused offline)"]],
                "required": ["image_uri"],
            ],
            summary: "Reads a receipt image into text. Returns {text, confidence}."
        ) { input async throws(ReceiptWorkerError) in
            let value = try await ocr.run(input)
            return ToolOutput(value, metadata: ["ocr_engine": .string(await ocr.engineDescription()), "ocr_mode": .string(ocr.mode.rawValue)])
        }
    }

    public static func lineItemParser(_ parser: LineItemParser = LineItemParser()) -> ReceiptWorkerTool {
        ReceiptWorkerTool(
            name: "line_item_parser",
            description: "Finds the purchased items in receipt text (quantities written 2x, x2, 3 @ 0.40, a quantity column or none; OCR noise in prices tolerated). Returns {items:[{description, quantity, unit_price, total}]} plus subtotal, tax and total when printed.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "ocr_text": ["type": ["string", "object"], "description": "The receipt text, or the whole receipt_ocr output {text, confidence}"],
                    "text": ["type": ["string", "object"], "description": "Same as ocr_text"],
                ],
            ],
            summary: "Finds the items in receipt text. Returns {items:[{description, quantity, unit_price, total}], subtotal, tax, total}."
        ) { input async throws(ReceiptWorkerError) in
            ToolOutput(try parser.run(input), metadata: ["method": "rules"])
        }
    }

    public static func expenseCategorizer(_ categorizer: ExpenseCategorizer = ExpenseCategorizer()) -> ReceiptWorkerTool {
        ReceiptWorkerTool(
            name: "expense_categorizer",
            description: "Adds a category (food, beverage, household, fuel, personal_care, office, other) to each item from a keyword table. Returns {categorized:[item + category]}.",
            inputSchema: [
                "type": "object",
                "properties": ["items": ["type": ["array", "object"], "description": "Items with a description (or bare description strings), or the whole line_item_parser output {items}"]],
                "required": ["items"],
            ],
            summary: "Adds a category to each item. Returns {categorized:[item + category]}."
        ) { input async throws(ReceiptWorkerError) in
            ToolOutput(try categorizer.run(input), metadata: ["method": "keyword_table"])
        }
    }
}

/// One receipt worker as a step tool; its failures become `ToolError`s with the worker's code
/// (`bad_input`, `image_not_found`, `remote_image_unsupported`, `tesseract_missing`,
/// `ocr_failed`, `ocr_not_configured`, `fixture_text_missing`).
public struct ReceiptWorkerTool: StepTool {
    public let descriptor: ToolDescriptor
    private let work: @Sendable (JSONValue) async throws(ReceiptWorkerError) -> ToolOutput

    init(name: String, description: String, inputSchema: JSONValue, summary: String,
         work: @escaping @Sendable (JSONValue) async throws(ReceiptWorkerError) -> ToolOutput) {
        self.descriptor = ToolDescriptor(name: name, kind: .mcp, description: description, inputSchema: inputSchema, summary: summary)
        self.work = work
    }

    public func call(_ input: JSONValue, context: StepContext) async throws -> ToolOutput {
        do {
            return try await work(input)
        } catch {
            throw ToolError(error)
        }
    }
}

extension ToolError {
    /// A worker's failure as step data; none is retryable: the same input fails the same way.
    init(_ error: ReceiptWorkerError) {
        self.init(code: error.code.rawValue, message: error.message)
    }
}
