import Crypto
import Foundation

/// Ed25519 signing keys for bundles: key files, public-key text.
public enum Keys {
    static let header = "salesync-ed25519-private-key v1"

    /// Writes a new private key to `path` with mode 0600 (refuses to overwrite) and returns the
    /// public key as base64, for the head office's `[branches.<id>] public_key`.
    public static func generate(path: String) throws -> String {
        if FileManager.default.fileExists(atPath: path) {
            throw SyncError.config("\(path) already exists; remove it first if you really want a new key")
        }
        let key = Curve25519.Signing.PrivateKey()
        let text = header + "\n" + key.rawRepresentation.base64EncodedString() + "\n"
        try writeFileAtomically(path: path, bytes: Array(text.utf8), mode: 0o600)
        return key.publicKey.rawRepresentation.base64EncodedString()
    }

    /// Loads a private key file written by `generate`.
    public static func load(path: String, key: String = "key_file", config: String = "") throws -> Curve25519.Signing.PrivateKey {
        let where_ = config.isEmpty ? path : "\(config): key \(key)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError.config("\(where_): cannot read key file \(path)")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard lines.count >= 2, lines[0] == header, let raw = Data(base64Encoded: lines[1]),
            let k = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw SyncError.config("\(where_): \(path) is not a salesync key file (expected the output of salesync keygen)")
        }
        return k
    }

    /// Parses a base64 public key.
    public static func publicKey(base64: String) throws -> Curve25519.Signing.PublicKey {
        guard let raw = Data(base64Encoded: base64), let k = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw SyncError.config("not a base64 Ed25519 public key: \(base64)")
        }
        return k
    }
}
