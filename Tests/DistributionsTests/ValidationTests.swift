import Testing
import Distributions

@Test(arguments: everyFamily)
func validFixturesPass(distribution: Distribution) {
    #expect(throws: Never.self) { try distribution.validate() }
}

/// The parameter named by the validation error of `distribution`, if any.
private func rejectedParameter(_ distribution: Distribution) -> String? {
    do {
        try distribution.validate()
        return nil
    } catch {
        return error.parameter
    }
}

@Test(arguments: [
    (Distribution.uniform(min: 1, max: 1), "max"),
    (.uniform(min: .nan, max: 1), "min"),
    (.uniform(min: 0, max: .infinity), "max"),
    (.triangular(min: 0, mode: 5, max: 4), "mode"),
    (.triangular(min: 3, mode: 3, max: 2), "max"),
    (.triangular(min: 0, mode: .nan, max: 1), "mode"),
    (.pert(min: 0, mode: -1, max: 4), "mode"),
    (.pert(min: 4, mode: 4, max: 4), "max"),
    (.normal(mean: 0, sd: 0), "sd"),
    (.normal(mean: 0, sd: -1), "sd"),
    (.normal(mean: .infinity, sd: 1), "mean"),
    (.truncatedNormal(mean: 0, sd: 1, lower: 2, upper: 1), "upper"),
    (.truncatedNormal(mean: 0, sd: 1, lower: 1, upper: 1), "upper"),
    (.truncatedNormal(mean: 0, sd: 1, lower: -.infinity, upper: .infinity), "lower"),
    (.truncatedNormal(mean: 0, sd: 1, lower: .infinity, upper: .infinity), "lower"),
    (.truncatedNormal(mean: 0, sd: 1, lower: .nan, upper: 3), "lower"),
    (.truncatedNormal(mean: 0, sd: 1, lower: 40, upper: 41), "upper"),   // Φ(-40) underflows: no mass
    (.truncatedNormal(mean: 0, sd: .nan, lower: 0, upper: 1), "sd"),
    (.lognormal(mu: 0, sigma: 0), "sigma"),
    (.lognormal(mu: .nan, sigma: 1), "mu"),
    (.discrete(values: [], weights: []), "values"),
    (.discrete(values: [1, 2], weights: [1]), "weights.count"),
    (.discrete(values: [1, .infinity], weights: [1, 1]), "values[1]"),
    (.discrete(values: [1, 2, 3], weights: [1, 0, 1]), "weights[1]"),
    (.discrete(values: [1, 2], weights: [1, -.infinity]), "weights[1]"),
    (.discrete(values: [1, 2], weights: [1e308, 1e308]), "sum of the weights"),
])
func invalidParametersAreRejectedByName(distribution: Distribution, parameter: String) {
    #expect(rejectedParameter(distribution) == parameter)
}

@Test func errorMessageNamesTheParameterTheValueAndTheAllowedRange() {
    #expect(throws: DistributionError(distribution: "triangular", parameter: "mode", value: "12.0",
                                      allowed: "within [min, max] = [0.0, 10.0]")) {
        try Distribution.triangular(min: 0, mode: 12, max: 10).validate()
    }
    let message = DistributionError(distribution: "normal", parameter: "sd", value: "-1.0",
                                    allowed: "finite and > 0").description
    #expect(message == "normal: sd = -1.0 is not allowed; it must be finite and > 0")
}
