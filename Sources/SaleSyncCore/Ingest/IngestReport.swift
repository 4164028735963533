/// What an ingest run did.
public struct IngestReport: Sendable {
    /// One bundle applied by the run.
    public struct Applied: Sendable {
        public var branch: String
        public var seq: UInt64
        public var rows: Int
        public var verdict: Verdict
    }

    public var chunksReceived = 0
    public var applied: [Applied] = []
    public var duplicates = 0
    public var quarantined = 0
    public var resendRequested = 0
    /// Branches found to have gone back in time (BundleApplier+WentBack.swift).
    public var wentBack: Set<String> = []
    /// Branches whose first bundle after a rejoin arrived: they apply as usual again.
    public var rejoined: Set<String> = []
    /// Branches' acknowledgements of downlink bundles recorded, and downlink bytes published.
    public var downlinkAcks = 0
    public var downlinkBytesSent = 0
    public var held: [String: [UInt64]] = [:]
    /// Bundles not applied because their table changed in a way that waits for an operator.
    public var schemaHeld = 0
    /// Of the bundles applied, those applied several branches to a transaction (a group).
    public var grouped = 0
    public var rowsApplied: Int { applied.reduce(0) { $0 + $1.rows } }

    public init() {}

    /// Adds another round's figures (held bundles are the latest round's).
    public mutating func merge(_ r: IngestReport) {
        add(r)
        held = r.held
    }

    /// Adds a lane's figures from the same round (its held bundles are not its to report).
    mutating func add(_ r: IngestReport) {
        chunksReceived += r.chunksReceived
        schemaHeld += r.schemaHeld
        grouped += r.grouped
        applied += r.applied
        duplicates += r.duplicates
        quarantined += r.quarantined
        resendRequested += r.resendRequested
        wentBack.formUnion(r.wentBack)
        rejoined.formUnion(r.rejoined)
        downlinkAcks += r.downlinkAcks
        downlinkBytesSent += r.downlinkBytesSent
    }
}
