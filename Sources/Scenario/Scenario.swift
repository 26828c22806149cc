import Distributions

/// Where a number comes from. Every value in a scenario file carries one, so a reader can
/// tell the roadmap's figures from the modeller's assumptions.
public struct Provenance: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Printed in the roadmap.
        case roadmap
        /// Forced by printed figures (a difference, a share).
        case derived
        /// Not in the roadmap: a modelling assumption.
        case assumption
        /// Fitted by `hpmc calibrate`.
        case calibrated
        /// Published elsewhere (an official statistic).
        case external
    }
    public var kind: Kind
    public var note: String
}

/// A number with its provenance.
public struct SourcedValue: Sendable, Equatable {
    public var value: Double
    public var source: Provenance
    /// 1-based line and column (in characters) of the value in the scenario file, where calibration
    /// rewrites it.
    public var line: Int?
    public var column: Int? = nil

    /// Equal values of the same provenance on the same line: the column is left out, as a value
    /// calibration rewrites moves the columns after it on its line (`applyCalibration` compares so).
    public static func == (a: SourcedValue, b: SourcedValue) -> Bool {
        a.value == b.value && a.source == b.source && a.line == b.line
    }
}

/// A value at a year.
public struct Anchor: Sendable, Equatable {
    public var year: Int
    public var value: SourcedValue
    /// A measured figure (`observed: true`): no uncertain input may move the path there.
    public var observed: Bool = false
}

/// A parameter that `hpmc calibrate` may fit.
public struct CalibratedParameter: Sendable, Equatable {
    public var value: SourcedValue
    public var free: Bool
    public var lower: Double
    public var upper: Double
}

public enum SalesModel: String, Sendable, CaseIterable {
    case logistic, richards, cagr
}

/// Sales anchors and the growth curve drawn through them.
public struct SalesSpec: Sendable, Equatable {
    public var model: SalesModel
    public var anchors: [Anchor]
}

/// Average heat delivered per installed unit: h(t) = h∞ + (h0 − h∞)·exp(−(t − base)/τ), GJ/unit/yr.
public struct HeatPerUnit: Sendable, Equatable {
    public var h0: CalibratedParameter
    public var hInfinity: CalibratedParameter
    public var tau: CalibratedParameter

    public subscript(parameter: InputTarget.HeatParameter) -> CalibratedParameter {
        get {
            switch parameter {
            case .h0: h0
            case .hInfinity: hInfinity
            case .tau: tau
            }
        }
        set {
            switch parameter {
            case .h0: h0 = newValue
            case .hInfinity: hInfinity = newValue
            case .tau: tau = newValue
            }
        }
    }
}

/// One heat source that heat pumps replace.
public struct DisplacedSource: Sendable, Equatable {
    public var fuel: String
    public var share: SourcedValue
    /// kgCO2 per GJ of fuel; nil for sources that draw on the grid.
    public var emissionFactor: SourcedValue?
    public var efficiency: SourcedValue
    public var usesGrid: Bool { emissionFactor == nil }
}

/// A market segment's share of the market's value and reductions, interpolated linearly.
public struct Segment: Sendable, Equatable {
    public var name: String
    public var valueShare: [Anchor]
    public var reductionShare: [Anchor]
}

public struct Market: Sendable, Equatable {
    public var name: String
    public var sales: SalesSpec
    /// Market value anchors, 1e8 CNY/yr; the unit price is interpolated log-linearly between them.
    public var value: [Anchor]
    public var heatPerUnit: HeatPerUnit
    /// Seasonal COP, linear between anchors.
    public var cop: [Anchor]
    public var displaced: [DisplacedSource]
    public var segments: [Segment]
}

