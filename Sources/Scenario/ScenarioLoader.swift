import Distributions
import Foundation

extension Scenario {
    /// Largest scenario file accepted; real ones are a few kilobytes.
    public static let maximumFileSize = 4 << 20

    /// Loads and validates a scenario file. Every problem is an `InputError` naming the file,
    /// the key path and what is allowed.
    public static func load(contentsOf path: String) throws -> Scenario {
        try parse(text: readTextFile(path), file: path)
    }

    /// Parses scenario YAML text; `file` names it in errors.
    public static func parse(text: String, file: String) throws -> Scenario {
        let root = try parseYAML(text, file: file)
        let scenario = try ScenarioParser(file: file).scenario(root)
        try scenario.checkConsistency(file: file)
        return scenario
    }
}

/// Reads a UTF-8 text file within the size limit, rejecting binary content. Opened without blocking
/// (a pipe with no writer would wait) and checked to be a regular file; no FileManager attributes,
/// whose owner names cost a password and group database lookup in every command's start-up.
public func readTextFile(_ path: String, maximumSize: Int = Scenario.maximumFileSize) throws -> String {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { throw InputError(file: path, message: "cannot read the file (\(String(cString: strerror(errno))))") }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw InputError(file: path, message: "cannot read the file (\(String(cString: strerror(errno))))") }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: throw InputError(file: path, message: "is a directory; give a file")
    default: throw InputError(file: path, message: "is not a regular file (a device, pipe or socket); give a file")
    }
    guard status.st_size <= maximumSize else {
        throw InputError(file: path, message: "the file is \(status.st_size) bytes; at most \(maximumSize) are accepted")
    }
    // Room for what fstat says and one byte more, grown while the reads fill it (a file that grew,
    // or one of /proc that says 0), up to one byte past the limit.
    var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
    var count = 0
    while true {
        if count == bytes.count {
            guard bytes.count <= maximumSize else { break }
            bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, maximumSize + 1 - bytes.count)))
        }
        let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
        if got == 0 { break }
        if got < 0 {
            if errno == EINTR { continue }
            throw InputError(file: path, message: "cannot read the file (\(String(cString: strerror(errno))))")
        }
        count += got
    }
    guard count <= maximumSize else { throw InputError(file: path, message: "the file is over \(maximumSize) bytes; at most \(maximumSize) are accepted") }
    let data = bytes[..<count]
    guard !data.contains(0), let text = String(validating: data, as: UTF8.self) else {
        // Where: one stray byte (a Latin-1 letter in a source text) is found faster by its line.
        let offset = firstNonText(data)
        // The bytes before it are text, whose lines are counted as the YAML reader counts them.
        let line = yamlLineStarts(Array(String(decoding: data[..<offset], as: UTF8.self).unicodeScalars)).count
        throw InputError(file: path, line: line, message: "not UTF-8 text (a binary file?): byte \(offset + 1) of the file is \(String(format: "0x%02X", data[offset]))"
                             + (data[offset] == 0 ? ", a NUL" : ", not part of a UTF-8 character (save the file as UTF-8)"))
    }
    return text
}

/// Where each line of `scalars` starts, with YAML's line breaks (CR LF, CR, LF, NEL, LS, PS), as the
/// reader numbers lines; a byte-order mark before the first line is not in its columns.
package func yamlLineStarts(_ scalars: [Unicode.Scalar]) -> [Int] {
    var starts = [scalars.first == "\u{FEFF}" ? 1 : 0], i = 0
    while i < scalars.count {
        switch scalars[i] {
        case "\r":
            if i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
            starts.append(i + 1)
        case "\n", "\u{85}", "\u{2028}", "\u{2029}":
            starts.append(i + 1)
        default: break
        }
        i += 1
    }
    return starts
}

/// The offset of the first NUL or byte that breaks UTF-8 in `bytes` (which has one).
private func firstNonText(_ bytes: ArraySlice<UInt8>) -> Int {
    var iterator = bytes.makeIterator(), parser = Unicode.UTF8.ForwardParser(), offset = bytes.startIndex
    while true {
        switch parser.parseScalar(from: &iterator) {
        case .valid(let scalar):
            if scalar.count == 1 && scalar.first == 0 { return offset - bytes.startIndex }
            offset += scalar.count
        case .error:
            return offset - bytes.startIndex
        case .emptyInput:
            // Not reached: `bytes` holds such a byte.
            return max(0, bytes.count - 1)
        }
    }
}

