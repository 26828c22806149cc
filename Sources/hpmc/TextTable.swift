import Foundation

/// A plain-text table with right-aligned numeric columns, for terminal summaries.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

/// Four significant digits, switching to exponent form for very large or small magnitudes; "n/a"
/// for a figure that could not be computed (NaN or infinite).
func formatFigure(_ value: Double) -> String {
    guard value.isFinite else { return "n/a" }
    let magnitude = abs(value)
    if magnitude != 0 && (magnitude >= 1e7 || magnitude < 1e-3) { return String(format: "%.3e", value) }
    if magnitude >= 1000 { return String(format: "%.0f", value) }
    return String(format: "%.4g", value)
}

func formatPercent(_ value: Double?) -> String {
    guard let value else { return "" }
    return String(format: "%+.2f%%", 100 * value)
}
