import App
import Foundation
import Logging
import Storage
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded cluster's data directory: private to its owner, with its secrets in 0600 files.
@Suite struct DataDirectoryTests {
    static func mode(_ path: String) -> (mode: mode_t, group: gid_t) {
        var info = stat()
        #expect(stat(path, &info) == 0, "stat \(path)")
        return (info.st_mode & 0o7777, info.st_gid)
    }

    static func cluster(_ directory: String) throws -> EmbeddedPostgres {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        var config = try AppConfig(values: ["IV_DATA_DIR": directory])
        config.port = 0
        return DatabaseEndpoints.embeddedCluster(config: config, logger: logger)
    }

    /// 0700, or 0710 with the PostgreSQL OS user's group when running as root.
    static var expectedDirectoryMode: mode_t { geteuid() == 0 ? 0o710 : 0o700 }

    @Test func aNewClusterKeepsItsSecretsPrivate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iv-data-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = try Self.cluster(directory)
        try await cluster.initializeIfNeeded()
        #expect(Self.mode(directory).mode == Self.expectedDirectoryMode)
        if geteuid() == 0, let postgres = getpwnam("postgres") {
            #expect(Self.mode(directory).group == postgres.pointee.pw_gid)
        }
        #expect(Self.mode(directory + "/secrets.json").mode == 0o600)
        #expect(Self.mode(directory + "/pgdata").mode & 0o077 == 0)
        // The password file initdb read is gone, and no temporary file is left.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(names == ["pgdata", "secrets.json"])
        // The passwords in use are the ones stored.
        let stored = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/secrets.json")))
        #expect((stored as? [String: String])?["appPassword"]?.count == 48)
    }

    @Test func anOpenDataDirectoryIsTightenedAndAnOpenSecretsFileRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iv-data-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        chmod(directory, 0o755)
        let secrets = #"{"superuserPassword":"a","ownerPassword":"b","appPassword":"c"}"#
        FileManager.default.createFile(atPath: directory + "/secrets.json", contents: Data(secrets.utf8))
        chmod(directory + "/secrets.json", 0o644)

        let cluster = try Self.cluster(directory)
        try cluster.prepareDataDirectory()
        #expect(Self.mode(directory).mode == Self.expectedDirectoryMode)
        do {
            _ = try cluster.superuserURL()
            Issue.record("read a world-readable secrets.json")
        } catch let error as StorageError {
            #expect(error.code == .dataDirectory)
            #expect(error.message.contains("chmod 600"), "\(error.message)")
        }
        // Once its owner fixed it, it is read (and the cluster, never started, has no port yet).
        chmod(directory + "/secrets.json", 0o600)
        do {
            _ = try cluster.superuserURL()
            Issue.record("a never started cluster has a port")
        } catch let error as StorageError {
            #expect(error.code == .embeddedPostgres, "\(error.message)")
        }
    }
}
