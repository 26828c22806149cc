import CSV
import Foundation

/// One published (or derived) figure to compare the model with.
public struct ReferenceFigure: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case published, derived, corrected, unlabelled, unresolved
        /// Unlabelled and unresolved figures are listed, never targets.
        public var isTarget: Bool { self == .published || self == .derived || self == .corrected }
    }
    public var scenario: String
    public var market: String
    public var segment: String
    public var metric: String
    public var year: Int
    public var value: Double
    public var unit: String
    public var status: Status
    public var note: String
    /// Its row in the file (2 for the first after the header), for messages.
    public var row = 0
}

extension ReferenceFigure {
    static let requiredColumns = ["scenario", "market", "segment", "metric", "year", "value", "unit", "status"]

    /// Reads a reference CSV (`scenario,market,segment,metric,year,value,unit,status[,note]`).
    public static func load(contentsOf path: String) throws -> [ReferenceFigure] {
        let text = try readTextFile(path)
        let table: CSVTable
        do { table = try CSVTable(text: text) } catch { throw InputError(file: path, message: "\(error)") }
        var columns: [String: Int] = [:]
        for name in requiredColumns {
            guard let index = table.column(name) else {
                throw InputError(file: path, message: "missing column '\(name)'; required: \(requiredColumns.joined(separator: ","))")
            }
            columns[name] = index
        }
        let note = table.column("note")
        return try table.rows.enumerated().map { i, row in
            func field(_ name: String) -> String { row[columns[name]!].trimmingCharacters(in: .whitespaces) }
            let place = "row \(i + 2)"
            guard let year = Int(field("year")) else { throw InputError(file: path, keyPath: "\(place).year", message: "'\(field("year"))' is not a year") }
            let value: Double
            do { value = try DecimalNumber.parse(field("value")) } catch {
                throw InputError(file: path, keyPath: "\(place).value", message: "\(error)")
            }
            guard let status = Status(rawValue: field("status")) else {
                throw InputError(file: path, keyPath: "\(place).status",
                                 message: "unknown status '\(field("status"))'; allowed: \(Status.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return ReferenceFigure(scenario: field("scenario"), market: field("market"), segment: field("segment"),
                                   metric: field("metric"), year: year, value: value, unit: field("unit"),
                                   status: status, note: note.map { row[$0] } ?? "", row: i + 2)
        }
    }
}
