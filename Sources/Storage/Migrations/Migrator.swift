import Foundation
import Logging
import PostgresNIO

/// One numbered, forward-only SQL migration file (`migrations/0003_events.sql`).
public struct MigrationFile: Sendable, Equatable {
    /// The number the file name starts with; migrations apply in ascending order.
    public let version: Int
    /// The file name without the number and extension, e.g. `events`.
    public let name: String
    /// The file's SQL text.
    public let sql: String
    /// Whether binaries built before this migration keep working with it applied (an "expand" step: it only adds
    /// what they ignore). Declared by the line `-- older-binaries: compatible` among the file's leading comment lines;
    /// without it a migration is incompatible, and older binaries stop serving once it is applied (docs/operations.md,
    /// "Writing migrations").
    public let compatibleWithOlderBinaries: Bool

    /// Creates a migration from its parts; its compatibility comes from the header of `sql`.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.compatibleWithOlderBinaries = Self.declaresCompatible(sql)
    }

    /// Whether the leading comment lines of `sql` hold `-- older-binaries: compatible`.
    static func declaresCompatible(_ sql: String) -> Bool {
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard text.hasPrefix("--") else { return false }
            let comment = text.dropFirst(2).trimmingCharacters(in: .whitespaces).lowercased()
            if comment == "older-binaries: compatible" { return true }
        }
        return false
    }

    /// The file name this migration was read from.
    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

/// The result of comparing the migration files with what the database has recorded.
public struct MigrationStatus: Sendable, Equatable {
    /// Versions recorded in `schema_migrations`.
    public var applied: [Int]
    /// Versions of files not yet applied.
    public var pending: [Int]
    /// Applied versions this build does not know (a newer build applied them).
    public var newer: [Int] = []
    /// Those of `newer` that were not declared compatible with older binaries: this build must not serve.
    public var incompatible: [Int] = []
    /// `true` when every file is applied and nothing applied forbids this build to serve.
    public var isCurrent: Bool { pending.isEmpty && incompatible.isEmpty }

    /// Why this build cannot serve on this schema, or nil when it can.
    public var refusal: String? {
        if !incompatible.isEmpty {
            return "the database has migrations \(incompatible) applied, which this build cannot work with; run a newer insightvault"
        }
        if !pending.isEmpty { return "pending migrations: \(pending)" }
        return nil
    }
}

/// Applies migration files in order, each in its own transaction, recording each with a checksum in
/// `schema_migrations`. Concurrent runs (several pods starting) are serialised with an advisory lock; an applied
/// file whose text changed is refused.
public struct Migrator: Sendable {
    /// Advisory lock key shared by every InsightVault process ("IVMIGR" in ASCII).
    public static let advisoryLockKey: Int64 = 0x4956_4D49_4752

    /// The migrations this build knows, ascending by version.
    public let files: [MigrationFile]
    let logger: Logger

