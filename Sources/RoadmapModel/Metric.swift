/// The quantities the model reports, with the roadmap's units and SI units.
public enum Metric: String, Sendable, CaseIterable {
    case sales, value, stock, heat, electricity
    case baselineEmissions = "baseline_emissions"
    case heatPumpEmissions = "hp_emissions"
    case reduction

    /// Unit of the internal (roadmap) figures.
    public var roadmapUnit: String {
        switch self {
        case .sales: return "1e4 units/yr"
        case .value: return "1e8 CNY/yr"
        case .stock: return "1e4 units"
        case .heat: return "1e8 GJ/yr"
        case .electricity: return "1e8 kWh/yr"
        case .baselineEmissions, .heatPumpEmissions, .reduction: return "1e8 tCO2/yr"
        }
    }

    /// The SI unit (`--units si`), beside the roadmap's `roadmapUnit`.
    public var siUnit: String {
        switch self {
        case .sales: return "units/yr"
        case .value: return "CNY/yr"
        case .stock: return "units"
        case .heat: return "PJ/yr"
        case .electricity: return "TWh/yr"
        case .baselineEmissions, .heatPumpEmissions, .reduction: return "MtCO2/yr"
        }
    }

    /// Size of the roadmap unit in the metric's base unit (unit, CNY, GJ, kWh, t CO2): the one
    /// definition of each scale, read by the kernel's conversions and by `siFactor`.
    public var roadmapScale: Double {
        switch self {
        case .sales, .stock: return 1e4
        case .value, .heat, .electricity, .baselineEmissions, .heatPumpEmissions, .reduction: return 1e8
        }
    }

    /// Size of the SI unit in the same base unit: PJ = 1e6 GJ, TWh = 1e9 kWh, Mt = 1e6 t.
    var siScale: Double {
        switch self {
        case .sales, .value, .stock: return 1
        case .heat: return 1e6
        case .electricity: return 1e9
        case .baselineEmissions, .heatPumpEmissions, .reduction: return 1e6
        }
    }

    /// Multiplier from the roadmap unit to the SI unit.
    public var siFactor: Double { roadmapScale / siScale }

    /// The metric's row within a market's block of computed series (see `SeriesCatalog`). Rows are
    /// addressed through this, never through the cases' order, so reordering them relabels nothing;
    /// a new metric takes the next row (`MetricTests` checks the rows are 0..<count, once each).
    public var row: Int {
        switch self {
        case .sales: return 0
        case .value: return 1
        case .stock: return 2
        case .heat: return 3
        case .electricity: return 4
        case .baselineEmissions: return 5
        case .heatPumpEmissions: return 6
        case .reduction: return 7
        }
    }

    /// The metrics in row order.
    public static let byRow: [Metric] = allCases.sorted { $0.row < $1.row }

    /// Whether Monte Carlo runs give the metric bands; the emissions on either side of the
    /// reduction are in `central.csv` only.
    public var hasBands: Bool {
        switch self {
        case .sales, .value, .stock, .heat, .electricity, .reduction: return true
        case .baselineEmissions, .heatPumpEmissions: return false
        }
    }

    /// Whether a market's segment splits apply to this metric.
    public var hasSegments: Bool { self == .value || self == .reduction }
}

/// How figures are written: in the roadmap's units or in SI.
public enum UnitSystem: String, Sendable, CaseIterable {
    case roadmap, si

    public func unit(_ metric: Metric) -> String { self == .roadmap ? metric.roadmapUnit : metric.siUnit }
    public func factor(_ metric: Metric) -> Double { self == .roadmap ? 1 : metric.siFactor }
}

/// Names of the aggregate market and of the unsplit segment.
public enum Names {
    public static let total = "total"
    public static let all = "all"
}
