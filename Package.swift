// swift-tools-version: 6.1
import PackageDescription

// Domain-free numerics first, then the heat-pump model, then the thin CLI that composes them.
// No unsafe flags, so that other packages can depend on a tagged version: the Makefile passes the
// compiler options (CPU level, optimized test builds).
let package = Package(
    name: "hpmc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hpmc", targets: ["hpmc"]),
        // The engine as a library, for the benchmarks package and for embedding.
        .library(name: "HPMCEngine", targets: [
            "UncertaintyStudy", "StudyOutputs", "RoadmapModel", "Scenario", "StreamingStatistics", "Sampling", "ParallelRunner",
            "Sensitivity", "Distributions", "RandomStreams", "GrowthCurves", "LeastSquares", "LinearAlgebra",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Numerics: know nothing of heat pumps.
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .target(name: "LinearAlgebra", dependencies: ["CLapack"]),
        .target(name: "LeastSquares", dependencies: ["LinearAlgebra"]),
        .target(name: "GrowthCurves", dependencies: ["LeastSquares", "LinearAlgebra"]),
        .target(name: "RandomStreams"),
        .target(name: "Distributions", dependencies: ["LinearAlgebra"]),
        .target(name: "Sampling", dependencies: ["RandomStreams"]),
        .target(name: "LaneVectors"),
        .target(name: "ByteCoding"),
        .systemLibrary(name: "CCacheHints", path: "Sources/CCacheHints"),
        .target(name: "HugePageMemory"),
        .target(name: "StreamingStatistics", dependencies: ["ByteCoding", "CCacheHints", "Digest", "HugePageMemory", "LaneVectors", "ParallelRunner"]),
        .target(name: "ParallelRunner"),
        .target(name: "CSV"),
        .target(name: "Digest"),
        .target(name: "FileOutput"),
        .target(name: "SVGCharts"),
        .target(name: "Sensitivity", dependencies: ["Sampling", "RandomStreams", "ParallelRunner"]),
        .target(name: "ScenarioDiscovery", dependencies: ["ParallelRunner"]),

        // The heat-pump model.
        .target(name: "Scenario", dependencies: ["Distributions", "GrowthCurves", "CSV", .product(name: "Yams", package: "Yams")]),
        .target(name: "RoadmapModel", dependencies: ["Scenario", "GrowthCurves", "HugePageMemory", "LeastSquares", "LaneVectors"]),
        .target(name: "UncertaintyStudy", dependencies: [
            "RoadmapModel", "Scenario", "Distributions", "Sampling", "RandomStreams",
            "StreamingStatistics", "ParallelRunner", "Sensitivity", "LinearAlgebra", "ByteCoding", "Digest", "CSV",
        ]),
        // What is written from a finished study: bands, charts, reference ranks, the files of `run` and `merge`.
        .target(name: "StudyOutputs", dependencies: ["UncertaintyStudy", "RoadmapModel", "Scenario", "StreamingStatistics", "ParallelRunner", "SVGCharts", "CSV", "FileOutput"]),

        // The command-line tool.
        .executableTarget(name: "hpmc", dependencies: [
            "UncertaintyStudy", "StudyOutputs", "ScenarioDiscovery", "RoadmapModel", "Scenario", "GrowthCurves", "LeastSquares", "LinearAlgebra", "Sensitivity", "CSV", "FileOutput", "Digest",
            "ParallelRunner", "SVGCharts", "Sampling", "StreamingStatistics",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "LeastSquaresTests", dependencies: ["LeastSquares", "LinearAlgebra"]),
        .testTarget(name: "GrowthCurvesTests", dependencies: ["GrowthCurves"]),
        .testTarget(name: "RandomStreamsTests", dependencies: ["RandomStreams"]),
        .testTarget(name: "DistributionsTests", dependencies: ["Distributions"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling", "RandomStreams"]),
        .testTarget(name: "LaneVectorsTests", dependencies: ["LaneVectors"]),
        .testTarget(name: "ByteCodingTests", dependencies: ["ByteCoding"]),
        .testTarget(name: "StreamingStatisticsTests", dependencies: ["StreamingStatistics", "Digest"]),
        .testTarget(name: "ParallelRunnerTests", dependencies: ["ParallelRunner"]),
        .testTarget(name: "SensitivityTests", dependencies: ["Sensitivity", "RandomStreams"]),
        .testTarget(name: "ScenarioDiscoveryTests", dependencies: ["ScenarioDiscovery", "RandomStreams"]),
        .testTarget(name: "CSVTests", dependencies: ["CSV"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "SVGChartsTests", dependencies: ["SVGCharts"]),
        .testTarget(name: "FileOutputTests", dependencies: ["FileOutput"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario"]),
        .testTarget(name: "RoadmapModelTests", dependencies: ["RoadmapModel", "LaneVectors", "Scenario"]),
        .testTarget(name: "UncertaintyStudyTests", dependencies: [
            "UncertaintyStudy", "StudyOutputs", "RoadmapModel", "Sampling", "Scenario", "StreamingStatistics",
        ]),
        // Runs the built `hpmc` binary end to end: exit codes, outputs, shards, resume after SIGKILL.
        .testTarget(name: "CLITests", dependencies: ["hpmc", "UncertaintyStudy", "RandomStreams"]),
    ]
)

