import Testing
@testable import RandomStreams
