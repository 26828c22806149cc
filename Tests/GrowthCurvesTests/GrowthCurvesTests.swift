import Testing
@testable import GrowthCurves
