import Foundation
import ParallelRunner

/// The Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting in high-dimensional
/// data") as scenario discovery uses it (Bryant & Lempert 2010; EMA Workbench's `prim.py`): a box
/// of input ranges is peeled, a sliver at a time, towards the samples of interest ("cases"),
/// then pasted back outwards where that raises the density of cases in the box.
public struct PRIM: Sendable {
    /// How a peel or paste candidate is scored.
    public enum Objective: String, CaseIterable, Sendable {
        /// Gain in density per sample removed (or added): EMA Workbench's default, which favours
        /// peels that give up few samples.
        case lenient1
        /// Friedman & Fisher's: the density of the new box.
        case original
    }

    public struct Options: Sendable, Equatable {
        /// Fraction of the box's samples each peel removes.
        public var peelAlpha: Double
        /// Fraction of the box's samples each paste adds.
        public var pasteAlpha: Double
        /// Peeling stops before the box would hold fewer than this fraction of all samples.
        public var massMin: Double
        public var objective: Objective

        public init(peelAlpha: Double = 0.05, pasteAlpha: Double = 0.05, massMin: Double = 0.05, objective: Objective = .lenient1) {
            self.peelAlpha = peelAlpha
            self.pasteAlpha = pasteAlpha
            self.massMin = massMin
            self.objective = objective
        }

        /// Checks the options; the error names the option and its allowed range.
        public func validate() throws(PRIMError) {
            guard peelAlpha > 0, peelAlpha < 0.5 else { throw PRIMError(option: "--peel-alpha", message: "\(peelAlpha); give a fraction in (0, 0.5)") }
            guard pasteAlpha > 0, pasteAlpha < 1 else { throw PRIMError(option: "--paste-alpha", message: "\(pasteAlpha); give a fraction in (0, 1)") }
            guard massMin > 0, massMin < 1 else { throw PRIMError(option: "--mass-min", message: "\(massMin); give a fraction in (0, 1)") }
        }
    }

    /// Closed input ranges, one per input.
    public struct Box: Sendable, Equatable {
        public var lower: [Double]
        public var upper: [Double]

        public init(lower: [Double], upper: [Double]) {
            self.lower = lower
            self.upper = upper
        }

        func contains(_ columns: [[Double]], _ i: Int) -> Bool {
            for d in lower.indices {
                let x = columns[d][i]
                if x < lower[d] || x > upper[d] { return false }
            }
            return true
        }
    }

    public enum Phase: String, Sendable { case start, peel, paste }

    /// One box of the trajectory and how it scores.
    public struct Step: Sendable, Equatable {
        public var phase: Phase
        public var box: Box
        /// Samples in the box, and cases among them.
        public var samples: Int
        public var cases: Int
        /// Cases in the box / all cases.
        public var coverage: Double
        /// Cases in the box / samples in the box.
        public var density: Double
        /// Samples in the box / all samples.
        public var mass: Double
        /// Inputs whose range the box narrows, in input order.
        public var restricted: [Int]
    }

    /// Inputs by column (`columns[d][i]`, every value finite) and whether each sample is a case.
    public let columns: [[Double]]
    public let cases: [Bool]
    /// Samples are indexed by 32-bit integers in the sorted orders (half the memory of `Int`).
    public static let maximumSamples = Int(Int32.max)
    /// The box of all the data: each input's smallest and largest value.
    public let dataBox: Box
    let caseCount: Int

