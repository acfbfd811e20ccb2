import Foundation

extension Report {
    /// A scatter chart of mean cost per case (x) against mean quality (y), one labelled point
    /// per configuration that ran; synthetic points are hollow.
    public var costQualitySVG: String {
        let points = configurations.compactMap { s -> (String, Double, Double, Bool)? in
            guard let cost = s.metrics["cost_usd"], let quality = s.metrics["quality"] else { return nil }
            return (s.configuration.name, cost.mean, quality.mean, s.origin.contains("synthetic"))
        }
        let width = 640.0, height = 400.0, left = 70.0, right = 30.0, top = 40.0, bottom = 60.0
        let maxCost = max(points.map(\.1).max() ?? 0, 1e-9) * 1.1
        func x(_ cost: Double) -> Double { left + cost / maxCost * (width - left - right) }
        func y(_ quality: Double) -> Double { top + (1 - quality) * (height - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(Int(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(suite.xmlEscaped): cost against quality</text>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"black\"/>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<text x=\"\(left - 8)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\">\(String(format: "%.2f", tick))</text>\n"
            svg += "<line x1=\"\(left)\" y1=\"\(y(tick))\" x2=\"\(width - right)\" y2=\"\(y(tick))\" stroke=\"#ddd\"/>\n"
            let cost = tick * maxCost
            svg += "<text x=\"\(x(cost))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\">\(String(format: "%.5f", cost))</text>\n"
        }
        svg += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height - 18))\" text-anchor=\"middle\">mean cost per case (USD)</text>\n"
        svg += "<text x=\"18\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(Int(height / 2)))\">mean quality</text>\n"
        for (name, cost, quality, synthetic) in points {
            let fill = synthetic ? "white" : "#2b6cb0"
            svg += "<circle cx=\"\(x(cost))\" cy=\"\(y(quality))\" r=\"6\" fill=\"\(fill)\" stroke=\"#2b6cb0\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(x(cost) + 9)\" y=\"\(y(quality) - 8)\">\(name.xmlEscaped)\(synthetic ? " (synthetic)" : "")</text>\n"
        }
        if points.isEmpty { svg += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\">no configuration ran</text>\n" }
        return svg + "</svg>\n"
    }
}
