import Foundation
import SaleSyncTesting

/// libFuzzer calls this with each input it makes; see SaleSyncCore's BundleFuzzing for the modes
/// and the oracle (anything but a BundleError or a consistent decode traps).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    BundleFuzzing.testOneInput(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Before fuzzing: with SALESYNC_FUZZ_SEEDS=DIR, writes the seed inputs there (run.sh does).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    if let dir = ProcessInfo.processInfo.environment["SALESYNC_FUZZ_SEEDS"] {
        for (i, seed) in ((try? BundleFuzzing.seedInputs()) ?? []).enumerated() {
            FileManager.default.createFile(atPath: "\(dir)/seed-\(i)", contents: Data(seed))
        }
    }
    return 0
}