    public init(columns: [[Double]], cases: [Bool]) throws(PRIMError) {
        guard !columns.isEmpty else { throw PRIMError(option: "inputs", message: "no inputs to restrict") }
        guard cases.count <= Self.maximumSamples else {
            throw PRIMError(option: "samples", message: "\(cases.count) samples; at most \(Self.maximumSamples) (32-bit indices)")
        }
        guard columns.allSatisfy({ $0.count == cases.count }) else { throw PRIMError(option: "inputs", message: "columns of different lengths") }
        guard columns.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw PRIMError(option: "inputs", message: "an input value is not finite") }
        let caseCount = cases.count(where: { $0 })
        guard caseCount > 0, caseCount < cases.count else {
            throw PRIMError(option: "cases", message: "\(caseCount) of \(cases.count) samples meet the condition; PRIM needs some that do and some that do not")
        }
        self.columns = columns
        self.cases = cases
        self.caseCount = caseCount
        dataBox = Box(lower: columns.map { $0.min()! }, upper: columns.map { $0.max()! })
    }

    /// The whole trajectory: the data's box, every peel, then every paste of the last peeled box.
    /// The inputs' samples are sorted on up to `threads` threads, input by input: the same trajectory
    /// for any number.
    public func trajectory(_ options: Options, threads: Int = 1) -> [Step] {
        let n = cases.count, dimensions = columns.count
        var box = dataBox
        var inBox = [Bool](repeating: true, count: n)
        // Per input, the samples in the box sorted by that input (ties by index: deterministic).
        let columns = self.columns
        var sorted: [[Int32]] = parallelMap(0..<dimensions, threads: threads) { d in
            let column = columns[d]
            return (0..<Int32(n)).sorted { column[Int($0)] < column[Int($1)] || (column[Int($0)] == column[Int($1)] && $0 < $1) }
        }
        var count = n, caseTotal = caseCount
        var steps = [step(.start, box, count, caseTotal)]
        let minimumCount = options.massMin * Double(n)

        while true {
            // Every input's lower and upper peel; the first best wins, so the order decides ties.
            var best: (score: Double, d: Int, upper: Bool, bound: Double, removed: Int, removedCases: Int)?
            let depth = max(1, Int(options.peelAlpha * Double(count)))
            guard depth < count else { break }
            for d in 0..<dimensions {
                let column = columns[d], order = sorted[d]
                for upper in [false, true] {
                    // The new bound is the value `depth` samples in; ties with it stay in the box.
                    let bound = column[Int(order[upper ? count - 1 - depth : depth])]
                    var removed = 0, removedCases = 0
                    while removed < count {
                        let i = Int(order[upper ? count - 1 - removed : removed])
                        guard upper ? column[i] > bound : column[i] < bound else { break }
                        removed += 1
                        if cases[i] { removedCases += 1 }
                    }
                    guard removed > 0 else { continue }
                    let score = options.objective.score(oldCount: count, oldCases: caseTotal, newCount: count - removed, newCases: caseTotal - removedCases)
                    if best == nil || score > best!.score { best = (score, d, upper, bound, removed, removedCases) }
                }
            }
            guard let peel = best, Double(count - peel.removed) >= minimumCount else { break }
            let column = columns[peel.d]
            if peel.upper { box.upper[peel.d] = peel.bound } else { box.lower[peel.d] = peel.bound }
            for i in 0..<n where inBox[i] && (peel.upper ? column[i] > peel.bound : column[i] < peel.bound) { inBox[i] = false }
            count -= peel.removed
            caseTotal -= peel.removedCases
            for d in 0..<dimensions { sorted[d].removeAll { !inBox[Int($0)] } }
            steps.append(step(.peel, box, count, caseTotal))
        }

        while let paste = bestPaste(box: box, inBox: inBox, count: count, caseTotal: caseTotal, options: options) {
            box = paste.box
            for i in paste.added { inBox[i] = true }
            count += paste.added.count
            caseTotal += paste.addedCases
            steps.append(step(.paste, box, count, caseTotal))
        }
        return steps
    }

    /// The best paste of the box, if one raises its density: for each restricted side, the samples
    /// outside the box on that side alone, nearest first, about `pasteAlpha` of the box's count.
    func bestPaste(box: Box, inBox: [Bool], count: Int, caseTotal: Int, options: Options)
        -> (box: Box, added: [Int], addedCases: Int)? {
        let n = cases.count
        // The one input on which each sample lies outside the box (-1: inside or outside on several).
        var outsideOn = [Int](repeating: -1, count: n)
        for i in 0..<n where !inBox[i] {
            var only = -1
            for d in columns.indices where columns[d][i] < box.lower[d] || columns[d][i] > box.upper[d] {
                if only >= 0 { only = -1; break }
                only = d
            }
            outsideOn[i] = only
        }
        var slabs = [[Int]](repeating: [], count: columns.count)
        for i in 0..<n where outsideOn[i] >= 0 { slabs[outsideOn[i]].append(i) }
        let width = max(1, Int(options.pasteAlpha * Double(count)))
        var best: (score: Double, box: Box, added: [Int], addedCases: Int)?
        for d in columns.indices {
            let column = columns[d]
            for upper in [false, true] {
                guard upper ? box.upper[d] < dataBox.upper[d] : box.lower[d] > dataBox.lower[d] else { continue }
                let side = slabs[d].filter { upper ? column[$0] > box.upper[d] : column[$0] < box.lower[d] }
                    .sorted { upper ? (column[$0], $0) < (column[$1], $1) : (column[$0], $1) > (column[$1], $0) }
                guard !side.isEmpty else { continue }
                // The new bound is the value `width` samples out; ties with it come in too.
                let bound = column[side[min(width, side.count) - 1]]
                let added = side.prefix { upper ? column[$0] <= bound : column[$0] >= bound }
                let addedCases = added.count(where: { cases[$0] })
                let newCount = count + added.count, newCases = caseTotal + addedCases
                // Only a paste that raises the density is taken.
                guard Double(newCases) * Double(count) > Double(caseTotal) * Double(newCount) else { continue }
                let score = options.objective.score(oldCount: count, oldCases: caseTotal, newCount: newCount, newCases: newCases)
                if best == nil || score > best!.score {
                    var pasted = box
                    if upper { pasted.upper[d] = bound } else { pasted.lower[d] = bound }
                    best = (score, pasted, Array(added), addedCases)
                }
            }
        }
        return best.map { ($0.box, $0.added, $0.addedCases) }
    }

    func step(_ phase: Phase, _ box: Box, _ count: Int, _ caseTotal: Int) -> Step {
        Step(phase: phase, box: box, samples: count, cases: caseTotal,
             coverage: Double(caseTotal) / Double(caseCount), density: Double(caseTotal) / Double(count),
             mass: Double(count) / Double(cases.count), restricted: restricted(box))
    }

    /// Inputs on which `box` is narrower than the data.
    public func restricted(_ box: Box) -> [Int] {
        columns.indices.filter { box.lower[$0] > dataBox.lower[$0] || box.upper[$0] < dataBox.upper[$0] }
    }

    /// The step whose box reaches `threshold` density with the highest coverage, of equals the densest
    /// (a box another beats in density at the same coverage only adds samples that are not cases),
    /// of those the earliest; nil when none reaches the threshold.
    public static func select(_ steps: [Step], threshold: Double) -> Int? {
        var chosen: Int?
        for (s, step) in steps.enumerated() where step.density >= threshold {
            guard let best = chosen.map({ steps[$0] }) else { chosen = s; continue }
            if step.coverage > best.coverage || (step.coverage == best.coverage && step.density > best.density) { chosen = s }
        }
        return chosen
    }

    /// Per restricted input of `box`, the quasi-p-value of each side it restricts, as scenario
    /// discovery reports them (Bryant & Lempert 2010; EMA Workbench's `_calculate_quasi_p`): the
    /// chance that a box of as many samples, drawn from the box without that side's limit, holds at
    /// least as many cases (one-sided binomial test). Natural logarithms, since small ones underflow
    /// a double; nil for a side the box leaves at the data's extreme.
    public func logQuasiPValues(_ box: Box) -> [(input: Int, lower: Double?, upper: Double?)] {
        let (count, caseTotal) = counts(in: box)
        func logP(widening wider: Box) -> Double {
            let (widerCount, widerCases) = counts(in: wider)
            return logBinomialUpperTail(atLeast: caseTotal, trials: count, probability: Double(widerCases) / Double(widerCount))
        }
        return restricted(box).map { d in
            var withoutLower = box, withoutUpper = box
            withoutLower.lower[d] = dataBox.lower[d]
            withoutUpper.upper[d] = dataBox.upper[d]
            return (d, box.lower[d] > dataBox.lower[d] ? logP(widening: withoutLower) : nil,
                    box.upper[d] < dataBox.upper[d] ? logP(widening: withoutUpper) : nil)
        }
    }

    /// Samples in `box`, and cases among them.
    func counts(in box: Box) -> (samples: Int, cases: Int) {
        var count = 0, caseTotal = 0
        for i in cases.indices where box.contains(columns, i) {
            count += 1
            if cases[i] { caseTotal += 1 }
        }
        return (count, caseTotal)
    }
}

