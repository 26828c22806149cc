// swift-tools-version: 6.1
import Foundation
import PackageDescription

// Domain-free numerics first, then the heat-pump model, then the thin CLI that composes them.
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
        .target(name: "GrowthCurves", dependencies: ["LeastSquares"]),
        .target(name: "RandomStreams"),
        .target(name: "Distributions", dependencies: ["LinearAlgebra"]),
        .target(name: "Sampling", dependencies: ["RandomStreams"]),
        .target(name: "LaneVectors"),
        .target(name: "ByteCoding"),
        // Its hot loops use SIMD types, which an unoptimized build runs through generic code some
        // hundred times slower, so it is optimized in debug builds too (the tests' Monte Carlo runs).
        .target(name: "StreamingStatistics", dependencies: ["ByteCoding", "Digest", "LaneVectors"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "ParallelRunner"),
        .target(name: "CSV"),
        .target(name: "Digest"),
        .target(name: "FileOutput"),
        .target(name: "SVGCharts"),
        // Its bootstrap runs the estimators on SIMD lanes (one output each), optimized in debug builds
        // too for the same reason.
        .target(name: "Sensitivity", dependencies: ["Sampling", "RandomStreams", "ParallelRunner"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "ScenarioDiscovery"),

        // The heat-pump model.
        .target(name: "Scenario", dependencies: ["Distributions", "GrowthCurves", "CSV", .product(name: "Yams", package: "Yams")]),
        .target(name: "RoadmapModel", dependencies: ["Scenario", "GrowthCurves", "LeastSquares", "LaneVectors"]),
        .target(name: "UncertaintyStudy", dependencies: [
            "RoadmapModel", "Scenario", "Distributions", "Sampling", "RandomStreams",
            "StreamingStatistics", "ParallelRunner", "Sensitivity", "LinearAlgebra", "ByteCoding", "Digest", "CSV",
        ]),
        // What is written from a finished study: bands, charts, reference ranks, the files of `run` and `merge`.
        .target(name: "StudyOutputs", dependencies: ["UncertaintyStudy", "RoadmapModel", "Scenario", "StreamingStatistics", "SVGCharts", "CSV", "FileOutput"]),

        // The command-line tool.
        .executableTarget(name: "hpmc", dependencies: [
            "UncertaintyStudy", "StudyOutputs", "ScenarioDiscovery", "RoadmapModel", "Scenario", "GrowthCurves", "LeastSquares", "Sensitivity", "CSV", "FileOutput", "Digest",
            "ParallelRunner", "SVGCharts", "Sampling", "StreamingStatistics",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "LeastSquaresTests", dependencies: ["LeastSquares"]),
        .testTarget(name: "GrowthCurvesTests", dependencies: ["GrowthCurves"]),
        .testTarget(name: "RandomStreamsTests", dependencies: ["RandomStreams"]),
        .testTarget(name: "DistributionsTests", dependencies: ["Distributions"]),
        .testTarget(name: "SamplingTests", dependencies: ["Sampling"]),
        .testTarget(name: "LaneVectorsTests", dependencies: ["LaneVectors"]),
        .testTarget(name: "ByteCodingTests", dependencies: ["ByteCoding"]),
        .testTarget(name: "StreamingStatisticsTests", dependencies: ["StreamingStatistics", "Digest"]),
        .testTarget(name: "ParallelRunnerTests", dependencies: ["ParallelRunner"]),
        .testTarget(name: "SensitivityTests", dependencies: ["Sensitivity"]),
        .testTarget(name: "ScenarioDiscoveryTests", dependencies: ["ScenarioDiscovery", "RandomStreams"]),
        .testTarget(name: "CSVTests", dependencies: ["CSV"]),
        .testTarget(name: "DigestTests", dependencies: ["Digest"]),
        .testTarget(name: "SVGChartsTests", dependencies: ["SVGCharts"]),
        .testTarget(name: "FileOutputTests", dependencies: ["FileOutput"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario"]),
        .testTarget(name: "RoadmapModelTests", dependencies: ["RoadmapModel", "LaneVectors"]),
        .testTarget(name: "UncertaintyStudyTests", dependencies: ["UncertaintyStudy", "StudyOutputs"]),
        // Runs the built `hpmc` binary end to end: exit codes, outputs, shards, resume after SIGKILL.
        .testTarget(name: "CLITests", dependencies: ["hpmc", "UncertaintyStudy", "RandomStreams"]),
    ]
)

// Vector instructions of AVX2 and FMA when the building machine has them (x86-64 Linux): twice the
// lanes per instruction in the kernel and the statistics, and the code's fused multiply-adds in one
// instruction. They are the same IEEE operations as a portable build's (which calls libm's exact
// `fma`), so results keep every bit; HPMC_PORTABLE=1 builds for any x86-64 instead.
#if arch(x86_64) && os(Linux)
if ProcessInfo.processInfo.environment["HPMC_PORTABLE"] == nil,
   let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
   ["avx2", "fma", "bmi2"].allSatisfy({ cpu.contains(" \($0)") }) {
    for target in package.targets where target.type != .system {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-target-cpu", "haswell"])]
    }
}
#endif
