import CSV
import Foundation
import Distributions
import ParallelRunner
import RoadmapModel
import Scenario

/// A full-factorial grid over named inputs; at each point those inputs are pinned and the rest sampled
/// with the same seed, so every point sees the same draws of the other inputs (common random numbers).
public struct SweepGrid: Sendable {
    /// One swept name, its values and what it pins.
    public struct Axis: Sendable, Equatable {
        public var name: String
        public var values: [Double]
        /// The slot it pins, what that slot is, and how a grid value becomes the slot value.
        var slot: SlotIndex
        var target: InputTarget
        var input: Int?
    }

    public let axes: [Axis]
    /// Every grid point: one value per axis, the first axis varying slowest.
    public let points: [[Double]]

    /// Grid points at most: each is a whole Monte Carlo study.
    static let maximumPoints = 10_000
    /// The columns of sweep.csv before and after the grid's names.
    static let leadingColumns = ["point"], trailingColumns = ["market", "metric", "year", "stat", "value", "unit"]
    static let fixedColumns = leadingColumns + trailingColumns

    /// The header of sweep.csv.
    public var header: [String] { Self.leadingColumns + axes.map(\.name) + Self.trailingColumns }

    /// Names `--grid` accepts: the scenario's uncertain inputs (in their own units) and every model
    /// quantity (slot) the kernel reads, by its path, but those that would move an observed figure.
    public static func names(setup: ModelSetup) -> (inputs: [String], quantities: [ModelSetup.Slot]) {
        (setup.scenario.uncertain.map(\.name), setup.slots.filter { slot in
            slot.target.map { setup.scenario.observedFigure(movedBy: $0) == nil } ?? false
        })
    }

    /// Parses `NAME=LO:HI:STEPS` specifications.
    public init(specifications: [String], setup: ModelSetup) throws(StudyError) {
        guard (1...4).contains(specifications.count) else {
            throw StudyError(.sweepAxis, "sweep 1 to 4 names, not \(specifications.count)")
        }
        let mapping: InputMapping
        do { mapping = try InputMapping(setup: setup) } catch { throw StudyError(.sweepAxis, "\(error)") }
        var axes: [Axis] = []
        for text in specifications {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let fields = parts.count == 2 ? parts[1].split(separator: ":", omittingEmptySubsequences: false) : []
            let form = "write NAME=LO:HI:STEPS, LO, HI and HI − LO finite, e.g. cop_heating=0.85:1.15:5"
            guard fields.count == 3 else { throw StudyError(.sweepAxis, "'\(text)': \(form)") }
            let range: [Double]
            do { range = try fields.map { field throws(DecimalNumber.Refusal) in try DecimalNumber.parse(field) } } catch {
                throw StudyError(.sweepAxis, "'\(text)': \(error); \(form)")
            }
            let low = range[0], high = range[1], stepsValue = range[2]
            guard (high - low).isFinite, stepsValue == stepsValue.rounded() else {
                throw StudyError(.sweepAxis, "'\(text)': \(form)")
            }
            guard stepsValue >= 2, stepsValue <= Double(Self.maximumPoints) else {
                throw StudyError(.sweepAxis, "'\(text)': STEPS must be at least 2 and at most \(Self.maximumPoints)")
            }
            let steps = Int(stepsValue)
            guard low < high else {
                // Equal ends made STEPS identical points, each run in full.
                throw StudyError(.sweepAxis, "'\(text)': LO \(DecimalNumber.text(low)) is " + (low == high ? "HI; give HI above LO" : "above HI \(DecimalNumber.text(high))"))
            }
            let name = parts[0]
            guard !axes.contains(where: { $0.name == name }) else { throw StudyError(.sweepAxis, "'\(name)' is swept twice") }
            guard !Self.fixedColumns.contains(name) else {
                throw StudyError(.sweepAxis, "'\(name)' is a column of sweep.csv (\(Self.fixedColumns.joined(separator: ", "))); "
                                        + "rename the input in the scenario")
            }
            let values = Self.decimalGrid(fields[0], fields[1], steps: steps)
                ?? (0..<steps).map { low + (high - low) * Double($0) / Double(steps - 1) }
            let axis: Axis
            if let d = mapping.names.firstIndex(of: name) {
                axis = Axis(name: name, values: values, slot: mapping.slot(input: d), target: mapping.inputs[d].target, input: d)
            } else {
                switch InputTarget.parse(name, in: setup.scenario) {
                case .success(let target):
                    // The loader holds every uncertain input to this; a quantity pinned outright must not move one either.
                    if let figure = setup.scenario.observedFigure(movedBy: target) {
                        throw StudyError(.sweepAxis, "'\(name)' would change \(figure), which is marked observed: an observed figure stays as measured "
                                                + "at every grid point; sweep an uncertain input that acts after it (apply: ramp_factor or ramp_shift) instead")
                    }
                    axis = Axis(name: name, values: values, slot: setup.slot(for: target), target: target, input: nil)
                case .failure(let problem):
                    throw StudyError(.sweepName, "unknown name '\(name)' (\(problem.reason))")
                }
            }
            axes.append(axis)
        }
        let pointCount = axes.reduce(1) { $0 * $1.values.count }
        guard pointCount <= Self.maximumPoints else {
            throw StudyError(.sweepAxis, "the grid has \(pointCount) points; at most \(Self.maximumPoints)")
        }
        let slots = axes.map(\.slot)
        guard Set(slots).count == slots.count else {
            throw StudyError(.sweepAxis, "two swept names act on the same model quantity")
        }
        for axis in axes { try Self.checkRange(of: axis, setup: setup, mapping: mapping) }
        try Self.checkShares(axes: axes, setup: setup, mapping: mapping)
        self.axes = axes
        var points: [[Double]] = [[]]
        for axis in axes { points = points.flatMap { prefix in axis.values.map { prefix + [$0] } } }
        self.points = points
        self.mapping = mapping
    }