/// Turns YAML nodes into scenario values, one function per section.
private struct ScenarioParser {
    let file: String

    func scenario(_ root: YAMLNode) throws -> Scenario {
        let map = try root.mapping()
        let name = try identifier(map.required("name"), "a scenario name")
        let description = try map.optional("description")?.string() ?? ""
        let possible = Scenario.possibleBaseYears
        let base = try map.required("base_year").integer("a year from \(possible.lowerBound) to \(possible.upperBound)") { possible.contains($0) }
        let horizonNode = try map.required("horizon")
        let horizon = try horizonNode.integer("a year after base_year \(base), at most \(Scenario.maximumSpan) years later") {
            $0 > base && $0 - base <= Scenario.maximumSpan
        }
        let years = base...horizon

        let grid = try map.required("grid").mapping()
        let gridIntensity = try anchors(grid.required("intensity"), years: years, minimum: 1, range: .gridIntensity)
        try grid.finish()

        let lifetime = try map.required("lifetime").mapping()
        let mean = try sourced(lifetime.required("mean"), range: .lifetimeMean)
        let shape = try sourced(lifetime.required("weibull_shape"), range: .weibullShape)
        try lifetime.finish()

        let backcast = try map.required("backcast").mapping()
        let growth = try sourced(backcast.required("growth"), range: .backcastGrowth)
        let backYears = try backcast.required("years").integer("0 to 200") { (0...200).contains($0) }
        try backcast.finish()

        let marketNodes = try map.required("markets").sequence()
        guard !marketNodes.isEmpty else { throw map.error("'markets' needs at least one market") }
        let markets = try marketNodes.map { try market($0, years: years) }

        var scenario = Scenario(name: name, description: description, baseYear: base, horizon: horizon,
                                gridIntensity: gridIntensity, lifetimeMean: mean, weibullShape: shape,
                                backcastGrowth: growth, backcastYears: backYears, markets: markets,
                                uncertain: [], correlations: [], validation: nil)
        // Targets name markets and anchors, so they resolve against what was read above.
        scenario.uncertain = try map.optional("uncertain")?.sequence().map { try uncertainInput($0, in: scenario) } ?? []
        scenario.correlations = try map.optional("correlations")?.sequence().map(correlation) ?? []
        scenario.validation = try map.optional("validation").map(validationSpec)
        try map.finish()
        return scenario
    }

    /// Names that end up in CSV cells: a letter first keeps a spreadsheet from reading a cell as a
    /// formula (`=`, `+`, `-`, `@`), and no commas, quotes, dots or control characters follow.
    func identifier(_ node: YAMLNode, _ what: String) throws -> String {
        let name = try node.string()
        guard Scenario.isName(name, first: \.isLetter, rest: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw node.error("'\(name.prefix(40))': \(what) is letters, digits, '_' and '-', starting with a letter, at most \(Scenario.maximumNameLength) characters")
        }
        return name
    }

    func provenance(_ node: YAMLNode) throws -> Provenance {
        let text = try node.string()
        let kinds = Provenance.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        let head = text.split(separator: ":", maxSplits: 1).first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let kind = Provenance.Kind(rawValue: head) else {
            throw node.error("source must start with one of \(kinds) (e.g. 'assumption: …'), found '\(text.prefix(40))'")
        }
        let note = text.dropFirst(head.count).drop { $0 == ":" || $0 == " " }
        return Provenance(kind: kind, note: String(note))
    }

    /// `{value: x, source: "kind: note"}`.
    func sourced(_ node: YAMLNode, range: ValidRange) throws -> SourcedValue {
        let map = try node.mapping()
        let valueNode = try map.required("value")
        let value = try valueNode.double(in: range)
        let source = try provenance(map.required("source"))
        try map.finish()
        return SourcedValue(value: value, source: source, line: valueNode.line, column: valueNode.column)
    }

