import Models
/// Password hashing and verification for the account services: argon2id (OWASP parameters by default) running on a
/// `BlockingWorkPool`, length rules reported as `BAD_USER_INPUT`, and a dummy hash so that log-ins for unknown emails
/// take as long as log-ins with a wrong password.
public struct PasswordService: Sendable {
    /// The hasher (and so the parameters) used for new hashes.
    public let hasher: PasswordHasher
    /// Where hashing runs.
    public let pool: BlockingWorkPool
    private let dummyHash: String

    /// Computes the dummy hash once (one argon2id run, on the calling thread: call at start-up).
    public init(hasher: PasswordHasher = PasswordHasher(), pool: BlockingWorkPool = BlockingWorkPool()) throws {
        self.hasher = hasher
        self.pool = pool
        self.dummyHash = try hasher.hash("insightvault timing-equaliser password")
    }

    /// Throws `BAD_USER_INPUT` for passwords shorter than 10 characters or longer than 1 KB.
    public static func validate(_ password: String) throws(ServiceError) {
        do {
            try PasswordHasher.validate(password)
        } catch let failure as PasswordHasher.Failure {
            throw ServiceError(.badUserInput, failure.message)
        } catch {
            throw ServiceError(.badUserInput, "invalid password")
        }
    }

    /// A PHC argon2id hash of a valid password.
    public func hash(_ password: String) async throws -> String {
        try Self.validate(password)
        let hasher = self.hasher
        return try await pool.run { try hasher.hash(password) }
    }

    /// Whether `password` matches `encoded`. With `encoded == nil` (unknown account) it verifies against a dummy hash
    /// of the same cost and returns `false`, so both cases take the same time.
    public func verify(_ password: String, against encoded: String?) async throws -> Bool {
        let hasher = self.hasher
        let target = encoded ?? dummyHash
        let matches = try await pool.run { hasher.verify(password, against: target) }
        return encoded != nil && matches
    }

    /// Whether `encoded` was made with other parameters than the current ones (re-hash it at the next log-in).
    public func needsRehash(_ encoded: String) -> Bool { hasher.needsRehash(encoded) }
}
