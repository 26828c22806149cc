import Testing
@testable import StreamingStatistics
