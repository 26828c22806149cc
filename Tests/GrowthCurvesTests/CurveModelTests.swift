import Foundation
import Testing
import GrowthCurves

@Suite struct CurveModelTests {
    @Test func midpointAndAsymptotes() {
        let logistic = [200.0, 0.3, 2030]
        #expect(CurveModel.logistic.value(2030, logistic) == 100)
        #expect(abs(CurveModel.logistic.value(1e6, logistic) - 200) < 1e-12)
        #expect(CurveModel.logistic.value(-1e6, logistic) == 0)
        // Richards at t0 is K · 2^(−1/ν).
        let richards = [200.0, 0.3, 2030, 0.5]
        #expect(abs(CurveModel.richards.value(2030, richards) - 50) < 1e-12)
        #expect(CurveModel.richards.value(-1e6, richards) == 0)
    }

    @Test func richardsWithUnitShapeIsLogistic() {
        for t in stride(from: -10.0, through: 30, by: 2.5) {
            let logistic = CurveModel.logistic.value(t, [5, 0.4, 8])
            #expect(abs(CurveModel.richards.value(t, [5, 0.4, 8, 1]) - logistic) < 1e-14)
            let logisticGradient = CurveModel.logistic.gradient(t, [5, 0.4, 8])
            let richardsGradient = CurveModel.richards.gradient(t, [5, 0.4, 8, 1])
            for j in 0..<3 { #expect(abs(richardsGradient[j] - logisticGradient[j]) < 1e-14) }
        }
    }

    @Test(arguments: [(CurveModel.logistic, [3.0, 0.7, 4]), (CurveModel.richards, [3.0, 0.7, 4, 2.5])])
    func gradientMatchesCentralDifferences(model: CurveModel, p: [Double]) {
        for t in [-3.0, 1, 4, 6.5, 12] {
            let gradient = model.gradient(t, p)
            for j in p.indices {
                let h = 1e-6 * max(abs(p[j]), 1)
                var up = p, down = p
                up[j] += h
                down[j] -= h
                let numeric = (model.value(t, up) - model.value(t, down)) / (2 * h)
                #expect(abs(gradient[j] - numeric) < 1e-7 * max(1, abs(numeric)), "t = \(t), j = \(j)")
            }
        }
    }

    @Test func extremeArgumentsStayFinite() {
        for model in CurveModel.allCases {
            let p = model == .logistic ? [1.0, 50, 0] : [1.0, 50, 0, 0.3]
            for t in [-1e3, -20, 0, 20, 1e3] {
                #expect(model.value(t, p).isFinite)
                #expect(model.gradient(t, p).allSatisfy { $0.isFinite })
            }
        }
    }
}
