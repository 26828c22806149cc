import Testing
import CSV

/// The one number grammar of files and command lines: what a spreadsheet or pandas writes is read
/// to the same double as `Double(String)` (correctly rounded); everything else is refused, saying why.
struct DecimalNumberTests {
    @Test(arguments: ["0", "-0", "+0", "0.000", "42", "+1", "-17", "1.5", ".5", "5.", "-.25", "0.1", "1e3", "1E+3", "1.5e-3",
                      "-2.5E-10", "007", "1e-310", "4.9e-324", "1.7976931348623157e308", "0e99999", "0.0e-99999",
                      "123456789012345678901234567890", "0.30000000000000004"])
    func acceptedSpellingsGiveSwiftsCorrectlyRoundedDouble(text: String) throws {
        let value = try DecimalNumber.parse(text)
        #expect(value.bitPattern == Double(text)?.bitPattern, "\(text)")
    }

    @Test func knownValues() throws {
        #expect(try DecimalNumber.parse("0.1") == 0.1)
        #expect(try DecimalNumber.parse("1e3") == 1000)
        #expect(try DecimalNumber.parse("-.25") == -0.25)
        #expect(try DecimalNumber.parse("-0").sign == .minus)
        #expect(try DecimalNumber.parse("4.9e-324") == Double.leastNonzeroMagnitude)
        #expect(try DecimalNumber.parse("1.7976931348623157e308") == Double.greatestFiniteMagnitude)
    }

    /// Not decimal: each of these `Double(String)` accepts (hex, nan, inf) or that have no number at all.
    @Test(arguments: ["", " ", " 1", "1 ", "0x10", "0X1p4", "0x1.8p1", "nan", "NaN", "-nan", "inf", "-inf", "+Infinity", "infinity",
                      "1e", "1e+", "e5", ".", "-", "+", "-.", ".e1", "1.2.3", "1,5", "1_000", "--1", "+-1", "1e5x", "1d", "1f",
                      "٣", "1e1.5", "1 000", "\u{2212}1"])
    func refusedSpellings(text: String) {
        #expect(throws: DecimalNumber.Refusal.notDecimal(text), "\(text)") { try DecimalNumber.parse(text) }
    }

    /// Decimal, but a nonzero value the doubles cannot hold: no silent 0 or infinity.
    @Test(arguments: ["1e-400", "-1e-400", "2e-324", "0.0000000000000000000000001e-300", "1e309", "-1e309", "1.8e308",
                      "1e99999999999999999999", "-1e99999999999999999999", "1e-99999999999999999999"])
    func outOfRangeSpellings(text: String) {
        #expect(throws: DecimalNumber.Refusal.outOfRange(text), "\(text)") { try DecimalNumber.parse(text) }
    }

    @Test func messagesSayTheAllowedFormAndRange() {
        #expect("\(DecimalNumber.Refusal.notDecimal("0x10"))" == "'0x10' is not a decimal number such as 42, -0.5 or 1.5e-3")
        #expect("\(DecimalNumber.Refusal.outOfRange("1e-400"))"
                == "'1e-400' is out of the representable range (nonzero magnitudes 5e-324 to 1.7976931348623157e+308)")
    }
}
