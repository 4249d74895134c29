import Foundation
import Storage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Secret files are 0600 from their first byte and replaced atomically; private directories are 0700.
@Suite struct PrivateFilesTests {
    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("iv-private-\(UUID())").path
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        #expect(stat(path, &info) == 0, "stat \(path)")
        return info.st_mode & 0o7777
    }

    @Test func writesFilesOnlyTheOwnerCanReadAndReplacesThemWhole() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try PrivateFiles.prepareDirectory(directory)
        let path = directory + "/secret.json"

        #expect(try PrivateFiles.write(Data("one".utf8), to: path))
        #expect(Self.mode(path) == 0o600)
        #expect(try PrivateFiles.read(path) == Data("one".utf8))

        #expect(try PrivateFiles.write(Data("two".utf8), to: path))
        #expect(try PrivateFiles.read(path) == Data("two".utf8))
        #expect(Self.mode(path) == 0o600)

        // Without replacing, an existing file wins and is left as it is.
        #expect(try PrivateFiles.write(Data("three".utf8), to: path, replacing: false) == false)
        #expect(try PrivateFiles.read(path) == Data("two".utf8))
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["secret.json"])
    }

    @Test func refusesASecretFileOthersCanRead() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try PrivateFiles.prepareDirectory(directory)
        let path = directory + "/secret.json"
        #expect(try PrivateFiles.read(path) == nil)
        try PrivateFiles.write(Data("x".utf8), to: path)
        for mode: mode_t in [0o644, 0o640, 0o604, 0o620] {
            chmod(path, mode)
            do {
                _ = try PrivateFiles.read(path)
                Issue.record("read a secret file of mode \(String(mode, radix: 8))")
            } catch let error as StorageError {
                #expect(error.code == .dataDirectory)
                #expect(error.message.contains("chmod 600"), "\(error.message)")
            }
        }
        chmod(path, 0o400)
        #expect(try PrivateFiles.read(path) == Data("x".utf8))
    }

    @Test func createsDirectoriesPrivateAndTightensOpenOnes() throws {
        let parent = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let directory = parent + "/nested/data"
        #expect(try PrivateFiles.prepareDirectory(directory) == nil)
        #expect(Self.mode(directory) == 0o700)

        // An existing directory open to others (as earlier versions left the data directory) is tightened.
        for open: mode_t in [0o755, 0o711, 0o777, 0o750] {
            chmod(directory, open)
            #expect(try PrivateFiles.prepareDirectory(directory) == open)
            #expect(Self.mode(directory) == 0o700)
        }
        // Group search for the embedded cluster's OS user, and kept by callers that leave it as it is.
        let group = getgid()
        #expect(try PrivateFiles.prepareDirectory(directory, groupSearch: .granted(group)) == nil)
        #expect(Self.mode(directory) == 0o710)
        #expect(try PrivateFiles.prepareDirectory(directory, groupSearch: .unchanged) == nil)
        #expect(Self.mode(directory) == 0o710)
        chmod(directory, 0o711)
        #expect(try PrivateFiles.prepareDirectory(directory, groupSearch: .unchanged) == 0o711)
        #expect(Self.mode(directory) == 0o710)
        chmod(directory, 0o775)
        #expect(try PrivateFiles.prepareDirectory(directory, groupSearch: .unchanged) == 0o775)
        #expect(Self.mode(directory) == 0o700)
        chmod(directory, 0o710)
        #expect(try PrivateFiles.prepareDirectory(directory) == 0o710)
        #expect(Self.mode(directory) == 0o700)

        // A file where the directory should be is refused.
        let file = parent + "/file"
        FileManager.default.createFile(atPath: file, contents: Data())
        #expect(throws: StorageError.self) { try PrivateFiles.prepareDirectory(file) }
    }
}
