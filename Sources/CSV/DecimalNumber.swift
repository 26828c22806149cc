/// The one grammar for numbers read from files and command lines: plain decimal with an optional
/// sign, fraction and exponent, as spreadsheets and pandas write them. Swift's `Double(String)`
/// alone also takes hexadecimal (`0x10`), `nan` and `inf`, and turns a nonzero text beyond the
/// doubles into 0 or infinity without a word.
public enum DecimalNumber {
    /// The allowed form, for messages.
    public static let allowedForm = "a decimal number such as 42, -0.5 or 1.5e-3"

    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not the decimal grammar (empty, hexadecimal, nan, inf, trailing text, …).
        case notDecimal(String)
        /// Decimal, but its nonzero value rounds to 0 or to ±infinity.
        case outOfRange(String)

        public var description: String {
            switch self {
            case .notDecimal(let text): "'\(text)' is not \(DecimalNumber.allowedForm)"
            case .outOfRange(let text):
                "'\(text)' is out of the representable range (nonzero magnitudes \(Double.leastNonzeroMagnitude) to \(Double.greatestFiniteMagnitude))"
            }
        }
    }

    /// The shortest decimal that `parse` reads back to `value` (finite), a whole number without
    /// ".0" (`3`, as a user writes it, not `3.0`).
    public static func text(_ value: Double) -> String {
        let text = "\(value)"
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// The double nearest `text`, which must be the whole decimal number (no spaces).
    public static func parse(_ text: some StringProtocol) throws(Refusal) -> Double {
        let string = String(text)
        guard let nonzero = scan(string.utf8) else { throw .notDecimal(string) }
        // The grammar is checked; the conversion is Swift's, which rounds correctly.
        guard let value = Double(string), value.isFinite, value != 0 || !nonzero else { throw .outOfRange(string) }
        return value
    }

    /// Whether the mantissa has a nonzero digit, when `bytes` are `[+-]digits[.digits][(e|E)[+-]digits]`
    /// (at least one mantissa digit, either side of the point); nil otherwise.
    private static func scan(_ bytes: String.UTF8View) -> Bool? {
        var index = bytes.startIndex
        func take(_ allowed: (UInt8) -> Bool) -> Bool {
            guard index < bytes.endIndex, allowed(bytes[index]) else { return false }
            index = bytes.index(after: index)
            return true
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isSign(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") }
        var digits = 0, nonzero = false
        func mantissaDigits() {
            while index < bytes.endIndex, isDigit(bytes[index]) {
                digits += 1
                nonzero = nonzero || bytes[index] != UInt8(ascii: "0")
                index = bytes.index(after: index)
            }
        }
        _ = take(isSign)
        mantissaDigits()
        if take({ $0 == UInt8(ascii: ".") }) { mantissaDigits() }
        guard digits > 0 else { return nil }
        if take({ $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            _ = take(isSign)
            guard take(isDigit) else { return nil }
            while take(isDigit) {}
        }
        return index == bytes.endIndex ? nonzero : nil
    }
}
