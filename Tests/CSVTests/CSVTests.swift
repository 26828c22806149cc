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

    @Test func tableChecksWidth() {
        #expect(throws: CSV.ParseError.self) { try CSVTable(text: "t,y\n1,2,3\n") }
        #expect(throws: CSV.ParseError.self) { try CSVTable(text: "") }
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,\"open\n") }
    }
}
