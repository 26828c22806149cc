import RoadmapModel
import Scenario

/// A full-factorial grid over named inputs; at each point those inputs are pinned and the rest sampled
/// with the same seed, so every point sees the same draws of the other inputs (common random numbers).
public struct SweepGrid: Sendable {
    public struct Axis: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        /// The slot it pins and how a grid value becomes the slot value.
        var slot: Int
        var input: Int?
    }

    public let axes: [Axis]
    /// Every grid point: one value per axis, the first axis varying slowest.
    public let points: [[Double]]

    /// Names `--grid` accepts: the scenario's uncertain inputs (in their own units) and every model
    /// quantity (slot) by its path.
    public static func names(setup: ModelSetup) -> (inputs: [String], quantities: [ModelSetup.Slot]) {
        (setup.scenario.uncertain.map(\.name), setup.slots.filter { $0.central.isFinite })
    }

    /// The most grid points a sweep has: far more than a modeller reads, and few enough that the
    /// points and their sample counts stay small numbers.
    public static let maximumPoints = 10_000

    /// Parses `NAME=LO:HI:STEPS` specifications.
    public init(specifications: [String], setup: ModelSetup) throws(SettingsError) {
        guard (1...4).contains(specifications.count) else {
            throw SettingsError(option: "--grid", message: "give 1 to 4 --grid options, not \(specifications.count)")
        }
        let mapping: InputMapping
        do { mapping = try InputMapping(setup: setup) } catch { throw SettingsError(option: "--grid", message: "\(error)") }
        var axes: [Axis] = []
        for text in specifications {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let range = parts.count == 2 ? parts[1].split(separator: ":").map { Double($0) } : []
            guard parts.count == 2, range.count == 3, let low = range[0], let high = range[1], let stepsValue = range[2],
                  low.isFinite, high.isFinite, stepsValue == stepsValue.rounded() else {
                throw SettingsError(option: "--grid", message: "'\(text)': write NAME=LO:HI:STEPS, e.g. cop_heating=0.85:1.15:5")
            }
            guard stepsValue >= 2 else { throw SettingsError(option: "--grid", message: "'\(text)': STEPS must be at least 2") }
            guard stepsValue <= Double(Self.maximumPoints) else {
                throw SettingsError(option: "--grid", message: "'\(text)': STEPS must be at most \(Self.maximumPoints)")
            }
            let steps = Int(stepsValue)
            guard low <= high else { throw SettingsError(option: "--grid", message: "'\(text)': LO \(low) is above HI \(high)") }
            let name = parts[0]
            guard !axes.contains(where: { $0.name == name }) else { throw SettingsError(option: "--grid", message: "'\(name)' is swept twice") }
            let values = (0..<steps).map { low + (high - low) * Double($0) / Double(steps - 1) }
            if let d = mapping.names.firstIndex(of: name) {
                axes.append(Axis(name: name, values: values, slot: mapping.slot(input: d), input: d))
            } else if let slot = setup.slots.firstIndex(where: { $0.name == name && $0.central.isFinite }) {
                axes.append(Axis(name: name, values: values, slot: slot, input: nil))
            } else {
                throw SettingsError(option: "--grid", message: "unknown name '\(name)'; `hpmc sweep --list SCENARIO` prints the names")
            }
        }
        let slots = axes.map(\.slot)
        guard Set(slots).count == slots.count else {
            throw SettingsError(option: "--grid", message: "two --grid names act on the same model quantity")
        }
        let pointCount = axes.reduce(1) { $0 * $1.values.count }
        guard pointCount <= Self.maximumPoints else {
            throw SettingsError(option: "--grid", message: "\(pointCount) grid points; at most \(Self.maximumPoints)")
        }
        self.axes = axes
        var points: [[Double]] = [[]]
        for axis in axes { points = points.flatMap { prefix in axis.values.map { prefix + [$0] } } }
        self.points = points
        self.mapping = mapping
    }

    private let mapping: InputMapping

    /// The slot values that pin grid point `point`.
    public func pins(point: Int) -> [Int: Double] {
        Dictionary(uniqueKeysWithValues: axes.enumerated().map { a, axis in
            let value = points[point][a]
            return (axis.slot, axis.input.map { mapping.slotValue(input: $0, drawn: value) } ?? value)
        })
    }
}
