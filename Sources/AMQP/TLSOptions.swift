import Foundation

/// TLS settings for an `amqps://` connection.
public struct TLSOptions: Sendable {
    public var caFile: String
    public var certFile: String?
    public var keyFile: String?
    public var verifyHostname: Bool

    public init(caFile: String, certFile: String? = nil, keyFile: String? = nil, verifyHostname: Bool = true) {
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.verifyHostname = verifyHostname
    }
}
