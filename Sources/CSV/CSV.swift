import Foundation

/// Comma-separated values as pandas and spreadsheets read and write them (RFC 4180 quoting).
public enum CSV {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// A number's cell: empty for NaN and infinities (a statistic that could not be computed), which
    /// pandas reads as NaN and no reader mistakes for a value.
    public static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "" }

    /// Splits `text` into records of fields. Quoted fields may hold commas, quotes ("") and newlines.
    public static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false, fieldWasQuoted = false
        var line = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        func endRecord() {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty && !fieldWasQuoted) { records.append(record) }
            record = []
            field = ""
            fieldWasQuoted = false
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let after = next() {
                        if after == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = after }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else { throw ParseError(line: line, message: "a quote inside an unquoted field") }
                quoted = true
                fieldWasQuoted = true
            case ",":
                record.append(field)
                field = ""
                fieldWasQuoted = false
            case "\r":
                continue
            case "\n":
                endRecord()
                line += 1
            default:
                field.unicodeScalars.append(c)
            }
        }
        if quoted { throw ParseError(line: line, message: "a quoted field is not closed") }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// One field, quoted when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        // Bytes, not Characters: those four are ASCII, and grapheme breaking costs a hundredfold.
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
        else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record as a line, with its newline.
    public static func line(_ fields: [String]) -> String {
        // Appends instead of map + joined: a bands file has tens of thousands of lines.
        var line = ""
        line.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count })
        for (i, field) in fields.enumerated() {
            if i > 0 { line += "," }
            line += escape(field)
        }
        line += "\n"
        return line
    }
}

/// A parsed CSV file with a header row, read by column name.
public struct CSVTable: Sendable {
    public let header: [String]
    public let rows: [[String]]

    /// Parses text whose first record is the header, after a UTF-8 byte-order mark if there is one
    /// (spreadsheets' "CSV UTF-8" writes it); every row must have the header's width, and no column's
    /// name may repeat (which of the two would be read?).
    public init(text: String) throws {
        let records = try CSV.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard let header = records.first else { throw CSV.ParseError(line: 1, message: "the file is empty (no header)") }
        self.header = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: Set<String> = []
        if let twice = self.header.first(where: { !seen.insert($0).inserted }) {
            throw CSV.ParseError(line: 1, message: "the header names the column '\(twice)' twice")
        }
        for (i, record) in records.dropFirst().enumerated() where record.count != header.count {
            throw CSV.ParseError(line: i + 2, message: "\(record.count) fields where the header has \(header.count)")
        }
        rows = Array(records.dropFirst())
    }

    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}
