import Foundation
import Testing
import CSV

struct CSVTests {
    @Test func quotedFieldsRoundTrip() throws {
        let fields = ["plain", "with, comma", "with \"quote\"", "two\nlines", ""]
        let parsed = try CSV.parse(CSV.line(fields) + CSV.line(["a", "b", "c", "d", "e"]))
        #expect(parsed == [fields, ["a", "b", "c", "d", "e"]])
    }

    @Test func crlfAndMissingFinalNewline() throws {
        #expect(try CSV.parse("t,y\r\n1,2\r\n3,4") == [["t", "y"], ["1", "2"], ["3", "4"]])
    }

    /// A spreadsheet's byte-order mark is no part of the first column's name (it was "missing column
    /// 'scenario'"); a column named twice is refused, not read from one of the two at random (a
    /// dictionary of the header trapped on it).
    @Test func tableSkipsAByteOrderMarkAndRefusesARepeatedColumn() throws {
        let table = try CSVTable(text: "\u{FEFF}scenario,value\nCNS,1\n")
        #expect(table.header == ["scenario", "value"] && table.column("scenario") == 0)
        do {
            _ = try CSVTable(text: "scenario,note,note\nCNS,a,b\n")
            Issue.record("a repeated column was read")
        } catch let error as CSV.ParseError {
            #expect(error.line == 1 && error.message == "the header names the column 'note' twice")
        }
    }

    /// A file streamed block by block (1 MiB) gives the records `parse` gives its text, whatever falls
    /// on a block's edge (a quote pair, a CRLF, a multi-byte character, a quoted line break), each with
    /// the line it begins on, blank lines counted; the byte-order mark is skipped.
    @Test func aFileStreamedInBlocksGivesTheRecordsOfItsText() throws {
        let fields = ["plain", "with, comma", "with \"quote\"", "two\nlines", "", "façade ∑ 3.5e-7", "\"\""]
        var text = "", lines: [Int] = [], line = 1
        var i = 0
        while text.utf8.count < 3 << 20 {
            let record = (0..<1 + i % 5).map { fields[($0 + i) % fields.count] } + ["\(i)"]
            lines.append(line)
            let written = CSV.line(record) + (i % 7 == 0 ? "\n\r\n" : "")
            text += i % 3 == 0 ? written.replacingOccurrences(of: "\n", with: "\r\n") : written
            line += written.utf8.filter { $0 == UInt8(ascii: "\n") }.count
            i += 1
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hpmc-csv-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(("\u{FEFF}" + text).utf8).write(to: URL(fileURLWithPath: path))
        let records = try CSV.FileRecords(path: path)
        var streamed: [[String]] = [], streamedLines: [Int] = []
        while let (record, line) = try records.next() {
            streamed.append(record)
            streamedLines.append(line)
        }
        // Compared whole, reported by the first difference: the lists run to 100,000 records.
        let parsed = try CSV.parse(text)
        #expect(streamed.count == parsed.count && streamedLines.count == lines.count)
        let firstRecord = zip(streamed, parsed).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstRecord == nil, "record \(firstRecord ?? 0): \(firstRecord.map { streamed[$0] } ?? []) vs \(firstRecord.map { parsed[$0] } ?? [])")
        let firstLine = zip(streamedLines, lines).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstLine == nil, "record \(firstLine?.offset ?? 0): line \(firstLine?.element.0 ?? 0), not \(firstLine?.element.1 ?? 0)")
        #expect(records.offset == records.size && records.size == text.utf8.count + 3)
    }

    /// A field that is not UTF-8 is refused on its line, wherever in the file it is.
    @Test func aFieldThatIsNotUTF8IsRefusedOnItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hpmc-csv-latin1-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (Data("a,b\n1,2\n3,".utf8) + Data([0x66, 0xE7, 0x61]) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
        let records = try CSV.FileRecords(path: path)
        #expect(try records.next()?.fields == ["a", "b"])
        #expect(try records.next()?.fields == ["1", "2"])
        let error = #expect(throws: CSV.ParseError.self) { try records.next() }
        #expect(error?.line == 3 && error?.message == "is not UTF-8 text")
        #expect(throws: CSV.FileRecords.OpenError.self) { try CSV.FileRecords(path: path + ".missing") }
        let directory = #expect(throws: CSV.FileRecords.OpenError.self) { try CSV.FileRecords(path: FileManager.default.temporaryDirectory.path) }
        #expect(directory?.reason == "is a directory")
    }

    /// A file that is no CSV (a line of a gigabyte, a million commas) is refused at a bound, not held
    /// in memory until the system refuses it (a trap).
    @Test func anOverlongFieldOrRecordIsRefused() {
        let field = #expect(throws: CSV.ParseError.self) { try CSV.parse("a\n" + String(repeating: "x", count: 1 << 24 + 1)) }
        #expect(field?.line == 2 && field?.message == "a record longer than 16777216 bytes; is this a CSV file?")
        #expect((try? CSV.parse("a\n" + String(repeating: "x", count: 1 << 24)))?.last?.first?.utf8.count == 1 << 24)
        // A quote never closed takes in every line after it: said so, on the quote's line.
        let quote = #expect(throws: CSV.ParseError.self) { try CSV.parse("a\n\"b\n" + String(repeating: "x,y\n", count: 1 << 22 + 1)) }
        #expect(quote?.line == 2 && quote?.message == "a quoted field is not closed")
        let short = #expect(throws: CSV.ParseError.self) { try CSV.parse("a\n\"b\nc\nd\n") }
        #expect(short?.line == 2 && short?.message == "a quoted field is not closed")
        let record = #expect(throws: CSV.ParseError.self) { try CSV.parse(String(repeating: ",", count: 1 << 16)) }
        #expect(record?.line == 1 && record?.message == "a record of more than 65536 fields; is this a CSV file?")
        #expect((try? CSV.parse(String(repeating: ",", count: (1 << 16) - 1)))?.first?.count == 1 << 16)
    }

    @Test func tableChecksWidth() {
        #expect(throws: CSV.ParseError.self) { try CSVTable(text: "t,y\n1,2,3\n") }
        #expect(throws: CSV.ParseError.self) { try CSVTable(text: "") }
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,\"open\n") }
    }
}
