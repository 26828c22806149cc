/// Appends SVG elements to a string, escaping every attribute value and text node.
///
/// Attributes are ordered pairs, not a dictionary, so output order (and hence the bytes) is fixed.
struct SVGWriter {
    typealias Attributes = [(String, String)]

    private(set) var text = ""

    mutating func open(_ name: String, _ attributes: Attributes = []) {
        text += "<" + name + Self.render(attributes) + ">\n"
    }

    mutating func close(_ name: String) {
        text += "</" + name + ">\n"
    }

    /// An element without content, written self-closing.
    mutating func empty(_ name: String, _ attributes: Attributes) {
        text += "<" + name + Self.render(attributes) + "/>\n"
    }

    /// An element holding only the text `content`.
    mutating func element(_ name: String, _ attributes: Attributes = [], content: String) {
        text += "<" + name + Self.render(attributes) + ">" + XMLText.escaped(content) + "</" + name + ">\n"
    }

    mutating func append(_ other: SVGWriter) {
        text += other.text
    }

    private static func render(_ attributes: Attributes) -> String {
        var result = ""
        for (name, value) in attributes {
            result += " " + name + "=\"" + XMLText.escaped(value) + "\""
        }
        return result
    }
}
