// swift-tools-version: 6.1
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which is whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

// Kept apart from the root package so users' builds never fetch or compile the benchmark harness.
// Run with `make bench` from the repository (see ../README.md, "Performance"): it passes the CPU level.
let package = Package(
    name: "HPMCBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HPMCBenchmarks",
            dependencies: [
                .product(name: "HPMCEngine", package: root),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/HPMCBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
)
