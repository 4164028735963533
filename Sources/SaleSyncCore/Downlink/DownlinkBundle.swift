/// One branch's downlink bundle as the head office wrote it.
public struct DownlinkBundle: Sendable, Equatable {
    public let branch: String
    public let sequence: UInt64
    public let file: String
    public let sha256: String
    public let bytes: Int
    /// Where its frame is, when it is kept as a frame in a pack; nil for a file of its own.
    public var frame: FrameRef? = nil
}