    private let mapping: InputMapping

    /// `LO + (HI − LO)·i/(STEPS − 1)` in decimal arithmetic (38 digits), each value the double nearest
    /// it: 0.85:1.15:5 gives 0.925, where binary arithmetic gives 0.9249999999999999. Nil beyond the
    /// range of `Decimal` (about 1e±127), where the grid is made in binary.
    static func decimalGrid(_ lowText: Substring, _ highText: Substring, steps: Int) -> [Double]? {
        let posix = Locale(identifier: "en_US_POSIX")
        guard let low = Decimal(string: String(lowText), locale: posix), let high = Decimal(string: String(highText), locale: posix),
              low.isFinite, high.isFinite else { return nil }
        var values: [Double] = []
        for i in 0..<steps {
            let value = low + (high - low) * Decimal(i) / Decimal(steps - 1)
            guard value.isFinite, let double = Double(value.description), double.isFinite else { return nil }
            values.append(double)
        }
        return values
    }

    /// Every value of `axis` must keep the quantity it pins in that quantity's valid range: an input's
    /// value goes through its `apply`, a path's value is a factor on the whole path.
    static func checkRange(of axis: Axis, setup: ModelSetup, mapping: InputMapping) throws(StudyError) {
        let target = axis.target, range = target.validRange
        let apply: UncertainInput.Apply, base: Double?, applied: String
        if let d = axis.input {
            let input = mapping.inputs[d]
            apply = input.apply
            base = target.isPath || apply == .set ? nil : setup[slot: axis.slot].central
            applied = apply == .set ? " (sets \(input.targetText))"
                : " (\(apply.effect == .factor ? "a factor on" : "added to") \(base.map { "\(input.targetText), \($0)" } ?? "the whole path \(input.targetText)"))"
        } else {
            (apply, base, applied) = target.isPath ? (.factor, nil, " (a factor on the whole path)") : (.set, nil, "")
        }
        for value in axis.values {
            let reach = Scenario.reach(of: Support(lower: value, upper: value, attainsBounds: true), apply: apply, on: base, within: range)
            guard !reach.fits else { continue }
            throw StudyError(.sweepAxis, "\(axis.name) = \(value)\(applied): \(range.requirement); "
                                    + "\(axis.name) must lie in \(reach.allowed)")
        }
    }

