import OrchJSON

/// One defence of the sandbox, as reported by the fork server at start-up.
public enum SandboxLayer: String, Sendable, CaseIterable, Hashable {
    case staticCheck = "static_check"
    case restrictedBuiltins = "restricted_builtins"
    case resourceLimits = "resource_limits"
    case privilegeDrop = "privilege_drop"
    case seccomp
    case filesystem
    case ipcScope = "ipc_scope"
    case networkNamespace = "network_namespace"
    case diskBudget = "disk_budget"
    case emptyEnvironment = "empty_environment"
    case scratchDirectory = "scratch_directory"
    case wallClockTimeout = "wall_clock_timeout"
    case outputCaps = "output_caps"
}

/// Whether one layer works on this machine, and how (or why not).
public struct SandboxLayerStatus: Sendable, Equatable {
    public var layer: SandboxLayer
    public var active: Bool
    public var detail: String
}

/// Which layers are active on this machine, and the interpreter behind them.
public struct SandboxLayers: Sendable, Equatable {
    /// One entry per `SandboxLayer`, in declaration order.
    public var statuses: [SandboxLayerStatus]
    public var pythonVersion: String
    public var pythonExecutable: String

    public subscript(layer: SandboxLayer) -> SandboxLayerStatus? {
        statuses.first { $0.layer == layer }
    }

    public var activeLayers: [SandboxLayer] { statuses.filter(\.active).map(\.layer) }

    /// `{"python": ..., "active": [...], "inactive": {layer: why}}`, for step metadata.
    public var json: JSONValue {
        var inactive: [String: JSONValue] = [:]
        for status in statuses where !status.active {
            inactive[status.layer.rawValue] = .string(status.detail)
        }
        return [
            "python": .string(pythonVersion),
            "active": .array(activeLayers.map { .string($0.rawValue) }),
            "inactive": .object(inactive),
        ]
    }

    /// Reads the `layers` object of the server's ready line.
    init(serverReport: JSONValue, pythonExecutable: String) throws(SandboxError) {
        var statuses: [SandboxLayerStatus] = []
        for layer in SandboxLayer.allCases {
            guard let entry = serverReport["layers"]?[layer.rawValue],
                  let active = entry["active"]?.boolValue else {
                throw .serverFailure("its start-up report does not mention the layer '\(layer.rawValue)'")
            }
            let detail = entry["detail"]?.stringValue ?? ""
            statuses.append(SandboxLayerStatus(layer: layer, active: active, detail: String(detail.prefix(SandboxLimits.maxMessageCharacters))))
        }
        self.statuses = statuses
        self.pythonVersion = serverReport["python"]?.stringValue ?? "unknown"
        self.pythonExecutable = pythonExecutable
    }
}
