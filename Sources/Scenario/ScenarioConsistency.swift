import Distributions
import GrowthCurves

extension Scenario {
    /// Cross-field rules that single fields cannot check.
    func checkConsistency(file: String) throws {
        func fail(_ path: String, _ line: Int?, _ message: String) -> InputError {
            InputError(file: file, keyPath: path, line: line, message: message)
        }
        var seen: Set<String> = []
        for (m, market) in markets.enumerated() where !seen.insert(market.name).inserted {
            throw fail("markets[\(m)].name", nil, "market '\(market.name)' is defined twice")
        }
        for (m, market) in markets.enumerated() {
            try checkSegments(market, path: "markets[\(m)].segments", fail: fail)
        }

        var names: [String: Int] = [:]
        var targets: [InputTarget: String] = [:]
        for (i, input) in uncertain.enumerated() {
            let path = "uncertain[\(i)]"
            if names[input.name] != nil { throw fail("\(path).name", input.line, "input '\(input.name)' is declared twice") }
            // `sweep --grid NAME` takes an input's name before a quantity's path: the two must differ.
            if case .success = InputTarget.parse(input.name, in: self) {
                throw fail("\(path).name", input.line, "'\(input.name)' is the path of a model quantity (what sweep --grid and --list name); give the input another name")
            }
            names[input.name] = i
            if let other = targets[input.target] {
                throw fail("\(path).target", input.line, "'\(input.targetText)' is already the target of '\(other)'")
            }
            targets[input.target] = input.name
        }
        try checkObservedFigures(fail: fail)
        var pairs: Set<[String]> = []
        for (i, pair) in correlations.enumerated() {
            let path = "correlations[\(i)]"
            for name in [pair.first, pair.second] where names[name] == nil {
                throw fail("\(path).between", pair.line, "'\(name)' is not an uncertain input; declared: \(uncertain.map(\.name).joined(separator: ", "))")
            }
            if pair.first == pair.second { throw fail("\(path).between", pair.line, "an input cannot be correlated with itself") }
            guard pairs.insert([pair.first, pair.second].sorted()).inserted else {
                throw fail("\(path).between", pair.line, "the pair \(pair.first), \(pair.second) is given twice")
            }
        }
        try checkCorrelationMatrix(file: file)
        try checkInputRanges(file: file)
    }

