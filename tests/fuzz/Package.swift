// swift-tools-version:6.0
// The coverage-guided fuzzer of the bundle reader (libFuzzer). Built by tests/fuzz/run.sh with
// -sanitize=fuzzer,address; kept out of the main package so those flags touch nothing else.
import PackageDescription

let package = Package(
    name: "salesync-fuzz",
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(name: "BundleFuzzer", dependencies: [.product(name: "SaleSyncCore", package: "salesync")]),
    ]
)
