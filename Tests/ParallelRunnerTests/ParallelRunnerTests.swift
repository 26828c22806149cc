import Testing
@testable import ParallelRunner
