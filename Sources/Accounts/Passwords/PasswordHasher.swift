import CArgon2
import Foundation

/// Hashes and verifies passwords with argon2id (libargon2), storing PHC strings such as
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`. Defaults follow OWASP: 19 MiB, 2 iterations, 1 lane.
public struct PasswordHasher: Sendable {
    /// argon2id cost parameters.
    public struct Parameters: Sendable, Equatable {
        /// Memory in KiB.
        public var memoryKiB: UInt32
        /// Number of passes.
        public var iterations: UInt32
        /// Lanes.
        public var parallelism: UInt32

        /// OWASP's recommended minimum for argon2id.
        public static let owasp = Parameters(memoryKiB: 19_456, iterations: 2, parallelism: 1)

        /// Creates a parameter set.
        public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32) {
            self.memoryKiB = memoryKiB
            self.iterations = iterations
            self.parallelism = parallelism
        }
    }

    /// Errors from hashing; `code` is stable.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// `PASSWORD_TOO_SHORT`, `PASSWORD_TOO_LONG` or `HASH_FAILED`.
        public let code: String
        /// Human-readable reason.
        public let message: String
        /// `CODE: message`, for logs.
        public var description: String { "\(code): \(message)" }
    }

    /// Shortest accepted password, in characters.
    public static let minimumLength = 10
    /// Longest accepted password, in UTF-8 bytes.
    public static let maximumBytes = 1_024

    /// Parameters used for new hashes.
    public let parameters: Parameters

    /// A hasher producing hashes with `parameters`.
    public init(parameters: Parameters = .owasp) {
        self.parameters = parameters
    }

    /// Refuses passwords shorter than 10 characters or longer than 1 KB.
    public static func validate(_ password: String) throws {
        if password.count < minimumLength {
            throw Failure(code: "PASSWORD_TOO_SHORT", message: "password must be at least \(minimumLength) characters")
        }
        if password.utf8.count > maximumBytes {
            throw Failure(code: "PASSWORD_TOO_LONG", message: "password must be at most \(maximumBytes) bytes")
        }
    }

    /// A PHC-encoded argon2id hash of `password` with a fresh 16-byte random salt.
    public func hash(_ password: String) throws -> String {
        try Self.validate(password)
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let hashLength = 32
        let encodedLength = argon2_encodedlen(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism, UInt32(salt.count), UInt32(hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: encodedLength)
        let password = Array(password.utf8)
        let result = argon2id_hash_encoded(
            parameters.iterations, parameters.memoryKiB, parameters.parallelism,
            password, password.count, salt, salt.count, hashLength, &encoded, encodedLength)
        guard result == ARGON2_OK.rawValue else {
            throw Failure(code: "HASH_FAILED", message: String(cString: argon2_error_message(result)))
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `true` when `password` matches the PHC string `encoded`. libargon2 compares in constant time.
    public func verify(_ password: String, against encoded: String) -> Bool {
        let password = Array(password.utf8)
        guard password.count <= Self.maximumBytes else { return false }
        return argon2id_verify(encoded, password, password.count) == ARGON2_OK.rawValue
    }

    /// `true` when `encoded` was made with other parameters than this hasher's, so it should be re-hashed at log-in.
    public func needsRehash(_ encoded: String) -> Bool {
        let expected = "$argon2id$v=19$m=\(parameters.memoryKiB),t=\(parameters.iterations),p=\(parameters.parallelism)$"
        return !encoded.hasPrefix(expected)
    }
}
