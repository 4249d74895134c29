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
        let older = Array(try TestDatabase.migrationFiles().dropLast())
        let error = await #expect(throws: StorageError.self) {
            try await Migrator(files: older, logger: database.logger).migrate(url: database.owner)
        }
        #expect(error?.code == .unknownAppliedMigration)
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
