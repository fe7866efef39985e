// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "campaignwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "campaignwatch", targets: ["campaignwatch"]),
        .executable(name: "campaignwatch-bench", targets: ["campaignwatch-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries, each wrapped once: a [system] modulemap plus typed static-inline shims.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Linux interfaces Glibc's module leaves out (epoll, eventfd): libcurl's socket driver
        // and the loopback HTTP server.
        .systemLibrary(name: "CLinux"),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // The feed parser's byte scanners in C with SSE2/AVX2 (Swift's SIMD types are not
        // vectorised here); pure functions, no library behind them.
        .target(name: "CByteScan"),

        // Pure core: values in, values out. Parsing, normalisation, rules, judging, scheduling.
        .target(
            name: "CampaignWatchCore",
            dependencies: [
                "CByteScan", "CLibXML2", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // The I/O shell: configuration files, libcurl, SQLite, spool, evidence, daemon services.
        .target(
            name: "CampaignWatch",
            dependencies: [
                "CampaignWatchCore", "CCurl", "CLinux", "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API (the library GRDB links), for binding the polling path's inserts.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // SIGHUP for reloads (the module ServiceLifecycle itself uses for SIGTERM).
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // The thin executable: command-line parsing and wiring only.
        .executableTarget(
            name: "campaignwatch",
            dependencies: [
                "CampaignWatch", "CampaignWatchCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks printed by `make bench` (always built in release mode).
        .executableTarget(
            name: "campaignwatch-bench",
            dependencies: [
                "CampaignWatch", "CampaignWatchCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // What the test targets share: the service manager's end of the notify socket.
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(
            name: "CampaignWatchCoreTests",
            dependencies: ["CampaignWatchCore", "CByteScan"]
        ),
        .testTarget(
            name: "CampaignWatchTests",
            dependencies: [
                "CampaignWatch", "CampaignWatchCore", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Runs the built `campaignwatch` executable as a subprocess, the way users and systemd do.
        .testTarget(
            name: "CLITests",
            // CampaignWatch for the loopback HTTP server the daemon under test polls.
            dependencies: ["CampaignWatchCore", "CampaignWatch", "TestSupport"]
        ),
    ]
)
