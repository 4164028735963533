import SaleSyncCore
import Testing

/// One formatter for lengths of time: the status table's compact column and the console's words.
@Suite struct DurationTextTests {
    @Test(
        arguments: [
            (nil, "-", "-"), (0.4, "0s", "0 s"), (45, "45s", "45 s"), (119, "119s", "119 s"), (120, "2m", "2 min"),
            (7199, "119m", "120 min"), (7200, "2h", "2.0 h"), (9000, "2h", "2.5 h"), (172_800, "2d", "2.0 days"),
            (302_400, "3d", "3.5 days"),
        ] as [(Double?, String, String)])
    func formats(seconds: Double?, compact: String, words: String) {
        #expect(DurationText.format(seconds, compact: true) == compact)
        #expect(DurationText.format(seconds) == words)
    }

    @Test func missingIsTheCallersChoice() {
        #expect(DurationText.format(nil, missing: "never") == "never")
    }
}
