import Foundation
import PostgresNIO
import Storage
import TestSupport
import Testing

@Suite struct MigratorTests {
    @Test func appliesEveryMigrationToAnEmptyDatabaseThenIsANoOp() async throws {
        let database = try await TestDatabase.create(migrate: false)
        let migrator = Migrator(files: try TestDatabase.migrationFiles(), logger: database.logger)
        let first = try await migrator.migrate(url: database.owner)
        #expect(first.map(\.version) == migrator.files.map(\.version))
        let second = try await migrator.migrate(url: database.owner)
        #expect(second.isEmpty)
        let status = try await database.owner.withConnection(logger: database.logger) { try await migrator.status(on: $0) }
        #expect(status.isCurrent)
        #expect(status.applied == migrator.files.map(\.version))
        let tables = try await database.asOwner("SELECT to_regclass('events') IS NOT NULL AND to_regclass('api_tokens') IS NOT NULL")
        #expect(try tables.first?.decode(Bool.self) == true)
    }

    @Test func refusesAnEditedAppliedMigration() async throws {
        let database = try await TestDatabase.create()
        var files = try TestDatabase.migrationFiles()
        files[1] = MigrationFile(version: files[1].version, name: files[1].name, sql: files[1].sql + "\n-- edited\n")
        let error = await #expect(throws: StorageError.self) {
            try await Migrator(files: files, logger: database.logger).migrate(url: database.owner)
        }
        #expect(error?.code == .migrationChecksumMismatch)
        #expect(error?.message.contains(files[1].fileName) == true)
    }

    @Test func aFailingMigrationIsRolledBackWhole() async throws {
        let database = try await TestDatabase.create()
        let broken = MigrationFile(version: 9_999, name: "broken", sql: "CREATE TABLE half_written (x int);\nSELECT 1/0;")
        let error = await #expect(throws: StorageError.self) {
            try await Migrator(files: try TestDatabase.migrationFiles() + [broken], logger: database.logger).migrate(url: database.owner)
        }
        #expect(error?.code == .migrationFailed)
        let rows = try await database.asOwner(
            "SELECT to_regclass('half_written') IS NULL, NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = 9999)")
        let rowsValues = try #require(rows.first).decode((Bool, Bool).self)
        #expect(rowsValues == (true, true))
    }

    @Test func refusesADatabaseNewerThanTheBuild() async throws {
        let database = try await TestDatabase.create()
        let current = try TestDatabase.migrationFiles()
        // A later build's contract step (no compatibility line) is applied; this build's files do not know it.
        let contract = MigrationFile(version: current.last!.version + 1, name: "contract", sql: "CREATE TABLE later_build (x int);")
        try await Migrator(files: current + [contract], logger: database.logger).migrate(url: database.owner)
        let error = await #expect(throws: StorageError.self) {
            try await Migrator(files: current, logger: database.logger).migrate(url: database.owner)
        }
        #expect(error?.code == .unknownAppliedMigration)
    }

    @Test func anOlderBuildServesAfterACompatibleMigrationAndRefusesAfterAnIncompatibleOne() async throws {
        let database = try await TestDatabase.create()
        let current = try TestDatabase.migrationFiles()
        let next = current.last!.version + 1
        let expand = MigrationFile(
            version: next, name: "expand",
            sql: "-- Adds a column older builds ignore.\n-- older-binaries: compatible\nALTER TABLE projects ADD COLUMN probe text;")
        #expect(expand.compatibleWithOlderBinaries)
        let newer = Migrator(files: current + [expand], logger: database.logger)
        #expect(try await newer.migrate(url: database.owner).map(\.version) == [next])
        let older = Migrator(files: current, logger: database.logger)
        func status() async throws -> MigrationStatus {
            try await database.owner.withConnection(logger: database.logger) { try await older.status(on: $0) }
        }

        // The older build migrates nothing, starts and is ready.
        #expect(try await older.migrate(url: database.owner).isEmpty)
        var seen = try await status()
        #expect(seen.newer == [next] && seen.incompatible.isEmpty && seen.isCurrent && seen.refusal == nil)

        // A contract step (no header: incompatible) makes it refuse, and say why.
        let contract = MigrationFile(version: next + 1, name: "contract", sql: "ALTER TABLE projects DROP COLUMN probe;")
        #expect(!contract.compatibleWithOlderBinaries)
        _ = try await Migrator(files: current + [expand, contract], logger: database.logger).migrate(url: database.owner)
        seen = try await status()
        #expect(seen.newer == [next, next + 1] && seen.incompatible == [next + 1] && !seen.isCurrent)
        #expect(seen.refusal?.contains("\(next + 1)") == true)
        let error = await #expect(throws: StorageError.self) { try await older.migrate(url: database.owner) }
        #expect(error?.code == .unknownAppliedMigration)

        // The newer build itself is current.
        let newest = try await database.owner.withConnection(logger: database.logger) {
            try await Migrator(files: current + [expand, contract], logger: database.logger).status(on: $0)
        }
        #expect(newest.isCurrent && newest.newer.isEmpty)
    }

    @Test func onlyTheLeadingCommentsDeclareCompatibility() {
        #expect(MigrationFile(version: 1, name: "a", sql: "-- older-binaries: compatible\nSELECT 1;").compatibleWithOlderBinaries)
        #expect(MigrationFile(version: 1, name: "a", sql: "\n--  Older-Binaries: Compatible \nSELECT 1;").compatibleWithOlderBinaries)
        #expect(!MigrationFile(version: 1, name: "a", sql: "SELECT 1;\n-- older-binaries: compatible\n").compatibleWithOlderBinaries)
        #expect(!MigrationFile(version: 1, name: "a", sql: "-- older-binaries: incompatible\nSELECT 1;").compatibleWithOlderBinaries)
        #expect(!MigrationFile(version: 1, name: "a", sql: "SELECT 1;").compatibleWithOlderBinaries)
    }

    @Test func concurrentRunsAreSerialisedAndApplyEachMigrationOnce() async throws {
        let database = try await TestDatabase.create(migrate: false)
        let files = try TestDatabase.migrationFiles()
        let logger = database.logger
        let owner = database.owner
        let appliedCounts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { try await Migrator(files: files, logger: logger).migrate(url: owner).count }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(appliedCounts.reduce(0, +) == files.count)
        let recorded = try await database.asOwner("SELECT count(*)::int FROM schema_migrations")
        #expect(try recorded.first?.decode(Int.self) == files.count)
    }

    @Test func loadingRefusesMisnamedAndDuplicateFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iv-migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "SELECT 1;".write(to: directory.appendingPathComponent("0001_first.sql"), atomically: true, encoding: .utf8)
        try "SELECT 2;".write(to: directory.appendingPathComponent("0001_again.sql"), atomically: true, encoding: .utf8)
        #expect(throws: StorageError.self) { try Migrator.loadFiles(from: directory.path) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("0001_again.sql"))
        try "SELECT 3;".write(to: directory.appendingPathComponent("two.sql"), atomically: true, encoding: .utf8)
        #expect(throws: StorageError.self) { try Migrator.loadFiles(from: directory.path) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("two.sql"))
        #expect(try Migrator.loadFiles(from: directory.path).map(\.fileName) == ["0001_first.sql"])
    }
}