extension PRIM.Objective {
    func score(oldCount: Int, oldCases: Int, newCount: Int, newCases: Int) -> Double {
        let newDensity = Double(newCases) / Double(newCount)
        switch self {
        case .original: return newDensity
        case .lenient1: return (newDensity - Double(oldCases) / Double(oldCount)) / Double(abs(oldCount - newCount))
        }
    }
}

/// ln P(X ≥ k) for X binomial with `trials` and `probability`, summed in logarithms from k up until
/// the terms fall below 1e-20 of the largest past the mode.
public func logBinomialUpperTail(atLeast k: Int, trials n: Int, probability p: Double) -> Double {
    if k <= 0 || p >= 1 { return 0 }
    if k > n || p <= 0 { return -.infinity }
    func logFactorial(_ j: Int) -> Double {
        let x = Double(j) + 1
        return lgamma(x)
    }
    let logP = log(p), logQ = log1p(-p), logN = logFactorial(n)
    func logTerm(_ j: Int) -> Double { logN - logFactorial(j) - logFactorial(n - j) + Double(j) * logP + Double(n - j) * logQ }
    let mode = Int((Double(n + 1) * p).rounded(.down))
    var largest = logTerm(k), sum = 1.0
    var j = k + 1
    while j <= n {
        let term = logTerm(j)
        if term > largest {
            sum = sum * exp(largest - term) + 1
            largest = term
        } else {
            let relative = exp(term - largest)
            sum += relative
            if j > mode && relative < 1e-20 { break }
        }
        j += 1
    }
    return largest + log(sum)
}

public struct PRIMError: Error, CustomStringConvertible, Equatable {
    public var option: String
    public var message: String
    public init(option: String, message: String) {
        self.option = option
        self.message = message
    }
    public var description: String { "\(option): \(message)" }
}

extension PRIM {
    /// Bytes per sample PRIM holds besides the input columns it is given: one sorted index per input,
    /// a second while sorting, the case and in-box flags and the pasting's input per sample.
    public static func bytesPerSample(inputs: Int) -> Int { 8 * inputs + 2 + 8 }
}