/// An uncertain input: a distribution and the scenario value it sets, scales or shifts.
public struct UncertainInput: Sendable, Equatable {
    /// An input's name heads a samples.csv column and sensitivity rows: a letter first (no cell can
    /// start a spreadsheet formula), no commas, quotes or control characters.
    public static func isValidName(_ name: String) -> Bool {
        Scenario.isName(name, first: \.isLetter, rest: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
    }

    public static let nameRule = "letters, digits, '_' and '.', starting with a letter, at most \(Scenario.maximumNameLength) characters"

    public enum Apply: String, Sendable, CaseIterable {
        /// The sample replaces the value.
        case set
        /// The value (or the whole path) is multiplied by the sample.
        case factor
        /// The sample is added to the value.
        case shift
        /// On a whole path: a factor that is 1 up to `ramp.from` and the sample from `ramp.to` on.
        case rampFactor = "ramp_factor"
        /// On a whole path: a shift that is 0 up to `ramp.from` and the sample from `ramp.to` on.
        case rampShift = "ramp_shift"

        public var isRamp: Bool { self == .rampFactor || self == .rampShift }

        /// What a draw does to its target at full strength: a ramp passes linearly from no effect
        /// to the factor or shift it grows into, so it reaches exactly what that one does.
        public enum Effect: Sendable { case set, factor, shift }

        public var effect: Effect {
            switch self {
            case .set: .set
            case .factor, .rampFactor: .factor
            case .shift, .rampShift: .shift
            }
        }
    }
    public var name: String
    /// The `target:` text as written.
    public var targetText: String
    public var target: InputTarget
    public var apply: Apply
    /// The years a ramp grows over (only with a ramp apply).
    public var ramp: Ramp?
    public var distribution: Distribution
    public var source: Provenance
    public var line: Int?
}

/// The years over which a ramped input grows from no effect to its drawn value.
public struct Ramp: Sendable, Equatable {
    public var from: Int
    public var to: Int

    /// The share of the drawn effect in `year`: 0 up to `from`, 1 from `to` on, linear between.
    public func weight(year: Int) -> Double {
        if year <= from { return 0 }
        if year >= to { return 1 }
        return Double(year - from) / Double(to - from)
    }
}

public struct RankCorrelation: Sendable, Equatable {
    public var first: String
    public var second: String
    public var rho: Double
    public var line: Int?
}

/// A validation tolerance for the reference figures it matches (first match wins).
public struct ToleranceRule: Sendable, Equatable {
    public var metric: String?
    public var market: String?
    public var segment: String?
    public var year: Int?
    /// Relative tolerance (0.03 = ±3 %).
    public var tolerance: Double
    /// Why this tolerance: required, so that a wide tolerance is always justified in the file.
    public var why: String
    /// A known gap the file declares and explains: reported as a deviation, never as a pass.
    public var declaredDeviation: Bool
}

public struct ValidationSpec: Sendable, Equatable {
    /// CSV of reference figures, relative to the scenario file.
    public var referencesFile: String
    /// The `scenario` labels of the reference file's rows that apply (e.g. CNS and base).
    public var scenarioLabels: [String]
    public var tolerances: [ToleranceRule]
    /// Metric whose `all`-segment rows of this scenario are the calibration targets.
    public var calibrationMetric: String?
    /// The line of `references`, for messages about the file it names.
    public var referencesLine: Int? = nil
    /// The lines of the section's first key and of `calibration_metric`, for messages about them.
    public var line: Int? = nil
    public var calibrationMetricLine: Int? = nil
}

/// A scenario file's content, checked: what `Scenario.load(contentsOf:)` returns and
/// `ModelSetup(scenario:)` compiles.
public struct Scenario: Sendable, Equatable {
    /// Names end up in CSV cells (every row of bands.csv), headers and file names: the cap keeps a
    /// mistyped or generated name from swelling each row or passing a file name's 255 bytes.
    public static let maximumNameLength = 64

    /// The base years a scenario may have; its horizon lies at most `maximumSpan` years later.
    public static let possibleBaseYears = 1900...2200
    public static let maximumSpan = 200
    /// Every year some scenario can project: what a saved output's year may be.
    public static let possibleYears = possibleBaseYears.lowerBound...(possibleBaseYears.upperBound + maximumSpan)

    /// Whether `name` is an ASCII character passing `first`, then at most `maximumNameLength - 1`
    /// passing `rest`. (Checked by hand: a regular expression's first use costs every command about 1 ms.)
    static func isName(_ name: String, first: (Character) -> Bool, rest: (Character) -> Bool) -> Bool {
        guard let head = name.first, head.isASCII, first(head), name.count <= maximumNameLength else { return false }
        return name.dropFirst().allSatisfy { $0.isASCII && rest($0) }
    }

    public var name: String
    public var description: String
    public var baseYear: Int
    public var horizon: Int
    /// Grid carbon intensity, kgCO2/kWh, linear between anchors.
    public var gridIntensity: [Anchor]
    /// Mean service life, years, and Weibull shape of the survival curve.
    public var lifetimeMean: SourcedValue
    public var weibullShape: SourcedValue
    /// Annual growth of sales in the years before the base year, for the backcast cohorts.
    public var backcastGrowth: SourcedValue
    public var backcastYears: Int
    public var markets: [Market]
    public var uncertain: [UncertainInput]
    public var correlations: [RankCorrelation]
    public var validation: ValidationSpec?

    public var years: ClosedRange<Int> { baseYear...horizon }
}
