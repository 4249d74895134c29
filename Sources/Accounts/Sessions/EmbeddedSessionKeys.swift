import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Embedded mode's session key: generated once and kept in `<directory>/jwt-keys.json` (mode 0600), reused on
/// restart so sessions survive it. Several processes starting at once end up with the same key.
public enum EmbeddedSessionKeys {
    /// The key file's name inside the data directory.
    public static let fileName = "jwt-keys.json"

    private struct File: Codable {
        var kid: String
        var secret: String
    }

    /// The key stored in `directory`, creating the directory (0700) and the file (0600) on first use.
    /// Refuses a key file readable by group or others.
    public static func loadOrCreate(directory: String) throws -> SessionKey {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (directory as NSString).appendingPathComponent(fileName)
        if let existing = try load(path: path) { return existing }
        let key = SessionKey.random(id: "embedded-" + UUID().uuidString.prefix(8).lowercased())
        let data = try JSONEncoder().encode(File(kid: key.id, secret: key.base64Secret))
        // Write a private temporary file completely, then link it into place: link(2) never overwrites, so a
        // concurrent starter either wins or reads the winner's complete file.
        let temporary = path + ".\(getpid()).\(UUID().uuidString.prefix(8)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw SessionKeyError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0 else { throw SessionKeyError("cannot write \(temporary)") }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw SessionKeyError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        guard let stored = try load(path: path) else { throw SessionKeyError("\(path) vanished while starting") }
        return stored
    }

    private static func load(path: String) throws -> SessionKey? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw SessionKeyError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SessionKeyError("\(path) is readable by other users; run `chmod 600 \(path)`")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let file = try? JSONDecoder().decode(File.self, from: data) else {
            throw SessionKeyError("\(path) is not a valid key file; delete it to generate a new key (this ends all sessions)")
        }
        return try SessionKey(id: file.kid, base64Secret: file.secret)
    }
}
