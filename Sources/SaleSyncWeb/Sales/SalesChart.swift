import Foundation

/// Totals per period and series as an SVG bar chart drawn on the server (no scripts, no CDN):
/// one group of bars per period, one colour per series, with a legend.
public struct SalesChart: Sendable {
    public var points: [ChartPoint]
    public var title: String
    static let palette = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568"]

    public init(points: [ChartPoint], title: String) {
        self.points = points
        self.title = title
    }

    public var svg: String {
        let periods = Array(Set(points.map(\.period))).sorted().suffix(60)
        let series = Array(Set(points.map(\.series))).sorted()
        guard !periods.isEmpty else { return "" }
        let top = max(points.map(\.value).max() ?? 0, 1)
        let width = 900.0, height = 220.0, left = 70.0, bottom = 40.0
        let slot = (width - left) / Double(periods.count)
        let bar = min(48, max(1, slot * 0.8 / Double(max(series.count, 1))))
        var byKey: [String: Double] = [:]
        for p in points { byKey[p.series + "\u{0}" + p.period] = p.value }
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height + 30))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        out += "<title>\(HTML.escape(title))</title>"
        for i in 0...4 {
            let v = top * Double(i) / 4, y = height - bottom - (height - bottom - 10) * Double(i) / 4
            out += "<line x1=\"\(left)\" x2=\"\(width)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" text-anchor=\"end\" font-size=\"11\">\(Self.short(v))</text>"
        }
        let labelEvery = max(1, periods.count / 12)
        for (pi, period) in periods.enumerated() {
            let x0 = left + Double(pi) * slot + slot * 0.1
            for (si, s) in series.enumerated() {
                let v = byKey[s + "\u{0}" + period] ?? 0
                let h = (height - bottom - 10) * v / top
                out +=
                    "<rect x=\"\(x0 + Double(si) * bar)\" y=\"\(height - bottom - h)\" width=\"\(bar)\" height=\"\(h)\" fill=\"\(Self.palette[si % Self.palette.count])\">"
                out += "<title>\(HTML.escape(s.isEmpty ? period : s + " " + period)): \(String(format: "%.2f", v))</title></rect>"
            }
            if pi % labelEvery == 0 {
                out += "<text x=\"\(x0)\" y=\"\(height - bottom + 14)\" font-size=\"11\">\(HTML.escape(period))</text>"
            }
        }
        for (si, s) in series.enumerated() where !s.isEmpty {
            let x = left + Double(si) * 110
            out += "<rect x=\"\(x)\" y=\"\(height + 8)\" width=\"12\" height=\"12\" fill=\"\(Self.palette[si % Self.palette.count])\"/>"
            out += "<text x=\"\(x + 16)\" y=\"\(height + 18)\" font-size=\"12\">\(HTML.escape(s))</text>"
        }
        return out + "</svg>"
    }

    static func short(_ v: Double) -> String {
        switch v {
        case 1e9...: String(format: "%.1fG", v / 1e9)
        case 1e6...: String(format: "%.1fM", v / 1e6)
        case 1e3...: String(format: "%.1fk", v / 1e3)
        default: String(format: "%.0f", v)
        }
    }
}
