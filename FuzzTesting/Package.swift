// swift-tools-version:5.4
// libFuzzer targets for what strangers can send rapport: chat answers (the dialogue engine and
// its date, duration and follow-up parsers) and inbound request parts (form bodies, Slack and
// Standard Webhooks signature headers) — and what webhooks answer (status, headers and body
// read into a delivery verdict for every platform). Tools version 5.4 with plain targets holding main.swift:
// from 5.5 on SwiftPM renames the entry point and `-parse-as-library` fails to link.
// Build and run with `make fuzz` from the repository's root.
import PackageDescription

let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(name: "rapport", path: ".."),
    ],
    targets: [
        .target(
            name: "FuzzConversation",
            dependencies: [
                .product(name: "RapportCore", package: "rapport"),
                .product(name: "RapportApp", package: "rapport"),
            ]
        ),
        .target(
            name: "FuzzInbound",
            dependencies: [.product(name: "RapportDelivery", package: "rapport")]
        ),
        .target(
            name: "FuzzVerdict",
            dependencies: [.product(name: "RapportDelivery", package: "rapport")]
        ),
    ]
)
