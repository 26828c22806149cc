import Testing
@testable import RoadmapModel
