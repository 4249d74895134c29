import Models

/// An error raised by the storage layer. `code` is stable and safe to show; `message` explains it to a human.
public struct StorageError: CodedError, CustomStringConvertible, Equatable {
    /// Stable machine-readable error codes. New codes may be added.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's text, e.g. `MIGRATION_CHECKSUM_MISMATCH`.
        public let rawValue: String
        /// Wraps a code's text.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's text.
        public var description: String { rawValue }

        /// `DATABASE_URL` (or another connection string) cannot be parsed.
        public static let invalidDatabaseURL = Code(rawValue: "INVALID_DATABASE_URL")
        /// A migration file is malformed or misnamed.
        public static let invalidMigration = Code(rawValue: "INVALID_MIGRATION")
        /// An already-applied migration file was edited.
        public static let migrationChecksumMismatch = Code(rawValue: "MIGRATION_CHECKSUM_MISMATCH")
        /// The database has a migration this build does not know (it is older than the schema).
        public static let unknownAppliedMigration = Code(rawValue: "UNKNOWN_APPLIED_MIGRATION")
        /// Applying a migration failed; the migration was rolled back.
        public static let migrationFailed = Code(rawValue: "MIGRATION_FAILED")
        /// The embedded PostgreSQL cluster could not be created, started or stopped.
        public static let embeddedPostgres = Code(rawValue: "EMBEDDED_POSTGRES")
        /// The data directory or a secret file in it cannot be created, read or kept private to its owner.
        public static let dataDirectory = Code(rawValue: "DATA_DIRECTORY")
        /// The application role has rights it must not have (superuser, BYPASSRLS or table owner).
        public static let unsafeAppRole = Code(rawValue: "UNSAFE_APP_ROLE")
        /// The database did not answer in time.
        public static let timeout = Code(rawValue: "DATABASE_TIMEOUT")
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// A human-readable explanation, including what to do about it where possible.
    public var message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `CODE: message`, for logs.
    public var description: String { "\(code): \(message)" }
    /// The code's text.
    public var codeText: String { code.rawValue }
    /// Storage errors concern the operation as a whole.
    public var details: [ErrorDetail] { [] }
}