    /// A migrator for the given files (sorted here).
    public init(files: [MigrationFile], logger: Logger) {
        self.files = files.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Reads `NNNN_name.sql` files from `directory`. Throws `INVALID_MIGRATION` for other `.sql` names or
    /// duplicate numbers, and when the directory holds no migrations at all.
    public static func loadFiles(from directory: String) throws -> [MigrationFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw StorageError(.invalidMigration, "cannot read migrations directory '\(directory)': \(error.localizedDescription)")
        }
        var files: [MigrationFile] = []
        for fileName in names.sorted() where fileName.hasSuffix(".sql") {
            let stem = fileName.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]),
                stem[..<underscore].count == 4, version > 0
            else {
                throw StorageError(.invalidMigration, "migration file '\(fileName)' must be named NNNN_description.sql")
            }
            if let existing = files.first(where: { $0.version == version }) {
                throw StorageError(.invalidMigration, "migrations '\(existing.fileName)' and '\(fileName)' share number \(version)")
            }
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path), let sql = String(data: data, encoding: .utf8) else {
                throw StorageError(.invalidMigration, "cannot read migration '\(path)' as UTF-8")
            }
            files.append(MigrationFile(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        guard !files.isEmpty else {
            throw StorageError(.invalidMigration, "no migrations found in '\(directory)'")
        }
        return files.sorted { $0.version < $1.version }
    }

    /// Applies every pending migration and returns the ones it applied (empty when the schema was current).
    /// Runs as the owner role, on one connection that holds the migration advisory lock throughout.
    @discardableResult
    public func migrate(on connection: PostgresConnection) async throws -> [MigrationFile] {
        try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
        do {
            let applied = try await applyPending(on: connection)
            try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
            return applied
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
            throw error
        }
    }

    /// Connects to `url` (the owner role), applies pending migrations and disconnects.
    @discardableResult
    public func migrate(url: DatabaseURL) async throws -> [MigrationFile] {
        try await url.withConnection(logger: logger) { try await migrate(on: $0) }
    }

    /// Which known migrations are applied and which are pending. Needs only SELECT on `schema_migrations`, so the
    /// application role can call it (the readiness check does).
    public func status(client: PostgresClient) async throws -> MigrationStatus {
        try await client.withConnection { try await status(on: $0) }
    }

    /// As `status(client:)`, on one connection.
    public func status(on connection: PostgresConnection) async throws -> MigrationStatus {
        status(of: try await recorded(on: connection))
    }

    /// This build's files against what `schema_migrations` records (`recorded`).
    private func status(of recorded: [Int: (checksum: String, compatible: Bool)]) -> MigrationStatus {
        let applied = recorded.keys.sorted()
        let newer = applied.filter { version in !files.contains { $0.version == version } }
        return MigrationStatus(
            applied: applied, pending: files.map(\.version).filter { recorded[$0] == nil }, newer: newer,
            incompatible: newer.filter { recorded[$0]?.compatible != true })
    }

    /// What `schema_migrations` records: checksum and declared compatibility by version (none before the first
    /// migration). Rows written before compatibility was recorded count as incompatible.
    private func recorded(on connection: PostgresConnection) async throws -> [Int: (checksum: String, compatible: Bool)] {
        let exists =
            try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        guard exists else { return [:] }
        var recorded: [Int: (checksum: String, compatible: Bool)] = [:]
        // to_jsonb reads the column whether or not this database has it yet.
        let rows = try await connection.query(
            "SELECT version, checksum, coalesce((to_jsonb(m) ->> 'older_compatible')::boolean, false) FROM schema_migrations m",
            logger: logger)
        for try await (version, checksum, compatible) in rows.decode((Int, String, Bool).self) {
            recorded[version] = (checksum, compatible)
        }
        return recorded
    }

    private func applyPending(on connection: PostgresConnection) async throws -> [MigrationFile] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        // Added once, by the first build that records compatibility; checked first so that a current table is not
        // locked by an ALTER on every start.
        let hasColumn =
            try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM information_schema.columns
                               WHERE table_name = 'schema_migrations' AND column_name = 'older_compatible')
                """, logger: logger
            ).collect().first?.decode(Bool.self) ?? false
        if !hasColumn {
            try await connection.query(
                "ALTER TABLE schema_migrations ADD COLUMN older_compatible boolean NOT NULL DEFAULT false", logger: logger)
        }
        let recorded = try await recorded(on: connection)
        let status = status(of: recorded)
        if let unknown = status.incompatible.first {
            throw StorageError(
                .unknownAppliedMigration,
                "the database has migration \(unknown) applied, which this build does not know and cannot work with; "
                    + "run a newer insightvault")
        }
        if let newest = status.newer.last {
            // A newer build expanded the schema; this one may serve, but it must not apply its own pending files
            // after the newer ones (they would run out of order).
            if let pending = files.first(where: { status.pending.contains($0.version) }) {
                throw StorageError(
                    .unknownAppliedMigration,
                    "migration \(pending.fileName) is not applied but newer migration \(newest) is; run a newer insightvault")
            }
            logger.info("the database has newer migrations, compatible with this build", metadata: ["migrations": "\(status.newer)"])
            return []
        }

        var applied: [MigrationFile] = []
        for file in files {
            let checksum = try await Self.checksum(of: file.sql, on: connection, logger: logger)
            if let existing = recorded[file.version]?.checksum {
                guard existing == checksum else {
                    throw StorageError(
                        .migrationChecksumMismatch,
                        "migration \(file.fileName) was changed after it was applied (recorded sha256 \(existing.prefix(12))…, "
                            + "file has \(checksum.prefix(12))…); migrations are forward-only: restore the file and add a new one")
                }
                continue
            }
            try await apply(file, checksum: checksum, on: connection)
            applied.append(file)
        }
        return applied
    }

    private func apply(_ file: MigrationFile, checksum: String, on connection: PostgresConnection) async throws {
        logger.info("applying migration", metadata: ["migration": "\(file.fileName)"])
        do {
            try await Database.inTransaction(on: connection, logger: logger) {
                for statement in SQLSplitter.split(file.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum, older_compatible)
                    VALUES (\(file.version), \(file.name), \(checksum), \(file.compatibleWithOlderBinaries))
                    """, logger: logger)
            }
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? String(reflecting: error)
            throw StorageError(.migrationFailed, "migration \(file.fileName) failed and was rolled back: \(reason)")
        }
    }

    /// Hex SHA-256 of a migration's text, computed by PostgreSQL so the binary needs no crypto library for it.
    static func checksum(of sql: String, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let rows = try await connection.query("SELECT encode(sha256(convert_to(\(sql), 'UTF8')), 'hex')", logger: logger)
        guard let checksum = try await rows.collect().first?.decode(String.self) else {
            throw StorageError(.migrationFailed, "could not compute a checksum")
        }
        return checksum
    }
}
