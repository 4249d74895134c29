import Accounts
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Where embedded mode keeps its session key: a private directory, a 0600 file.
@Suite struct EmbeddedSessionKeysFileTests {
    static func mode(_ path: String) -> mode_t {
        var info = stat()
        #expect(stat(path, &info) == 0, "stat \(path)")
        return info.st_mode & 0o7777
    }

    @Test func theKeyDirectoryIsPrivateAndAnOpenOneIsTightened() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("iv-keys-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = parent + "/data"
        let key = try EmbeddedSessionKeys.loadOrCreate(directory: directory)
        #expect(Self.mode(directory) == 0o700)
        #expect(Self.mode(directory + "/" + EmbeddedSessionKeys.fileName) == 0o600)

        chmod(directory, 0o755)
        #expect(try EmbeddedSessionKeys.loadOrCreate(directory: directory) == key)
        #expect(Self.mode(directory) == 0o700)
    }
}
