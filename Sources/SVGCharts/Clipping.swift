/// Clipping of polylines and polygons to the plot rectangle, so that data beyond the axes
/// neither spills over labels nor writes coordinates outside the view box.
enum Clipping {
    /// The visible pieces of the polyline through `points`.
    ///
    /// Each segment is clipped with the Liang–Barsky parametric test; consecutive visible segments
    /// that meet are joined into one piece.
    static func polyline(_ points: [PlotPoint], to rect: PlotRect) -> [[PlotPoint]] {
        if points.count == 1 {
            return rect.contains(points[0]) ? [points] : []
        }
        var pieces: [[PlotPoint]] = []
        var current: [PlotPoint] = []
        for index in 1..<points.count {
            guard let (start, end) = segment(points[index - 1], points[index], to: rect) else {
                if !current.isEmpty { pieces.append(current) }
                current = []
                continue
            }
            if let last = current.last, last == start {
                current.append(end)
            } else {
                if !current.isEmpty { pieces.append(current) }
                current = [start, end]
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// The part of segment `a`–`b` inside `rect`, or nil when none of it is.
    static func segment(_ a: PlotPoint, _ b: PlotPoint, to rect: PlotRect) -> (PlotPoint, PlotPoint)? {
        let dx = b.x - a.x
        let dy = b.y - a.y
        var enter = 0.0
        var leave = 1.0
        // Each pair is (p, q) for one rectangle edge: the segment is inside that edge where p·t ≤ q.
        let edges = [(-dx, a.x - rect.minX), (dx, rect.maxX - a.x), (-dy, a.y - rect.minY), (dy, rect.maxY - a.y)]
        for (p, q) in edges {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { enter = max(enter, t) } else { leave = min(leave, t) }
            }
        }
        guard enter <= leave else { return nil }
        let start = enter == 0 ? a : PlotPoint(x: a.x + enter * dx, y: a.y + enter * dy)
        let end = leave == 1 ? b : PlotPoint(x: a.x + leave * dx, y: a.y + leave * dy)
        return (start, end)
    }

    /// The polygon `points` clipped to `rect` (Sutherland–Hodgman, one rectangle edge at a time).
    static func polygon(_ points: [PlotPoint], to rect: PlotRect) -> [PlotPoint] {
        var result = points
        result = clip(result, inside: { $0.x >= rect.minX }, crossing: { a, b in cross(a, b, atX: rect.minX) })
        result = clip(result, inside: { $0.x <= rect.maxX }, crossing: { a, b in cross(a, b, atX: rect.maxX) })
        result = clip(result, inside: { $0.y >= rect.minY }, crossing: { a, b in cross(a, b, atY: rect.minY) })
        result = clip(result, inside: { $0.y <= rect.maxY }, crossing: { a, b in cross(a, b, atY: rect.maxY) })
        return result
    }

    private static func clip(
        _ points: [PlotPoint], inside: (PlotPoint) -> Bool, crossing: (PlotPoint, PlotPoint) -> PlotPoint
    ) -> [PlotPoint] {
        guard let last = points.last else { return [] }
        var output: [PlotPoint] = []
        var previous = last
        for point in points {
            switch (inside(previous), inside(point)) {
            case (true, true): output.append(point)
            case (true, false): output.append(crossing(previous, point))
            case (false, true): output.append(contentsOf: [crossing(previous, point), point])
            case (false, false): break
            }
            previous = point
        }
        return output
    }

    private static func cross(_ a: PlotPoint, _ b: PlotPoint, atX x: Double) -> PlotPoint {
        PlotPoint(x: x, y: a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x))
    }

    private static func cross(_ a: PlotPoint, _ b: PlotPoint, atY y: Double) -> PlotPoint {
        PlotPoint(x: a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y: y)
    }
}
