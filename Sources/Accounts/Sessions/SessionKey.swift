import Foundation

/// An HMAC-SHA256 key for session JWTs, named by the `kid` written in each token's header.
public struct SessionKey: Sendable, Equatable {
    /// Shortest accepted secret: the size of a SHA-256 output (jwt-kit only asserts this in debug builds).
    public static let minimumBytes = 32

    /// The key id (`kid` header).
    public let id: String
    /// The secret bytes.
    let secret: [UInt8]

    /// A key from raw bytes; throws `SessionKeyError` for an empty id or a secret under 32 bytes.
    public init(id: String, secret: [UInt8]) throws(SessionKeyError) {
        guard !id.isEmpty, id.utf8.count <= 100 else {
            throw SessionKeyError("JWT key id must be 1 to 100 characters, got \(id.utf8.count)")
        }
        guard secret.count >= Self.minimumBytes else {
            throw SessionKeyError(
                "JWT key '\(id)' is \(secret.count) bytes; HMAC-SHA256 keys must be at least \(Self.minimumBytes) bytes "
                    + "(generate one with `openssl rand -base64 32`)")
        }
        self.id = id
        self.secret = secret
    }

    /// A key from a base64 secret, as configuration holds it.
    public init(id: String, base64Secret: String) throws(SessionKeyError) {
        guard let data = Data(base64Encoded: base64Secret.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SessionKeyError("JWT key '\(id)' is not valid base64")
        }
        try self.init(id: id, secret: Array(data))
    }

    /// Keys from one configuration value such as `IV_JWT_KEYS="k2:<base64>,k1:<base64>"`: comma-separated
    /// `kid:base64secret` pairs, the first being the signing key and the rest still accepted for verification.
    public static func parseList(_ text: String) throws(SessionKeyError) -> (signing: SessionKey, verification: [SessionKey]) {
        var keys: [SessionKey] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.firstIndex(of: ":") else {
                throw SessionKeyError("JWT key entries must look like kid:base64secret, got '\(trimmed.prefix(20))'")
            }
            keys.append(try SessionKey(id: String(trimmed[..<colon]), base64Secret: String(trimmed[trimmed.index(after: colon)...])))
        }
        guard let signing = keys.first else { throw SessionKeyError("no JWT key configured") }
        guard Set(keys.map(\.id)).count == keys.count else { throw SessionKeyError("JWT key ids must be distinct") }
        return (signing, Array(keys.dropFirst()))
    }

    /// A fresh random 32-byte key.
    public static func random(id: String) -> SessionKey {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<minimumBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // 32 random bytes always pass validation.
        return try! SessionKey(id: id, secret: bytes)
    }

    /// The secret in base64, for writing a key file.
    var base64Secret: String { Data(secret).base64EncodedString() }
}

/// A session-key configuration problem, raised at start-up with a message naming the key.
public struct SessionKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// `INVALID_JWT_KEY: message`, as start-up prints it.
    public var description: String { "INVALID_JWT_KEY: \(message)" }
}
