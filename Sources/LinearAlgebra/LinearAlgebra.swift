import CLapack

/// Smoke check that LAPACKE links: solves a 2x2 least-squares problem.
public func _lapackSmoke() -> [Double] {
    var a: [Double] = [1, 1, 1, 2]
    var b: [Double] = [3, 5]
    _ = LAPACKE_dgels(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), 2, 2, 1, &a, 2, &b, 2)
    return b
}
