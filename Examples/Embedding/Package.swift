// swift-tools-version: 6.1
import PackageDescription

// The README's "Using hpmc as a library" example; Examples/check-embedding.sh builds it against a
// tagged copy of this repository.
let package = Package(
    name: "Embedding",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/your-org/hpmc.git", from: "0.9.0"),
    ],
    targets: [
        .executableTarget(name: "Embedding", dependencies: [
            .product(name: "HPMCEngine", package: "hpmc"),
        ]),
    ]
)
