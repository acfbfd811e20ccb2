import Foundation
import OrchJSON

/// A JSON-RPC request id: MCP allows strings and integers (never null). Our client counts
/// integers up from 1, so recorded traffic is the same on every run.
public enum RPCID: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case string(String)

    init?(_ json: JSONValue?) {
        switch json {
        case .number(let n) where n == n.rounded() && abs(n) < 9e15: self = .int(Int(n))
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .int(let n): .number(Double(n))
        case .string(let s): .string(s)
        }
    }

    public var description: String { json.serialized() }
}

/// A JSON-RPC error object (`{"code", "message", "data"}`).
public struct RPCErrorObject: Error, Sendable, Equatable {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    /// 2026-07-28: the request's protocol version is not supported (`data.supported`, `data.requested`).
    public static let unsupportedProtocolVersion = -32022

    var json: JSONValue {
        var object: [String: JSONValue] = ["code": .number(Double(code)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }
}

/// One JSON-RPC 2.0 message: a request, a notification (no id), a result or an error.
public enum RPCMessage: Sendable, Equatable {
    case request(id: RPCID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case result(id: RPCID, result: JSONValue)
    /// An error answer; the id is nil when the request could not even be read.
    case error(id: RPCID?, RPCErrorObject)

    /// Reads a message; `nil` when `json` is not a JSON-RPC 2.0 message.
    public init?(json: JSONValue) {
        guard case .object(let object) = json, object["jsonrpc"] == "2.0" else { return nil }
        let id = RPCID(object["id"])
        if let method = object["method"]?.stringValue {
            let params = object["params"]
            self = id.map { .request(id: $0, method: method, params: params) } ?? .notification(method: method, params: params)
        } else if let error = object["error"]?.objectValue {
            guard let code = error["code"]?.intValue else { return nil }
            self = .error(id: id, RPCErrorObject(code: code, message: error["message"]?.stringValue ?? "", data: error["data"]))
        } else if let id, let result = object["result"] {
            self = .result(id: id, result: result)
        } else {
            return nil
        }
    }

    /// Reads one line of newline-delimited JSON (the stdio framing).
    public init?(line: some Collection<UInt8>) {
        guard let json = try? JSONValue(parsing: Data(line)), let message = RPCMessage(json: json) else { return nil }
        self = message
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["jsonrpc": "2.0"]
        switch self {
        case .request(let id, let method, let params):
            object["id"] = id.json
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .notification(let method, let params):
            object["method"] = .string(method)
            if let params { object["params"] = params }
        case .result(let id, let result):
            object["id"] = id.json
            object["result"] = result
        case .error(let id, let error):
            object["id"] = id?.json ?? .null
            object["error"] = error.json
        }
        return .object(object)
    }

    /// Compact JSON without newlines: one line of the stdio framing (without its `\n`).
    public var line: String { json.serialized(.compact) }

    public var method: String? {
        switch self {
        case .request(_, let method, _), .notification(let method, _): method
        default: nil
        }
    }
}
