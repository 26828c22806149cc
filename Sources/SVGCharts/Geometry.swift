/// A point in SVG user units (y grows downwards).
struct PlotPoint: Equatable {
    var x: Double
    var y: Double
}

/// An axis-aligned rectangle in SVG user units.
struct PlotRect: Equatable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    var width: Double { maxX - minX }
    var height: Double { maxY - minY }
    var midX: Double { (minX + maxX) / 2 }
    var midY: Double { (minY + maxY) / 2 }

    func contains(_ point: PlotPoint, tolerance: Double = 1e-9) -> Bool {
        point.x >= minX - tolerance && point.x <= maxX + tolerance && point.y >= minY - tolerance && point.y <= maxY + tolerance
    }
}

/// The affine map from a data interval onto a pixel interval (which may run backwards, as y does).
struct LinearMap {
    let domainLower: Double
    let domainUpper: Double
    let rangeStart: Double
    let rangeEnd: Double

    func callAsFunction(_ value: Double) -> Double {
        let span = domainUpper - domainLower
        guard span != 0 else { return (rangeStart + rangeEnd) / 2 }
        return rangeStart + (value - domainLower) / span * (rangeEnd - rangeStart)
    }
}
