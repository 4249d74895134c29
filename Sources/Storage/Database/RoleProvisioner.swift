import Logging
import PostgresNIO

/// Creates (or updates) the two database roles and the database, connected as a superuser. Used by embedded mode
/// and by the test harness; with an external `DATABASE_URL` an administrator does the same by hand (see README).
public enum RoleProvisioner {
    /// The role that owns the schema and runs migrations.
    public static let ownerRole = "insightvault_owner"
    /// The role the server connects as: not owner, not superuser, not BYPASSRLS.
    public static let appRole = "insightvault_app"

    /// Ensures both roles exist with these passwords and that `database` exists, owned by the owner role.
    /// Serialised by an advisory lock, so concurrent callers are safe.
    public static func provision(
        superuser: DatabaseURL,
        database: String,
        ownerPassword: String,
        appPassword: String,
        logger: Logger
    ) async throws {
        let lockKey: Int64 = 0x4956_524F_4C45
        try await superuser.withConnection(logger: logger) { admin in
            try await admin.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            try await ensureRole(ownerRole, password: ownerPassword, on: admin, logger: logger)
            try await ensureRole(appRole, password: appPassword, on: admin, logger: logger)
            let exists =
                try await admin.query("SELECT 1 FROM pg_database WHERE datname = \(database)", logger: logger)
                .collect().isEmpty == false
            if !exists {
                try await admin.query(
                    PostgresQuery(unsafeSQL: "CREATE DATABASE \(quoteIdentifier(database)) OWNER \(ownerRole)"), logger: logger)
            }
            try await admin.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
        }
    }

    /// Creates or updates a login role that is neither superuser nor BYPASSRLS. The password travels as a bound
    /// parameter and is quoted by PostgreSQL itself (`format('%L')`), never spliced into SQL text here.
    static func ensureRole(_ role: String, password: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT set_config('iv.role_password', \(password), false)", logger: logger)
        try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    DO $$
                    BEGIN
                        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN
                            EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD %L',
                                           '\(role)', current_setting('iv.role_password'));
                        ELSE
                            EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD %L',
                                           '\(role)', current_setting('iv.role_password'));
                        END IF;
                    END
                    $$
                    """), logger: logger)
        try await connection.query("SELECT set_config('iv.role_password', '', false)", logger: logger)
    }

    /// Double-quotes an identifier for the few DDL statements that cannot take parameters.
    static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Checks that the server's database role cannot bypass row-level security.
public enum AppRoleCheck {
    /// Throws `UNSAFE_APP_ROLE` when the connected role is a superuser, has BYPASSRLS, or owns a table in `public`.
    public static func verify(on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            SELECT r.rolname::text, r.rolsuper, r.rolbypassrls,
                   (SELECT count(*) FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = current_user)::int
            FROM pg_roles r WHERE r.rolname = current_user
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return }
        let (name, isSuper, bypassesRLS, ownedTables) = try row.decode((String, Bool, Bool, Int).self)
        if isSuper || bypassesRLS || ownedTables > 0 {
            throw StorageError(
                .unsafeAppRole,
                "the application database role '\(name)' must not be a superuser, have BYPASSRLS, or own tables "
                    + "(superuser: \(isSuper), bypassrls: \(bypassesRLS), owned tables: \(ownedTables)); "
                    + "connect the server as \(RoleProvisioner.appRole) via APP_DATABASE_URL")
        }
    }
}
