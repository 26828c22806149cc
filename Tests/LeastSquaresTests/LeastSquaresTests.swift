import Testing
@testable import LeastSquares