    /// A market's pinned shares count as drawn ones: with the shares still drawn they must leave the
    /// fixed shares ≥ 0 and something to rescale, as the loader requires of drawn shares alone.
    static func checkShares(axes: [Axis], setup: ModelSetup, mapping: InputMapping) throws(StudyError) {
        let scenario = setup.scenario, pinned = Set(axes.map(\.slot))
        for m in scenario.markets.indices {
            var highest: [Int: Double] = [:], names: [String] = []
            for axis in axes {
                guard case .fuel(m, let f, .share) = axis.target else { continue }
                highest[f] = axis.values.map { slotValue(axis, $0, mapping: mapping) }.max()
                names.append("'\(axis.name)' (swept)")
            }
            guard !highest.isEmpty else { continue }
            for (d, input) in mapping.inputs.enumerated() where !pinned.contains(mapping.slot(input: d)) {
                guard case .fuel(m, let f, .share) = input.target else { continue }
                highest[f, default: 0] += scenario.highestDraw(of: input)
                names.append("'\(input.name)'")
            }
            if let problem = scenario.shareProblem(market: m, highest: highest) {
                throw StudyError(.sweepAxis, "\(names.joined(separator: ", ")) vary shares of '\(scenario.markets[m].name)' \(problem)")
            }
        }
    }

    /// The slot value a grid value of `axis` pins.
    static func slotValue(_ axis: Axis, _ value: Double, mapping: InputMapping) -> Double {
        axis.input.map { mapping.slotValue(input: $0, drawn: value) } ?? value
    }

    /// The slot values that pin grid point `point`.
    public func pins(point: Int) -> [SlotIndex: Double] {
        Dictionary(uniqueKeysWithValues: axes.enumerated().map { a, axis in (axis.slot, Self.slotValue(axis, points[point][a], mapping: mapping)) })
    }
}

extension SweepGrid {
    /// Runs the study of every grid point in order on one set of workers (`MonteCarloStudy.WorkerPool`)
    /// and hands each point's study and state to `body`. The studies of the next few points are made
    /// side by side, `settings.threads` at a time (each runs its pilot chunk), and only they are held,
    /// so memory does not grow with the number of points.
    /// `afterRound` sees the point and its samples done so far.
    public func run(setup: ModelSetup, settings: StudySettings, afterRound: (_ point: Int, _ samples: Int) -> Void = { _, _ in },
                    body: (_ point: Int, MonteCarloStudy, StudyState) throws -> Void) throws {
        let pool = MonteCarloStudy.WorkerPool()
        // Point 0's study is the first point's and lends every other point what pinned values do not
        // change, and the evaluators that pilot the points; the memory limit is read once.
        let template = try MonteCarloStudy(setup: setup, settings: settings, pins: pins(point: 0))
        let pilots = (0..<min(settings.threads, points.count)).map { _ in template.pilotEvaluator() }
        let available = usableMemoryBytes()
        let batchSize = pilots.count * 4
        var start = 0
        while start < points.count {
            let batch = start..<min(start + batchSize, points.count)
            for (p, study) in zip(batch, try studies(batch, template: template, pilots: pilots, available: available)) {
                let state = try study.run(chunks: 0..<study.plan.chunkCount, pool: pool) { completed, _ in
                    afterRound(p, study.samples(beforeChunk: completed.upperBound))
                }
                try body(p, study, state)
            }
            start = batch.upperBound
        }
    }

    /// The studies of grid points `points` (see `MonteCarloStudy.pinned`), made on as many threads as
    /// `pilots`, each piloting on its own; the first error by point.
    func studies(_ points: Range<Int>, template: MonteCarloStudy, pilots: [ChunkEvaluator], available: Int?) throws -> [MonteCarloStudy] {
        let grid = self
        let made = runChunks(points, threads: min(pilots.count, points.count), roundSize: points.count,
                             makeWorker: { w in (pilot: pilots[w], made: [Int: Result<MonteCarloStudy, any Error>]()) },
                             body: { worker, p in
                                 worker.made[p] = Result { p == 0 ? template : try template.pinned(grid.pins(point: p), pilot: worker.pilot, available: available) }
                             },
                             afterRound: { _, _ in })
        let results = made.reduce(into: [:]) { all, some in all.merge(some.made) { first, _ in first } }
        return try points.map { p in
            guard let result = results[p] else { preconditionFailure("grid point \(p) was not made") }
            return try result.get()
        }
    }
}
