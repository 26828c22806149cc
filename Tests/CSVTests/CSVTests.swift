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

    @Test func tableChecksWidth() {
        #expect(throws: CSV.ParseError.self) { try CSVTable(text: "t,y\n1,2,3\n") }
        #expect(throws: CSV.ParseError.self) { try CSVTable(text: "") }
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,\"open\n") }
    }
}
