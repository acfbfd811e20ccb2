import OrchJSON

/// What to ask a chat model: the conversation, and optionally a JSON Schema the answer must
/// follow, tools it may call, and sampling settings. Provider-neutral; each client encodes it.
public struct ChatRequest: Sendable, Equatable {
    public var system: String?
    public var messages: [ChatMessage]
    /// Structured output: the answer must follow this schema.
    public var responseFormat: ResponseFormat?
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice
    public var temperature: Double?
    public var maxOutputTokens: Int?
    public var seed: Int?
    /// Overrides the client's default model (or Azure deployment).
    public var model: String?

    public init(system: String? = nil, messages: [ChatMessage], responseFormat: ResponseFormat? = nil,
                tools: [ToolDefinition] = [], toolChoice: ToolChoice = .auto, temperature: Double? = nil,
                maxOutputTokens: Int? = nil, seed: Int? = nil, model: String? = nil) {
        self.system = system
        self.messages = messages
        self.responseFormat = responseFormat
        self.tools = tools
        self.toolChoice = toolChoice
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.seed = seed
        self.model = model
    }
}

/// One turn of the conversation.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable { case user, assistant, tool }
    public var role: Role
    public var content: String
    /// The tools an assistant message called.
    public var toolCalls: [ToolCall]
    /// For a `.tool` message: the call this result answers.
    public var toolCallID: String?

    public init(role: Role, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: text) }
    /// The result of the tool call `id`, as text (usually JSON).
    public static func toolResult(_ text: String, for id: String) -> ChatMessage {
        ChatMessage(role: .tool, content: text, toolCallID: id)
    }
}

/// "The answer must follow this JSON Schema."
public struct ResponseFormat: Sendable, Equatable {
    /// A short name for the schema (letters, digits, `_`, `-`), e.g. "plan".
    public var name: String
    public var schema: JSONValue

    public init(name: String, schema: JSONValue) {
        self.name = name
        self.schema = schema
    }
}

/// A tool the model may call.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    /// JSON Schema of the arguments (an object schema).
    public var inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }
}

/// Whether and which tool the model must call.
public enum ToolChoice: Sendable, Equatable {
    case auto, none, required
    /// Must call the tool with this name.
    case tool(String)
}

/// A tool call in an answer: arguments are a JSON value (an object), whatever the wire carried.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: JSONValue

    public init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}
