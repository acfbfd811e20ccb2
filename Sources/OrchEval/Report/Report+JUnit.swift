import Foundation

extension Report {
    /// JUnit XML: one `testsuite` per configuration, one `testcase` per case run. A failed
    /// assertion or limit is a `failure`, a case that could not run an `error`. `time` is the
    /// virtual latency in seconds, so the file is the same on every replay.
    public var junit: String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = cases.count { !$0.passed && $0.result.status != .error }
        let errors = cases.count { $0.result.status == .error }
        xml += "<testsuites name=\"\(suite.xmlEscaped)\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for summary in configurations {
            let name = summary.configuration.name
            let mine = cases.filter { $0.result.configuration == name }
            xml += "  <testsuite name=\"\(suite.xmlEscaped).\(name.xmlEscaped)\" tests=\"\(mine.count)\" failures=\"\(mine.count { !$0.passed && $0.result.status != .error })\" errors=\"\(mine.count { $0.result.status == .error })\""
            if let reason = summary.unavailable {
                xml += " skipped=\"1\">\n    <testcase classname=\"\(suite.xmlEscaped).\(name.xmlEscaped)\" name=\"(configuration)\">\n      <skipped message=\"\(reason.xmlEscaped)\"/>\n    </testcase>\n  </testsuite>\n"
                continue
            }
            xml += ">\n"
            for c in mine {
                let r = c.result
                let time = String(format: "%.3f", r.virtualMs / 1000)
                xml += "    <testcase classname=\"\(suite.xmlEscaped).\(name.xmlEscaped)\" name=\"\(r.caseID.xmlEscaped)\(r.trial > 1 ? " #\(r.trial)" : "")\" time=\"\(time)\""
                if c.passed { xml += "/>\n"; continue }
                xml += ">\n"
                if r.status == .error {
                    xml += "      <error message=\"\((r.error ?? "could not run").xmlEscaped)\"/>\n"
                } else {
                    let failed = (r.assertions + c.limits).filter { !$0.passed }
                    let message = failed.map(\.name).joined(separator: ", ")
                    var body = r.error.map { "\($0)\n" } ?? ""
                    body += failed.map { "\($0.name): \($0.message)\n  expected: \(Self.short($0.expected))\n  actual: \($0.actual.map(Self.short) ?? "nothing")" }.joined(separator: "\n")
                    xml += "      <failure message=\"\((message.isEmpty ? (r.error ?? r.status.rawValue) : message).xmlEscaped)\">\(body.xmlEscaped)</failure>\n"
                }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }
}

extension String {
    /// The text with XML's special characters escaped and control characters XML 1.0 forbids
    /// replaced by spaces, for attributes and element content.
    var xmlEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
