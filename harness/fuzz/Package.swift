// swift-tools-version:6.0
// The coverage-guided fuzzer of the bundle reader (libFuzzer). Built by harness/fuzz/run.sh with
// -sanitize=fuzzer,address; kept out of the main package so those flags touch nothing else.
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, which is the clone's: derive it.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

// A static library, linked into the fuzzer by run.sh with `swiftc -sanitize=fuzzer`: SwiftPM's
// executables bring a `main` of their own, and libFuzzer brings its own too.
let package = Package(
    name: "salesync-fuzz",
    products: [.library(name: "BundleFuzzer", type: .static, targets: ["BundleFuzzer"])],
    dependencies: [.package(path: root.path)],
    targets: [
        .target(name: "BundleFuzzer", dependencies: [
            .product(name: "SaleSyncTesting", package: root.lastPathComponent.lowercased()),
        ]),
    ]
)