    /// A list of `{year, value, source}` with years strictly increasing inside the horizon.
    func anchors(_ node: YAMLNode, years: ClosedRange<Int>, minimum: Int, range: ValidRange) throws -> [Anchor] {
        let items = try node.sequence()
        guard items.count >= minimum else {
            throw node.error("needs at least \(minimum) anchor\(minimum == 1 ? "" : "s"), found \(items.count)")
        }
        var result: [Anchor] = []
        for item in items {
            let map = try item.mapping()
            let yearNode = try map.required("year")
            let year = try yearNode.integer("a year from \(years.lowerBound) to \(years.upperBound)") { years.contains($0) }
            if let last = result.last, year <= last.year {
                throw yearNode.error("years must increase: \(year) follows \(last.year)")
            }
            let valueNode = try map.required("value")
            let value = try valueNode.double(in: range)
            let source = try provenance(map.required("source"))
            let observed = try map.optional("observed")?.bool() ?? false
            try map.finish()
            result.append(Anchor(year: year, value: SourcedValue(value: value, source: source, line: valueNode.line, column: valueNode.column), observed: observed))
        }
        return result
    }

    func market(_ node: YAMLNode, years: ClosedRange<Int>) throws -> Market {
        let map = try node.mapping()
        let nameNode = try map.required("name")
        let name = try nameNode.string()
        guard Scenario.isName(name, first: \.isLowercase, rest: { $0.isLowercase || $0.isNumber || $0 == "_" }), name != "total" else {
            throw nameNode.error("a market name is lowercase letters, digits and '_', starting with a letter, at most \(Scenario.maximumNameLength) characters, and not 'total'")
        }

        let salesMap = try map.required("sales").mapping()
        let modelNode = try salesMap.required("model")
        let modelText = try modelNode.string()
        guard let model = SalesModel(rawValue: modelText) else {
            throw modelNode.error("unknown growth model '\(modelText)'; allowed: \(SalesModel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let needed = ["logistic": 3, "richards": 4, "cagr": 2][model.rawValue]!
        let salesAnchors = try anchors(salesMap.required("anchors"), years: years, minimum: needed, range: .sales)
        try salesMap.finish()

        let value = try anchors(map.required("value"), years: years, minimum: 1, range: .marketValue)
        for anchor in value where !salesAnchors.contains(where: { $0.year == anchor.year }) {
            throw map.error("value anchor year \(anchor.year) has no sales anchor in the same year (the unit price comes from value / sales)")
        }

        let heatMap = try map.required("heat_per_unit").mapping()
        let heat = HeatPerUnit(h0: try calibrated(heatMap.required("h0"), range: .heatPerUnit),
                               hInfinity: try calibrated(heatMap.required("h_inf"), range: .heatPerUnit),
                               tau: try calibrated(heatMap.required("tau"), range: .timeConstant))
        try heatMap.finish()

        let cop = try anchors(map.required("cop"), years: years, minimum: 1, range: .cop)
        let displaced = try map.required("displaced").sequence().map(displacedSource)
        guard !displaced.isEmpty else { throw map.error("'displaced' needs at least one heat source") }
        let shareSum = displaced.reduce(0) { $0 + $1.share.value }
        if abs(shareSum - 1) > 1e-6 {
            throw InputError(file: file, keyPath: "\(map.path).displaced", line: map.line,
                             message: "shares sum to \(shareSum); they must sum to 1 (± 1e-6)")
        }
        if Set(displaced.map(\.fuel)).count != displaced.count {
            throw InputError(file: file, keyPath: "\(map.path).displaced", line: map.line, message: "a fuel is listed twice")
        }
        let segments = try map.optional("segments")?.sequence().map { try segment($0, years: years) } ?? []
        try map.finish()
        return Market(name: name, sales: SalesSpec(model: model, anchors: salesAnchors), value: value,
                      heatPerUnit: heat, cop: cop, displaced: displaced, segments: segments)
    }

    func calibrated(_ node: YAMLNode, range: ValidRange) throws -> CalibratedParameter {
        let map = try node.mapping()
        let valueNode = try map.required("value")
        let value = try valueNode.double(in: range)
        let source = try provenance(map.required("source"))
        let free = try map.optional("free")?.bool() ?? false
        var lower = -Double.infinity, upper = Double.infinity
        if let boundsNode = map.optional("bounds") {
            let bounds = try boundsNode.sequence()
            guard bounds.count == 2 else { throw boundsNode.error("bounds are [lower, upper]") }
            lower = try bounds[0].double(in: range)
            upper = try bounds[1].double("greater than the lower bound \(lower)") { $0 > lower }
            guard (lower...upper).contains(value) else {
                throw valueNode.error("\(value) lies outside its bounds [\(lower), \(upper)]")
            }
        } else if free {
            throw map.error("a free parameter needs bounds: [lower, upper]")
        }
        try map.finish()
        return CalibratedParameter(value: SourcedValue(value: value, source: source, line: valueNode.line, column: valueNode.column),
                                   free: free, lower: lower, upper: upper)
    }

    func displacedSource(_ node: YAMLNode) throws -> DisplacedSource {
        let map = try node.mapping()
        let fuel = try identifier(map.required("fuel"), "a fuel name")
        let share = try sourced(map.required("share"), range: .share)
        let grid = try map.optional("grid")?.bool() ?? false
        let factor: SourcedValue?
        if grid {
            factor = nil
            if map.has("emission_factor") {
                throw map.error("a source that draws on the grid (grid: true) takes the grid's intensity, not an emission_factor")
            }
        } else {
            factor = try sourced(map.required("emission_factor"), range: .emissionFactor)
        }
        let efficiency = try sourced(map.required("efficiency"), range: .efficiency)
        try map.finish()
        return DisplacedSource(fuel: fuel, share: share, emissionFactor: factor, efficiency: efficiency)
    }

    func segment(_ node: YAMLNode, years: ClosedRange<Int>) throws -> Segment {
        let map = try node.mapping()
        let name = try identifier(map.required("name"), "a segment name")
        let value = try anchors(map.required("value_share"), years: years, minimum: 1, range: .segmentShare)
        let reduction = try anchors(map.required("reduction_share"), years: years, minimum: 1, range: .segmentShare)
        try map.finish()
        return Segment(name: name, valueShare: value, reductionShare: reduction)
    }

    func uncertainInput(_ node: YAMLNode, in scenario: Scenario) throws -> UncertainInput {
        let map = try node.mapping()
        let name = try map.required("name").string()
        guard UncertainInput.isValidName(name) else {
            throw map.error("an input name is \(UncertainInput.nameRule)")
        }
        let targetNode = try map.required("target")
        let targetText = try targetNode.string()
        let target: InputTarget
        switch InputTarget.parse(targetText, in: scenario) {
        case .success(let value): target = value
        case .failure(let problem): throw targetNode.error("unknown target '\(targetText)': \(problem.reason)")
        }
        let applyNode = map.optional("apply")
        let apply: UncertainInput.Apply
        if let applyNode {
            let text = try applyNode.string()
            guard let value = UncertainInput.Apply(rawValue: text) else {
                throw applyNode.error("apply is set, factor, shift, ramp_factor or ramp_shift, not '\(text)'")
            }
            apply = value
        } else {
            apply = target.isPath ? .factor : .set
        }
        if target.isPath && !(apply == .factor || apply.isRamp) {
            throw (applyNode ?? targetNode).error("'\(targetText)' is a whole path: only apply: factor, ramp_factor or ramp_shift can act on it")
        }
        if apply.isRamp && !target.isPath {
            throw (applyNode ?? targetNode).error("\(apply.rawValue) grows along a whole path; '\(targetText)' is a single value (use set, factor or shift)")
        }
        let ramp = apply.isRamp ? try self.ramp(map, years: scenario.years) : nil
        if !apply.isRamp, let node = ["from", "to"].first(where: map.has).flatMap(map.optional) {
            throw node.error("'from' and 'to' belong to apply: ramp_factor or ramp_shift")
        }
        let distribution = try self.distribution(map.required("distribution"))
        let source = try provenance(map.required("source"))
        try map.finish()
        return UncertainInput(name: name, targetText: targetText, target: target, apply: apply, ramp: ramp,
                              distribution: distribution, source: source, line: map.line)
    }

    /// A ramp's `from` and `to` years, base year and horizon by default.
    func ramp(_ map: MappingReader, years: ClosedRange<Int>) throws -> Ramp {
        let within = "a year from \(years.lowerBound) to \(years.upperBound)"
        let from = try map.optional("from")?.integer(within) { years.contains($0) } ?? years.lowerBound
        let toNode = map.optional("to")
        let to = try toNode?.integer("a year after 'from' (\(from)), at most \(years.upperBound)") { $0 > from && $0 <= years.upperBound }
            ?? years.upperBound
        if to <= from { throw map.error("a ramp needs 'from' (\(from)) before 'to' (\(to))") }
        return Ramp(from: from, to: to)
    }

    /// `{type: triangular, min: …, mode: …, max: …}` and likewise for the other families.
    func distribution(_ node: YAMLNode) throws -> Distribution {
        let map = try node.mapping()
        let typeNode = try map.required("type")
        let type = try typeNode.string()
        func number(_ key: String) throws -> Double { try map.required(key).double() }
        func bound(_ key: String, _ fallback: Double) throws -> Double {
            guard let node = map.optional(key) else { return fallback }
            let text = try node.string().lowercased()
            if text == "inf" || text == "+inf" || text == ".inf" { return .infinity }
            if text == "-inf" || text == "-.inf" { return -.infinity }
            return try node.double()
        }
        let result: Distribution
        switch type {
        case "uniform": result = .uniform(min: try number("min"), max: try number("max"))
        case "triangular": result = .triangular(min: try number("min"), mode: try number("mode"), max: try number("max"))
        case "pert": result = .pert(min: try number("min"), mode: try number("mode"), max: try number("max"))
        case "normal": result = .normal(mean: try number("mean"), sd: try number("sd"))
        case "truncated_normal":
            result = .truncatedNormal(mean: try number("mean"), sd: try number("sd"),
                                      lower: try bound("lower", -.infinity), upper: try bound("upper", .infinity))
        case "lognormal": result = .lognormal(mu: try number("mu"), sigma: try number("sigma"))
        case "discrete":
            let values = try map.required("values").sequence().map { try $0.double() }
            let weights = try map.required("weights").sequence().map { try $0.double() }
            result = .discrete(values: values, weights: weights)
        default:
            throw typeNode.error("unknown distribution '\(type)'; allowed: uniform, triangular, pert, normal, truncated_normal, lognormal, discrete")
        }
        try map.finish()
        do {
            try result.validate()
        } catch {
            throw map.error("invalid \(type) distribution: \(error)")
        }
        return result
    }

    func correlation(_ node: YAMLNode) throws -> RankCorrelation {
        let map = try node.mapping()
        let between = try map.required("between").sequence()
        guard between.count == 2 else { throw map.error("'between' names exactly two inputs") }
        // ±1 would make two inputs one: the copula needs a positive definite matrix.
        let rho = try map.required("rank").double("a rank correlation strictly between -1 and 1") { $0 > -1 && $0 < 1 }
        try map.finish()
        return RankCorrelation(first: try between[0].string(), second: try between[1].string(), rho: rho, line: map.line)
    }

    func validationSpec(_ node: YAMLNode) throws -> ValidationSpec {
        let map = try node.mapping()
        let referencesNode = try map.required("references")
        let references = try referencesNode.string()
        guard !references.trimmingCharacters(in: .whitespaces).isEmpty else { throw referencesNode.error("is empty; give the reference figures' CSV file, relative to this file") }
        let labels = try map.required("scenario_labels").sequence().map { try $0.string() }
        let rules = try map.optional("tolerances")?.sequence().map(toleranceRule) ?? []
        let calibrationNode = map.optional("calibration_metric")
        let calibration = try calibrationNode?.string()
        try map.finish()
        return ValidationSpec(referencesFile: references, scenarioLabels: labels, tolerances: rules, calibrationMetric: calibration,
                              referencesLine: referencesNode.line, line: node.line, calibrationMetricLine: calibrationNode?.line)
    }

    func toleranceRule(_ node: YAMLNode) throws -> ToleranceRule {
        let map = try node.mapping()
        let rule = ToleranceRule(
            metric: try map.optional("metric")?.string(),
            market: try map.optional("market")?.string(),
            segment: try map.optional("segment")?.string(),
            year: try map.optional("year")?.integer("a year"),
            tolerance: try map.required("tolerance").double("a relative tolerance from 0 to 10") { (0...10).contains($0) },
            why: try map.required("why").string(),
            declaredDeviation: try map.optional("declared_deviation")?.bool() ?? false)
        try map.finish()
        return rule
    }
}
