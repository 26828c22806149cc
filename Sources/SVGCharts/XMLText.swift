/// Escaping of text for XML character data and attribute values.
enum XMLText {
    /// The characters written as references, by the entity names XML predefines for them.
    static let entityNames: [Unicode.Scalar: String] = ["&": "amp", "<": "lt", ">": "gt", "\"": "quot", "'": "apos"]

    /// `text` with `& < > " '` replaced by entities and characters XML 1.0 forbids removed.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let name = entityNames[scalar] {
                result += "&" + name + ";"
            } else if isAllowed(scalar) {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The XML 1.0 `Char` production: tab, newline, carriage return, and everything from space up
    /// except the non-characters U+FFFE and U+FFFF (surrogates cannot occur in a Swift string).
    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
