import LaneVectors
import Testing

struct WeightedSumTests {
    /// Terms where a separate multiply and add round twice and give other bits than one fused step.
    static let weights = [-1, 1 + 0x1p-30, 0.5]
    static let terms = [1, 1 + 0x1p-30, -7.25]

    /// `weightedSum` is 0 + w₀x₀ + w₁x₁ + …, each step one fused multiply-add, in order.
    @Test func addsTermByTermInOneRoundingEach() {
        let (w, x) = (Self.weights, Self.terms)
        let sum = Double.weightedSum(count: 3, weight: { w[$0] }, term: { x[$0] })
        let fused = 0.0.addingProduct(w[0], x[0]).addingProduct(w[1], x[1]).addingProduct(w[2], x[2])
        #expect(sum.bitPattern == fused.bitPattern)
        // −1 + (1 + 2⁻³⁰)² exactly; a rounded product first would lose the 2⁻⁶⁰.
        #expect(Double.weightedSum(count: 2, weight: { w[$0] }, term: { x[$0] }) == 0x1p-29 + 0x1p-60)
        #expect(Double.weightedSum(count: 0, weight: { _ in 1 }, term: { _ in 1 }).bitPattern == 0.0.bitPattern)
    }

    /// The kernel's `Quad` and the statistics' `SIMD4<Double>` give each lane the scalar's bits.
    @Test func everyWidthGivesTheScalarsBits() {
        let (w, x) = (Self.weights, Self.terms)
        let lanes = [1.0, -2.5, 1e-300, 3e10]
        func scaled(_ t: Int, _ lane: Int) -> Double { x[t] * lanes[lane] }
        let quad = Quad.weightedSum(count: 3, weight: { w[$0] }, term: { t in Quad(scaled(t, 0), scaled(t, 1), scaled(t, 2), scaled(t, 3)) })
        let simd = SIMD4<Double>.weightedSum(count: 3, weight: { w[$0] }) { t in SIMD4(scaled(t, 0), scaled(t, 1), scaled(t, 2), scaled(t, 3)) }
        for lane in 0..<4 {
            let scalar = Double.weightedSum(count: 3, weight: { w[$0] }, term: { scaled($0, lane) })
            #expect(quad[lane].bitPattern == scalar.bitPattern && simd[lane].bitPattern == scalar.bitPattern)
        }
    }
}
