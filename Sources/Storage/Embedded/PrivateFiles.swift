import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The data directory (`.insightvault/`, `IV_DATA_DIR`) and the secrets in it: directories are 0700, files 0600.
///
/// A secret file is never written in place and never created open first and tightened afterwards: its bytes go into
/// a new file created with `O_CREAT | O_EXCL` and mode 0600 next to it, are `fsync`ed, and the file is then renamed
/// (or linked) into place, so other users never see it, not even for a moment, and a crash leaves either the old or
/// the new content. A directory found open to group or others is tightened (it holds no secret itself, and data
/// directories of earlier versions were 0711 or 0755); a secret file found readable by group or others is refused,
/// because its content may have been read: the message says what to do.
public enum PrivateFiles {
    /// Permission bits a secret file must not have.
    static let forbiddenFileBits: mode_t = 0o077

    /// Whether a private directory's group may search (enter) it; nobody but the owner ever lists or changes it.
    public enum GroupSearch: Sendable, Equatable {
        /// 0700.
        case denied
        /// 0710 with this group: how the embedded cluster's OS user reaches `pgdata/` when InsightVault runs as root.
        case granted(gid_t)
        /// 0710 stays 0710, anything more open becomes 0700: for code that does not know who runs PostgreSQL.
        case unchanged
    }

    /// Makes `path` a private directory and returns the mode it had when permissions had to be taken away (nil when
    /// it was created, or already private).
    ///
    /// A missing directory is created 0700 (its missing parents with the usual mode); an existing one must be a
    /// directory owned by this process's user, and loses every permission of others and of its group except,
    /// as `groupSearch` says, group search.
    @discardableResult
    public static func prepareDirectory(_ path: String, groupSearch: GroupSearch = .denied) throws -> mode_t? {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw failure("cannot create \(parent): \(error.localizedDescription)")
            }
        }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw failure("cannot create the directory \(path): \(lastError())")
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw failure("cannot read \(path): \(lastError())") }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw failure("\(path) is not a directory") }
        guard info.st_uid == geteuid() else {
            throw failure(
                "\(path) belongs to the OS user with uid \(info.st_uid), not to the user running InsightVault (uid "
                    + "\(geteuid())); give it to this user (chown) or set IV_DATA_DIR to a directory of its own")
        }
        let mode = info.st_mode & 0o7777
        let wanted: mode_t
        switch groupSearch {
        case .denied:
            wanted = mode & 0o700
        case .granted(let group):
            if info.st_gid != group, chown(path, info.st_uid, group) != 0 {
                throw failure("cannot give \(path) to group \(group): \(lastError())")
            }
            wanted = mode & 0o700 | 0o010
        case .unchanged:
            wanted = mode & 0o070 == 0o010 ? mode & 0o710 : mode & 0o700
        }
        guard wanted != mode else { return nil }
        guard chmod(path, wanted) == 0 else {
            throw failure("cannot restrict \(path) to its owner (chmod \(octal(wanted))): \(lastError())")
        }
        return mode & ~wanted != 0 ? mode : nil
    }

    /// Writes `data` to the secret file `path` (mode 0600) atomically: a complete file replaces the old one at once.
    ///
    /// With `replacing: false` an existing file is kept (`link(2)` never overwrites) and the result is `false`:
    /// of several processes creating the same file at once, exactly one wins and the others can read its complete
    /// content. `owner` hands the new file to another OS user (the embedded cluster's) before it becomes visible.
    @discardableResult
    public static func write(
        _ data: Data, to path: String, replacing: Bool = true, owner: (uid: uid_t, gid: gid_t)? = nil
    ) throws -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).\(UUID().uuidString.prefix(8)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot create \(temporary): \(lastError())") }
        defer { unlink(temporary) }
        do {
            defer { close(fd) }
            // The umask can only have removed bits; make it exactly 0600.
            guard fchmod(fd, 0o600) == 0 else { throw failure("cannot set the mode of \(temporary): \(lastError())") }
            if let owner, fchown(fd, owner.uid, owner.gid) != 0 {
                throw failure("cannot give \(temporary) to uid \(owner.uid): \(lastError())")
            }
            try writeAll(fd, data, path: temporary)
            guard fsync(fd) == 0 else { throw failure("cannot write \(temporary): \(lastError())") }
        }
        if replacing {
            guard rename(temporary, path) == 0 else { throw failure("cannot create \(path): \(lastError())") }
        } else if link(temporary, path) != 0 {
            guard errno == EEXIST else { throw failure("cannot create \(path): \(lastError())") }
            return false
        }
        syncDirectory(directory.isEmpty ? "." : directory)
        return true
    }

    /// The content of the secret file `path`, or nil when it does not exist. A file that group or others may read
    /// or write (or that is not a regular file) is refused with a message saying how to fix it.
    public static func read(_ path: String) throws -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("cannot read \(path): \(lastError())")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("cannot read \(path): \(lastError())") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw failure("\(path) is not a regular file") }
        let mode = info.st_mode & 0o7777
        guard mode & forbiddenFileBits == 0 else {
            throw failure(
                "\(path) holds secrets but other users may read it (mode \(octal(mode))); run `chmod 600 \(path)` "
                    + "and consider the secrets in it exposed")
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw failure("cannot read \(path): \(error.localizedDescription)")
        }
    }

    private static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write \(path): \(lastError())")
                }
                offset += written
            }
        }
    }

    /// Makes a rename or link in `directory` durable (best effort: some file systems refuse to sync directories).
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// A mode as `chmod` writes it, e.g. `0644`.
    static func octal(_ mode: mode_t) -> String { "0" + String(mode, radix: 8) }

    private static func lastError() -> String { String(cString: strerror(errno)) }

    private static func failure(_ message: String) -> StorageError { StorageError(.dataDirectory, message) }
}
