import Foundation

/// Minimal SVG text building: escaping, fixed-precision numbers, and the accessible frame every
/// chart shares (title, description, `role="img"`), with no scripts, fonts or URLs from elsewhere.
struct SVGDocument {
    let width: Int
    let height: Int
    let title: String
    let description: String
    var body: [String] = []

    static let fontFamily = "DejaVu Sans, Arial, Helvetica, sans-serif"

    mutating func add(_ element: String) { body.append(element) }

    func render(standalone: Bool) -> String {
        let id = "chart-" + String(title.unicodeScalars.reduce(UInt32(2166136261)) { ($0 ^ $1.value) &* 16777619 }, radix: 16)
        var lines: [String] = []
        if standalone { lines.append(#"<?xml version="1.0" encoding="UTF-8"?>"#) }
        lines.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" role="img" aria-labelledby="\#(id)-title \#(id)-desc" font-family="\#(Self.fontFamily)">"#)
        lines.append("<title id=\"\(id)-title\">\(escape(title))</title>")
        lines.append("<desc id=\"\(id)-desc\">\(escape(description))</desc>")
        lines.append("<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>")
        lines += body
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// XML-escapes text for element content and attribute values.
func escape(_ text: String) -> String {
    var result = ""
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default: result.append(character)
        }
    }
    return result
}

/// Coordinates with two decimals: deterministic and compact.
func coordinate(_ value: Double) -> String { String(format: "%.2f", value) }

/// A tick label: as few digits as the tick step needs.
func tickLabel(_ value: Double, step: Double) -> String {
    let decimals = max(0, min(6, Int((-log10(step)).rounded(.up))))
    let text = String(format: "%.\(decimals)f", value)
    return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
}

func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: String = "middle", weight: String? = nil,
          rotate: Double? = nil, fill: String = "#222222") -> String {
    let transform = rotate.map { " transform=\"rotate(\(coordinate($0)) \(coordinate(x)) \(coordinate(y)))\"" } ?? ""
    let bold = weight.map { " font-weight=\"\($0)\"" } ?? ""
    return "<text x=\"\(coordinate(x))\" y=\"\(coordinate(y))\" font-size=\"\(coordinate(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\"\(bold)\(transform)>\(escape(content))</text>"
}
