import Foundation

/// Everything hpmc's charts are made of: the elements `SVGWriter` is given, the attributes given with
/// each, and the characters of their values. `hpmc report` inlines chart files read from disk and
/// holds them to this allowlist, so a hand-edited chart cannot bring anything a browser runs, fetches
/// or follows into a page. A chart that writes a new element or attribute must add it here: every
/// chart the SVGCharts tests draw is checked against it.
public enum SVGVocabulary {
    /// Each element hpmc writes, with the attributes it writes on it.
    static let attributes: [String: Set<String>] = [
        "svg": ["xmlns", "width", "height", "viewBox", "role", "aria-labelledby", "font-family", "font-size", "fill"],
        "title": ["id"],
        "desc": ["id"],
        "defs": [],
        "linearGradient": ["id", "x1", "y1", "x2", "y2"],
        "stop": ["offset", "stop-color"],
        "g": ["class", "fill", "stroke", "stroke-width", "stroke-linejoin", "stroke-linecap", "text-anchor", "font-size", "font-weight"],
        "rect": ["x", "y", "width", "height", "fill", "fill-opacity", "stroke", "stroke-width"],
        "line": ["class", "x1", "y1", "x2", "y2", "stroke", "stroke-width", "stroke-dasharray"],
        "polyline": ["points", "fill", "stroke", "stroke-width", "stroke-dasharray"],
        "polygon": ["points", "fill", "fill-opacity", "stroke", "stroke-width"],
        "circle": ["cx", "cy", "r", "fill", "stroke", "stroke-width"],
        "text": ["class", "x", "y", "transform", "text-anchor", "font-size", "fill"],
    ]

    /// The XML declaration that opens a standalone chart.
    static let prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

    /// The root's `xmlns`: the one value that needs ':' and '/', so it must be exactly this.
    static let namespace = "http://www.w3.org/2000/svg"

    /// The functions hpmc writes in values, by attribute: a colour bar's fill refers to its gradient in
    /// the same document, a rotated label is moved and turned. No other value holds '('.
    private static let functions: [String: [String]] = ["fill": ["url(#"], "transform": ["translate(", "rotate("]]

    /// The first thing in `svg` that hpmc's chart writer never writes, described ("the element <meta>",
    /// "the attribute style on <rect>"), or nil. Accepted: the prolog, then one `<svg>` element of the
    /// elements and attributes above, tags as `SVGWriter` writes them (one space before each attribute,
    /// values in double quotes), text whose only references are `XMLText`'s, white space around the root.
    /// Stricter than XML on purpose: a browser's HTML parser reads the inlined chart, and a tag this
    /// reader took differently could hide markup from it.
    public static func firstUnwritten(in svg: String) -> String? {
        var reader = MarkupReader(svg)
        return reader.firstUnwritten()
    }

    /// What in `value` hpmc never writes in `attribute` ("the value", "'(' in the value"), or nil.
    /// Values are numbers, number lists, `#rrggbb` colours, names and ids: letters, digits, spaces and
    /// `#.,+-_`, besides the attribute's functions. None of them can spell a URL (':' '/'), a CSS
    /// function or escape ('(' '\'), or a character reference ('&' ';').
    static func unwritten(_ value: String, of attribute: String) -> String? {
        if attribute == "xmlns" { return value == namespace ? nil : "the value" }
        var rest = value
        if let calls = functions[attribute] {
            for call in calls + [")"] { rest = rest.replacingOccurrences(of: call, with: "") }
        }
        guard let scalar = rest.unicodeScalars.first(where: { !isPlain($0) }) else { return nil }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let shown = (0x21...0x7E).contains(scalar.value) ? "'\(scalar)'" : "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return shown + " in the value"
    }

    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || " #.,+-_".unicodeScalars.contains(scalar)
    }
}

/// Reads a chart's markup byte by byte (every byte of markup is ASCII; text passes through whole).
private struct MarkupReader {
    private let bytes: [UInt8]
    private var position = 0
    /// The elements opened and not yet closed, innermost last.
    private var open: [String] = []
    private var rootClosed = false

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    mutating func firstUnwritten() -> String? {
        _ = skip(SVGVocabulary.prolog)
        while position < bytes.count {
            let problem: String?
            if skip("<") {
                problem = markup()
            } else if open.isEmpty {
                problem = Self.isSpace(bytes[position]) ? nil : "text outside <svg>"
                position += 1
            } else if skip("&") {
                problem = reference()
            } else {
                problem = nil
                position += 1
            }
            if let problem { return problem }
        }
        if let element = open.last { return "an unclosed <\(element)>" }
        return rootClosed ? nil : "an empty document"
    }

    /// A tag, after its '<'.
    private mutating func markup() -> String? {
        if skip("!--") { return "a comment" }
        if skip("!") { return "a <!…> declaration" }
        if skip("?") { return "a <?…?> processing instruction" }
        if skip("/") {
            let element = name()
            guard skip(">") else { return "a malformed </\(element)> tag" }
            guard open.last == element else { return "the closing tag </\(element)> " + (open.last.map { "inside <\($0)>" } ?? "outside <svg>") }
            open.removeLast()
            rootClosed = open.isEmpty
            return nil
        }
        let element = name()
        guard let allowed = SVGVocabulary.attributes[element] else { return element.isEmpty ? "a malformed tag" : "the element <\(element)>" }
        if open.isEmpty && (rootClosed || element != "svg") { return "the element <\(element)> outside <svg>" }
        while skip(" ") {
            let attribute = name()
            guard allowed.contains(attribute) else { return attribute.isEmpty ? "a malformed <\(element)> tag" : "the attribute \(attribute) on <\(element)>" }
            guard skip("=\""), let value = quotedValue() else { return "a malformed <\(element)> tag" }
            if let what = SVGVocabulary.unwritten(value, of: attribute) { return "\(what) of \(attribute) on <\(element)>" }
        }
        if skip("/>") {
            rootClosed = open.isEmpty
            return nil
        }
        guard skip(">") else { return "a malformed <\(element)> tag" }
        open.append(element)
        return nil
    }

    /// A character reference in text, after its '&': only those `XMLText` writes.
    private mutating func reference() -> String? {
        for entity in XMLText.entityNames.values where skip(entity + ";") { return nil }
        let name = bytes[position...].prefix { Self.isNameByte($0) || $0 == UInt8(ascii: "#") }.prefix(16)
        let semicolon = name.endIndex < bytes.count && bytes[name.endIndex] == UInt8(ascii: ";") ? ";" : ""
        return name.isEmpty ? "a bare '&'" : "the reference &" + String(decoding: name, as: UTF8.self) + semicolon
    }

    /// An element or attribute name: ASCII letters, digits and `-_.:` (empty when none follow).
    private mutating func name() -> String {
        let name = bytes[position...].prefix(while: Self.isNameByte)
        position += name.count
        return String(decoding: name, as: UTF8.self)
    }

    /// An attribute's value up to its closing '"' (skipped); nil when none follows.
    private mutating func quotedValue() -> String? {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let value = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        return value
    }

    /// Whether `text` follows; if it does, it is read.
    private mutating func skip(_ text: String) -> Bool {
        guard bytes[position...].starts(with: text.utf8) else { return false }
        position += text.utf8.count
        return true
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "-_.:".utf8.contains(byte)
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        " \t\n\r".utf8.contains(byte)
    }
}
