// swift-tools-version:6.2
import PackageDescription

// Targets follow ../shared/DESIGN.md: a pure core, one adapter per technology, a thin executable.
// `rapport` itself must never link SwiftNIO (Hummingbird, PostgresNIO), so a newcomer's first
// build stays short: those are linked by `rapport-server` alone, which also runs the terminal
// front end (RapportTerminal) when the store is a team store on PostgreSQL.

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "rapport",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
        .executable(name: "rapport-server", targets: ["rapport-server"]),
        .library(name: "RapportCore", targets: ["RapportCore"]),
        // For FuzzTesting/, which builds them with libFuzzer and AddressSanitizer.
        .library(name: "RapportDelivery", targets: ["RapportDelivery"]),
        .library(name: "RapportApp", targets: ["RapportApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Only rapport-server and its tests use these: `rapport` never links SwiftNIO.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already under Hummingbird; named for NIOCore's IOError (a port in use, said plainly).
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        // The team store (rapport-server only).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Already under Hummingbird; named for NIOHTTPTypes' request parts (ConnectionDeadlineHandler).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // The Mattermost bot's event stream (a WebSocket client on SwiftNIO; rapport-server only).
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        // The fake Mattermost's WebSocket server (tests only).
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // Already under Hummingbird; named for the fake Mattermost's own header names.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // Pure: dialogue engine, flow model and YAML parsing, domain, dates. No clock, files or network.
        .target(
            name: "RapportCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The SQLite store (GRDB).
        .target(
            name: "RapportStore",
            dependencies: ["RapportCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // libcurl's headers; the library itself is loaded on first use (see Sources/CCurl/shim.h).
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        // Chat webhook formats both ways: posting through libcurl (payloads per platform, signing,
        // replies) and what inbound requests carry (form bodies, Slack and Standard Webhooks signatures).
        .target(
            name: "RapportDelivery",
            dependencies: ["RapportCore", "CCurl"],
            swiftSettings: swiftSettings
        ),
        // Wiring and use-cases shared by the terminal and the server: config, flow files, store.
        .target(
            name: "RapportApp",
            dependencies: ["RapportCore", "RapportStore", "RapportDelivery", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // libedit (BSD) for line editing and history in a real terminal.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]
        ),
        // The terminal front end: ArgumentParser subcommands over the use-cases; no store, no delivery.
        .target(
            name: "RapportTerminal",
            dependencies: [
                "RapportApp",
                "RapportCore",
                "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/rapport",
            swiftSettings: swiftSettings
        ),
        // The thin terminal executable.
        .executableTarget(
            name: "rapport",
            dependencies: ["RapportTerminal"],
            path: "Sources/rapport-cli",
            swiftSettings: swiftSettings
        ),
        // The team store: PostgreSQL through PostgresNIO, for several `rapport serve` replicas on
        // one database. Only rapport-server links it.
        .target(
            name: "RapportPostgres",
            dependencies: [
                "RapportCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The inbound webhook (Hummingbird 2): chat with rapport from Slack, Mattermost or any JSON client.
        .target(
            name: "RapportServer",
            dependencies: [
                "RapportApp", "RapportCore", "RapportDelivery", "RapportPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "WSClient", package: "swift-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // `rapport serve` hands over to this executable, found next to `rapport`.
        .executableTarget(
            name: "rapport-server",
            dependencies: [
                "RapportServer", "RapportApp", "RapportTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RapportTestSupport",
            dependencies: ["RapportCore", .product(name: "Yams", package: "Yams")],
            path: "Tests/RapportTestSupport",
            swiftSettings: swiftSettings
        ),
        // A stand-in for a Mattermost server (REST, WebSocket events, button presses), written from
        // Mattermost's API reference; its own target because it runs on Hummingbird.
        .target(
            name: "FakeMattermost",
            dependencies: [
                "RapportTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/FakeMattermost",
            swiftSettings: swiftSettings
        ),
        // What the app and server tests share: the use-cases over a real store, as the programs build them.
        .target(
            name: "RapportAppTestSupport",
            dependencies: ["RapportApp", "RapportCore", "RapportTestSupport"],
            path: "Tests/RapportAppTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RapportCoreTests",
            dependencies: ["RapportCore", "RapportTestSupport"],
            exclude: ["Transcripts", "CalendarCorpus"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RapportStoreTests",
            dependencies: ["RapportStore", "RapportPostgres", "RapportTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RapportDeliveryTests",
            dependencies: ["RapportDelivery", "RapportTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RapportServerTests",
            dependencies: [
                "RapportServer", "RapportApp", "RapportStore", "RapportDelivery", "RapportTestSupport", "RapportAppTestSupport", "FakeMattermost",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RapportAppTests",
            dependencies: [
                "RapportApp", "RapportStore", "RapportDelivery", "RapportTestSupport", "RapportAppTestSupport", "FakeMattermost", "rapport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Transcripts"],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