    /// The rank correlations as a matrix over the uncertain inputs, in their order, unit diagonal.
    public var rankCorrelationMatrix: [[Double]] {
        var matrix = uncertain.indices.map { i in uncertain.indices.map { $0 == i ? 1.0 : 0 } }
        let index = Dictionary(uncertain.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        for pair in correlations {
            guard let a = index[pair.first], let b = index[pair.second] else { continue }
            matrix[a][b] = pair.rho
            matrix[b][a] = pair.rho
        }
        return matrix
    }

    /// The Gaussian copula needs a positive definite matrix; found here, `validate` reports it with its place.
    private func checkCorrelationMatrix(file: String) throws {
        guard !correlations.isEmpty else { return }
        let matrix = rankCorrelationMatrix
        func factors(_ size: Int) -> Bool {
            (try? GaussianCopula(rankCorrelation: matrix.prefix(size).map { Array($0.prefix(size)) })) != nil
        }
        guard !factors(matrix.count) else { return }
        // The smallest leading block that fails is positive definite without its last input, so the
        // contradiction lies among the pairs linked to that input within the block.
        let size = (1...matrix.count).first { !factors($0) } ?? matrix.count
        let inBlock = Set(uncertain.prefix(size).map(\.name))
        let pairs = correlations.filter { inBlock.contains($0.first) && inBlock.contains($0.second) }
        var linked: Set = [uncertain[size - 1].name]
        while let next = pairs.first(where: { linked.contains($0.first) != linked.contains($0.second) }) {
            linked.formUnion([next.first, next.second])
        }
        let involved = pairs.filter { linked.contains($0.first) }
        throw InputError(file: file, keyPath: "correlations", line: involved.first?.line,
                         message: "the rank correlations "
                             + involved.map { "\($0.first)–\($0.second) \($0.rho)" }.joined(separator: ", ")
                             + " contradict each other: the correlation matrix is not positive definite (after "
                             + "conversion to Pearson correlation 2 sin(π ρ / 6)); weaken one of them")
    }

    /// No uncertain input may move a figure the file marks `observed: true`.
    private func checkObservedFigures(fail: (String, Int?, String) -> InputError) throws {
        for figure in observedFigures {
            for (i, input) in uncertain.enumerated() where input.moves(figure.path, year: figure.anchor.year, baseYear: baseYear) {
                throw fail("uncertain[\(i)].target", input.line,
                           "input '\(input.name)' (\(input.targetText)) would change \(figure.description), which is marked observed: "
                           + "an observed figure stays as measured in every sample; let the input act after it (apply: ramp_factor or ramp_shift with from: \(figure.anchor.year) or later) or drop 'observed'")
            }
        }
    }

    /// The figures the file marks `observed: true`, with the paths they lie on.
    private var observedFigures: [(path: ObservedPath, description: String, anchor: Anchor)] {
        var figures: [(path: ObservedPath, name: String, anchor: Anchor)] = gridIntensity.map { (.grid, "grid", $0) }
        for (m, market) in markets.enumerated() {
            for (path, anchors) in [(InputTarget.Path.sales, market.sales.anchors), (.value, market.value), (.cop, market.cop)] {
                figures += anchors.map { (.market(m, path), "\(market.name).\(path.rawValue)", $0) }
            }
        }
        return figures.filter(\.anchor.observed).map { figure in
            (figure.path, "\(figure.name)@\(figure.anchor.year)" + (figure.anchor.value.line.map { " (line \($0))" } ?? ""), figure.anchor)
        }
    }

    /// The first observed figure that `target`, changed in every year, would move ("heating.sales@2022
    /// (line 38)"); nil when it moves none. For what pins a quantity outright, as a sweep's axis does.
    public func observedFigure(movedBy target: InputTarget) -> String? {
        observedFigures.first { target.moves($0.path, year: $0.anchor.year, baseYear: baseYear, spared: false) }?.description
    }

    /// Segment shares must add up to 1 in every year, as interpolated.
    private func checkSegments(_ market: Market, path: String, fail: (String, Int?, String) -> InputError) throws {
        guard !market.segments.isEmpty else { return }
        var names: Set<String> = []
        for segment in market.segments where !names.insert(segment.name).inserted || segment.name == "all" {
            throw fail(path, nil, "segment name '\(segment.name)' is reserved or repeated")
        }
        for (label, shares) in [("value_share", market.segments.map(\.valueShare)), ("reduction_share", market.segments.map(\.reductionShare))] {
            for year in years {
                let sum = shares.reduce(0) { $0 + interpolateLinear($1, at: year) }
                if abs(sum - 1) > 1e-6 {
                    // At the first segment's shares: the sum is the segments' together.
                    throw fail(path, shares.lazy.compactMap { $0.first?.value.line }.first,
                               "the segments' \(label) sums to \(sum) in \(year); it must be 1 (± 1e-6) in every year")
                }
            }
        }
    }
}

/// Linear interpolation through anchors, constant beyond the first and last.
public func interpolateLinear(_ anchors: [Anchor], at year: Int) -> Double {
    let path = try? PiecewiseLinearPath(anchors: anchors.map { (x: Double($0.year), y: $0.value.value) })
    return path?.value(at: Double(year)) ?? .nan
}

/// A path that may carry observed anchors.
enum ObservedPath: Equatable {
    case grid
    case market(Int, InputTarget.Path)
}

extension UncertainInput {
    /// Whether this input can move `path` in `year`; a ramp leaves every year up to its `from` alone.
    func moves(_ path: ObservedPath, year: Int, baseYear: Int) -> Bool {
        target.moves(path, year: year, baseYear: baseYear, spared: ramp.map { year <= $0.from } ?? false)
    }
}

extension InputTarget {
    /// Whether changing this quantity moves `path` in `year` (a path's change not there when
    /// `spared`). A fitted curve keeps its base-year value; a market's value is its sales times its
    /// price, so what moves sales moves value too.
    func moves(_ path: ObservedPath, year: Int, baseYear: Int, spared: Bool) -> Bool {
        func reaches(_ m: Int, _ p: InputTarget.Path) -> Bool {
            path == .market(m, p) || (p == .sales && path == .market(m, .value))
        }
        switch self {
        case .gridPath: return path == .grid && !spared
        case .gridAnchor(let anchorYear): return path == .grid && anchorYear == year
        case .path(let m, let p): return reaches(m, p) && !spared
        case .anchor(let m, let p, let anchorYear): return reaches(m, p) && anchorYear == year
        case .curveParameter(let m, _): return reaches(m, .sales) && year != baseYear
        case .lifetimeMean, .weibullShape, .backcastGrowth, .heatParameter, .fuel: return false
        }
    }
}
