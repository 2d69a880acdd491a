// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Alchemist",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "alchemist", targets: ["alchemist"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .target(
            name: "Engine",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                "CEngineShims",
            ],
            resources: [.copy("Resources/prompt-templates.json"), .copy("Resources/sandbox_worker.py"), .copy("Resources/local_llm_server.py"),
                        .copy("Resources/bundle_apply.py"), .copy("Resources/bundle_labeling_functions.py"),
                        .copy("Resources/spark_job.py")]
        ),
        .systemLibrary(name: "CEngineShims", path: "Sources/CEngineShims"),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "TUI", dependencies: ["Engine", "CNcurses"]),
        .executableTarget(
            name: "alchemist",
            dependencies: ["Engine", "TUI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "ApplyBenchmark", dependencies: ["Engine"], path: "Benchmarks/ApplyBenchmark"),
        .executableTarget(name: "LabelModelBenchmark", dependencies: ["Engine"], path: "Benchmarks/LabelModelBenchmark"),
        .executableTarget(name: "KnowledgeBenchmark", dependencies: ["Engine"], path: "Benchmarks/KnowledgeBenchmark"),
        .executableTarget(name: "LedgerStress", dependencies: ["Engine"], path: "Tests/LedgerStress"),
        .target(name: "TestSupport", dependencies: ["Engine"], path: "Tests/TestSupport", exclude: ["serve_files.py"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport", "LedgerStress"]),
        .testTarget(name: "CLITests", dependencies: ["alchemist", "TestSupport"]),
        .testTarget(name: "TUITests", dependencies: ["TUI", "Engine", "TestSupport", "alchemist"], exclude: ["Snapshots"]),
    ],
    swiftLanguageModes: [.v6]
)
