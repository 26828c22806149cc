import Testing
@testable import Distributions
