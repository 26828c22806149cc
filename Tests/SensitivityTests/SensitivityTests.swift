import Testing
@testable import Sensitivity
