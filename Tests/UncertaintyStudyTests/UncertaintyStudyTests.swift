import Testing
@testable import UncertaintyStudy
