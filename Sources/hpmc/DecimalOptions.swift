import CSV

/// A number option's value, read by the one decimal grammar: ArgumentParser's own reading of a
/// `Double` takes hexadecimal, `nan` and `inf`, and rounds out-of-range text to 0 or infinity.
func decimalOption(_ text: String) throws -> Double { try DecimalNumber.parse(text) }

/// `option`'s comma-separated decimal numbers; an empty entry is an error, not skipped.
func decimalList(_ text: String, option: String) throws -> [Double] {
    try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
        do { return try DecimalNumber.parse(part.trimmingCharacters(in: .whitespaces)) } catch {
            throw SettingsError(option: option, message: "'\(text)': \(error)")
        }
    }
}
