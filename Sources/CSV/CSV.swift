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
        var scanner = RecordScanner(), records: [[String]] = []
        for byte in text.utf8 {
            if let record = try scanner.take(byte) { records.append(record) }
        }
        if let record = try scanner.end() { records.append(record) }
        return records
    }

    /// Records of CSV bytes taken one at a time, as they come (a file read block by block). The
    /// delimiters (comma, quote, line break) are ASCII bytes, which UTF-8 never uses inside a
    /// character, so the bytes split where the characters do; a carriage return outside quotes is
    /// dropped, and a line with nothing on it is no record.
    struct RecordScanner {
        private enum State { case unquoted, quoted, quoteInQuoted }
        private var state = State.unquoted
        private var record: [String] = []
        private var field: [UInt8] = []
        private var fieldWasQuoted = false
        /// Whether a byte of the field is not ASCII: only then need it be checked to be UTF-8.
        private var fieldHasNonASCII = false
        /// Bytes of the record so far: 0 between records.
        private var recordBytes = 0
        /// The line the scanner is on, and the one the last record begun began on.
        private(set) var line = 1
        private(set) var recordLine = 1
        /// The line of the last opening quote.
        private var quoteLine = 1

        /// Bounds, so that a file that is no CSV (a line of a gigabyte, a million commas) is refused, not held.
        static let longestRecord = 1 << 24
        static let mostFields = 1 << 16

        /// Takes the next byte; returns the record it ends, if it ends one.
        mutating func take(_ byte: UInt8) throws(ParseError) -> [String]? {
            if recordBytes == 0 {
                // Between records a line break or carriage return is a blank line's.
                if byte == UInt8(ascii: "\n") { line += 1 }
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return nil }
                recordLine = line
            }
            recordBytes += 1
            guard recordBytes <= Self.longestRecord else {
                // Most likely a quote never closed, which took in every line after it.
                throw ParseError(line: state == .quoted ? quoteLine : line, message: state == .quoted ? "a quoted field is not closed"
                                     : "a record longer than \(Self.longestRecord) bytes; is this a CSV file?")
            }
            switch state {
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .quoteInQuoted
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    append(byte)
                }
                return nil
            case .quoteInQuoted:
                // "" is a quote within the field; any other byte follows the closing quote.
                if byte == UInt8(ascii: "\"") {
                    append(byte)
                    state = .quoted
                    return nil
                }
                state = .unquoted
            case .unquoted:
                break
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty else { throw ParseError(line: line, message: "a quote inside an unquoted field") }
                state = .quoted
                quoteLine = line
                fieldWasQuoted = true
            case UInt8(ascii: ","):
                try endField()
            case UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "\n"):
                defer { line += 1 }
                return try endRecord()
            default:
                append(byte)
            }
            return nil
        }

        private mutating func append(_ byte: UInt8) {
            field.append(byte)
            fieldHasNonASCII = fieldHasNonASCII || byte >= 0x80
        }

        /// After the last byte: the last record, if the text does not end with a line break.
        mutating func end() throws(ParseError) -> [String]? {
            if state == .quoted { throw ParseError(line: quoteLine, message: "a quoted field is not closed") }
            state = .unquoted
            return recordBytes > 0 ? try endRecord() : nil
        }

        private mutating func endField() throws(ParseError) {
            guard record.count < Self.mostFields else { throw ParseError(line: line, message: "a record of more than \(Self.mostFields) fields; is this a CSV file?") }
            if fieldHasNonASCII {
                guard let text = String(validating: field, as: UTF8.self) else { throw ParseError(line: line, message: "is not UTF-8 text") }
                record.append(text)
            } else {
                record.append(String(decoding: field, as: UTF8.self))
            }
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
            fieldHasNonASCII = false
        }

        private mutating func endRecord() throws(ParseError) -> [String] {
            try endField()
            defer {
                record = []
                recordBytes = 0
            }
            return record
        }
    }

    /// The records of the CSV file at `path`, read a block at a time, so that only the record being
    /// read is held: a file larger than memory streams through. A UTF-8 byte-order mark at its start
    /// (spreadsheets' "CSV UTF-8" writes one) is skipped.
    public final class FileRecords {
        private let descriptor: Int32
        private let block = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 20)
        private var position = 0, count = 0, atEnd = false, started = false
        /// Bytes read from the file so far, into this block and those before it.
        private var filled = 0
        private var scanner = RecordScanner()
        /// The file's size in bytes (0 for what has none, a pipe).
        public let size: Int
        /// How far the records given so far reach into the file, in bytes.
        public var offset: Int { filled - count + position }

        /// Throws the system's reason when the file cannot be opened, or is a directory.
        public init(path: String) throws(OpenError) {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            var status = stat()
            let reason = descriptor < 0 || fstat(descriptor, &status) != 0 ? String(cString: strerror(errno))
                : status.st_mode & S_IFMT == S_IFDIR ? "is a directory" : nil
            // Thrown before every property is set, so no deinit: what is open is closed here.
            if let reason {
                if descriptor >= 0 { close(descriptor) }
                block.deallocate()
                throw OpenError(reason: reason)
            }
            size = status.st_mode & S_IFMT == S_IFREG ? Int(status.st_size) : 0
        }

        /// Why a file could not be opened, in the system's words.
        public struct OpenError: Error, CustomStringConvertible {
            public var reason: String
            public var description: String { reason }
        }

        deinit {
            close(descriptor)
            block.deallocate()
        }

        /// The next record and the line it begins on; nil after the last.
        public func next() throws(ParseError) -> (fields: [String], line: Int)? {
            // Scanned in locals: a class's stored properties are checked for exclusive access at
            // every use, which cost a sixth of the time byte by byte. The scanner is moved out, not
            // copied, so that its buffers stay uniquely referenced.
            var scanner = self.scanner, position = self.position
            self.scanner = RecordScanner()
            defer {
                self.scanner = scanner
                self.position = position
            }
            while true {
                if position == count {
                    guard !atEnd else { return nil }
                    position = try refill(line: scanner.line)
                    if count == 0 {
                        atEnd = true
                        return try scanner.end().map { ($0, scanner.recordLine) }
                    }
                }
                let count = self.count, block = self.block
                while position < count {
                    let byte = block[position]
                    position += 1
                    if let record = try scanner.take(byte) { return (record, scanner.recordLine) }
                }
            }
        }

        /// Reads the next block; returns where its records start (past a byte-order mark).
        private func refill(line: Int) throws(ParseError) -> Int {
            var read = -1
            repeat { read = Foundation.read(descriptor, block.baseAddress, block.count) } while read < 0 && errno == EINTR
            guard read >= 0 else { throw ParseError(line: line, message: "cannot read the file (\(String(cString: strerror(errno))))") }
            count = read
            filled += read
            defer { started = true }
            return !started && count >= 3 && block[0] == 0xEF && block[1] == 0xBB && block[2] == 0xBF ? 3 : 0
        }
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
        try self.init(records: try CSV.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text))
    }

    /// The table of `records` (as `CSV.parse` or `CSV.FileRecords` give them), checked as `init(text:)`
    /// says; `lines`: the line each begins on, for errors (without them, one line a record).
    public init(records: [[String]], lines: [Int]? = nil) throws {
        header = try Self.header(records.first)
        for (i, record) in records.enumerated().dropFirst() { try Self.checkWidth(record, header: header, line: lines?[i] ?? i + 1) }
        rows = Array(records.dropFirst())
    }

    /// The column names of a header record (trimmed), none named twice.
    public static func header(_ record: [String]?) throws(CSV.ParseError) -> [String] {
        guard let record else { throw CSV.ParseError(line: 1, message: "the file is empty (no header)") }
        let header = record.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen: Set<String> = []
        if let twice = header.first(where: { !seen.insert($0).inserted }) {
            throw CSV.ParseError(line: 1, message: "the header names the column '\(twice)' twice")
        }
        return header
    }

    /// Refuses a record (on `line`) without the header's width.
    public static func checkWidth(_ record: [String], header: [String], line: Int) throws(CSV.ParseError) {
        guard record.count == header.count else { throw CSV.ParseError(line: line, message: "\(record.count) fields where the header has \(header.count)") }
    }

    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}
