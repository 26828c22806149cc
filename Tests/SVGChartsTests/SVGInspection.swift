import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import SVGCharts

/// What an SVG document turned out to contain, as read back by Foundation's XML parser.
struct SVGInspection {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text: String
    }

    private(set) var elements: [Element] = []
    private(set) var parseError: String?

    init(_ svg: String) {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        let parsed = parser.parse()
        elements = collector.elements
        parseError = parsed ? collector.error : (collector.error ?? parser.parserError.map { "\($0)" } ?? "parse failed")
    }

    var isWellFormed: Bool { parseError == nil && elements.first?.name == "svg" }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    func hasText(_ text: String) -> Bool { elements.contains { $0.text == text } }

    var viewBox: (width: Double, height: Double)? {
        guard let box = elements.first?.attributes["viewBox"] else { return nil }
        let parts = box.split(separator: " ").compactMap { Double($0) }
        return parts.count == 4 ? (parts[2], parts[3]) : nil
    }

    /// Every x and y position the document places something at, from coordinate attributes,
    /// `points` lists, rectangle extents and `translate(…)` transforms.
    var positions: [(x: Double, y: Double)] {
        var result: [(Double, Double)] = []
        for element in elements {
            let a = element.attributes
            func number(_ key: String) -> Double? { a[key].flatMap(Double.init) }
            for (kx, ky) in [("x", "y"), ("x1", "y1"), ("x2", "y2"), ("cx", "cy")] {
                if let x = number(kx), let y = number(ky) { result.append((x, y)) }
            }
            if element.name == "rect", let x = number("x"), let y = number("y"), let w = number("width"), let h = number("height") {
                result.append((x + w, y + h))
            }
            if let r = number("r"), let cx = number("cx"), let cy = number("cy") {
                result += [(cx - r, cy - r), (cx + r, cy + r)]
            }
            if let points = a["points"] {
                for pair in points.split(separator: " ") {
                    let xy = pair.split(separator: ",").compactMap { Double($0) }
                    if xy.count == 2 { result.append((xy[0], xy[1])) }
                }
            }
            if let transform = a["transform"], let open = transform.range(of: "translate("),
               let close = transform[open.upperBound...].firstIndex(of: ")") {
                let xy = transform[open.upperBound..<close].split(separator: ",").compactMap { Double($0) }
                if xy.count == 2 { result.append((xy[0], xy[1])) }
            }
        }
        return result
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []
        var error: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            open.append(elements.count)
            elements.append(Element(name: name, attributes: attributes, text: ""))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last { elements[index].text += string.trimmingCharacters(in: .newlines) }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            error = "\(parseError)"
        }
    }
}

/// The checks every chart must pass, whatever it shows.
func commonProblems(_ svg: String, title: String, axisLabels: [String]) -> [String] {
    var problems: [String] = []
    let document = SVGInspection(svg)
    if !document.isWellFormed { problems.append("not well-formed: \(document.parseError ?? "no svg root")") }
    guard let root = document.elements.first else { return problems + ["empty"] }
    if root.attributes["role"] != "img" { problems.append("role is not img") }
    let ids = Set(document.elements.compactMap { $0.attributes["id"] })
    let labelledBy = (root.attributes["aria-labelledby"] ?? "").split(separator: " ").map(String.init)
    if labelledBy.count != 2 || !labelledBy.allSatisfy(ids.contains) { problems.append("aria-labelledby does not name title and desc") }
    if document.all("title").first?.text != title { problems.append("<title> is not the chart title") }
    if (document.all("desc").first?.text ?? "").isEmpty { problems.append("<desc> is empty") }
    if !document.hasText(title) { problems.append("visible title missing") }
    for label in axisLabels where !document.hasText(label) { problems.append("axis label \(label) missing") }
    if !document.elements.contains(where: { ($0.attributes["class"] ?? "").split(separator: " ").contains("legend") }) {
        problems.append("no legend")
    }
    if svg.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") { problems.append("contains a URL") }
    let lowered = svg.lowercased()
    for word in ["nan", "inf"] where lowered.contains(word) { problems.append("contains \(word)") }
    if let unwritten = SVGVocabulary.firstUnwritten(in: svg) { problems.append("holds \(unwritten), which SVGVocabulary does not list") }
    if let box = document.viewBox {
        let outside = document.positions.filter { !(0...box.width).contains($0.x) || !(0...box.height).contains($0.y) }
        if !outside.isEmpty { problems.append("positions outside the view box: \(outside.prefix(3))") }
    } else {
        problems.append("no viewBox")
    }
    return problems
}
