import Foundation
import Storage

/// Embedded mode's session key: generated once and kept in `<directory>/jwt-keys.json` (mode 0600), reused on
/// restart so sessions survive it. Several processes starting at once end up with the same key.
public enum EmbeddedSessionKeys {
    /// The key file's name inside the data directory.
    public static let fileName = "jwt-keys.json"

    private struct File: Codable {
        var kid: String
        var secret: String
    }

    /// The key stored in `directory`, creating the directory (0700) and the file (0600, atomically: see
    /// `PrivateFiles`) on first use. Refuses a key file readable by group or others; tightens a directory open to them.
    public static func loadOrCreate(directory: String) throws -> SessionKey {
        do {
            try PrivateFiles.prepareDirectory(directory, groupSearch: .unchanged)
            let path = (directory as NSString).appendingPathComponent(fileName)
            if let existing = try load(path: path) { return existing }
            let key = SessionKey.random(id: "embedded-" + UUID().uuidString.prefix(8).lowercased())
            let data = try JSONEncoder().encode(File(kid: key.id, secret: key.base64Secret))
            // Never replaces a file: a concurrent starter either wins or reads the winner's complete file.
            try PrivateFiles.write(data, to: path, replacing: false)
            guard let stored = try load(path: path) else { throw SessionKeyError("\(path) vanished while starting") }
            return stored
        } catch let error as StorageError {
            throw SessionKeyError(error.message)
        }
    }

    private static func load(path: String) throws -> SessionKey? {
        guard let data = try PrivateFiles.read(path) else { return nil }
        guard let file = try? JSONDecoder().decode(File.self, from: data) else {
            throw SessionKeyError("\(path) is not a valid key file; delete it to generate a new key (this ends all sessions)")
        }
        return try SessionKey(id: file.kid, base64Secret: file.secret)
    }
}
