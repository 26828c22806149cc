import Testing
@testable import SVGCharts

@Suite("Formatting and escaping")
struct FormattingTests {
    @Test func fixedPointIsLocaleFreeAndSignless() {
        #expect(NumberText.fixed(3.14159, decimals: 2) == "3.14")
        #expect(NumberText.fixed(-0.004, decimals: 2) == "0.00")
        #expect(NumberText.fixed(-2.5, decimals: 0) == "-3")
        #expect(NumberText.fixed(1234567.891, decimals: 1) == "1234567.9")
        #expect(NumberText.fixed(0.05, decimals: 3) == "0.050")
        #expect(NumberText.fixed(.nan, decimals: 2) == "")
    }

    @Test func coordinatesDropTrailingZeros() {
        #expect(NumberText.coordinate(12.5) == "12.5")
        #expect(NumberText.coordinate(12.0) == "12")
        #expect(NumberText.coordinate(-0.001) == "0")
        #expect(NumberText.coordinate(99.999) == "100")
    }

    @Test func readableValuesKeepThreeSignificantDigits() {
        #expect(NumberText.readable(12.345) == "12.3")
        #expect(NumberText.readable(0.012345) == "0.0123")
        #expect(NumberText.readable(2500) == "2500")
        #expect(NumberText.readable(12345) == "12.3k")
        #expect(NumberText.readable(-4_200_000) == "\u{2212}4.2M")
        #expect(NumberText.readable(0) == "0")
        #expect(NumberText.readable(.infinity) == "n/a")
    }

    @Test func markupCharactersBecomeEntities() {
        #expect(XMLText.escaped(#"a<b & "c" > 'd'"#) == "a&lt;b &amp; &quot;c&quot; &gt; &apos;d&apos;")
        #expect(XMLText.escaped("tab\tkept, bell\u{7} dropped") == "tab\tkept, bell dropped")
        #expect(XMLText.escaped("CO₂ – P5–P95") == "CO₂ – P5–P95")
    }

    @Test func idsAreValidAndStable() {
        #expect(SVGDocument.idPrefix(requested: "my chart #1", seed: "") == "mychart1")
        #expect(SVGDocument.idPrefix(requested: "2050", seed: "") == "chart-2050")
        let derived = SVGDocument.idPrefix(requested: nil, seed: "fan|Title")
        #expect(derived == SVGDocument.idPrefix(requested: nil, seed: "fan|Title"))
        #expect(derived != SVGDocument.idPrefix(requested: nil, seed: "fan|Other"))
        // FNV-1a 32 of the empty string is its offset basis, 0x811c9dc5 (Fowler–Noll–Vo reference values).
        #expect(SVGDocument.idPrefix(requested: nil, seed: "") == "chart-811c9dc5")
        // FNV-1a 32 of "a" is 0xe40c292c (same reference).
        #expect(SVGDocument.idPrefix(requested: nil, seed: "a") == "chart-e40c292c")
    }
}
