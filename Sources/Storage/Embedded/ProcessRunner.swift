import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs short-lived helper programs (initdb, pg_ctl), optionally as another OS user via `runuser`.
enum ProcessRunner {
    /// What a finished program left behind.
    struct Outcome: Sendable {
        /// Exit status.
        var status: Int32
        /// Standard output and error, interleaved.
        var output: String
    }

    /// Runs `executable` with `arguments` and waits for it without blocking a Swift concurrency thread.
    ///
    /// Uses `posix_spawn` directly rather than Foundation's `Process`: `pg_ctl start` leaves a daemon behind, and
    /// Foundation on Linux then never reports the launcher's exit (it stays a zombie). Here the child gets
    /// /dev/null as input, a temporary file as output, and no other inherited descriptors; `waitpid` runs on a
    /// Dispatch thread.
    static func run(_ executable: String, _ arguments: [String], asUser user: String?) async throws -> Outcome {
        let argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] + arguments } ?? [executable] + arguments
        let outputPath = NSTemporaryDirectory() + "iv-proc-\(UUID().uuidString).log"
        defer { unlink(outputPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let closeFrom = Self.addCloseFrom {
            _ = closeFrom(&actions, 3)
        }

        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment.removeValue(forKey: "PGDATA")
        let envp = environment.map { "\($0.key)=\($0.value)" }

        var pid = pid_t()
        let spawned = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in posix_spawn(&pid, argv[0], &actions, nil, cArgv, cEnvp) }
        }
        guard spawned == 0 else {
            throw StorageError(.embeddedPostgres, "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        let child = pid
        let status: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var raw: Int32 = 0
                while waitpid(child, &raw, 0) < 0 && errno == EINTR {}
                // WIFEXITED / WEXITSTATUS, spelled out: the C macros are not imported.
                let exited = raw & 0x7f == 0
                continuation.resume(returning: exited ? (raw >> 8) & 0xff : 128 + (raw & 0x7f))
            }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(status: status, output: output)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time because Swift imports
    /// glibc without `_GNU_SOURCE`. It keeps descriptors such as the HTTP listener out of the PostgreSQL daemon.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}

/// Small POSIX helpers for the embedded cluster.
enum POSIX {
    /// `true` when the effective user is root.
    static var isRoot: Bool { geteuid() == 0 }

    /// The uid and gid of an OS account, or nil when it does not exist.
    static func account(_ name: String) -> (uid: uid_t, gid: gid_t)? {
        guard let entry = getpwnam(name) else { return nil }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// Changes a path's owner; throws with the errno text on failure.
    static func chown(_ path: String, to account: (uid: uid_t, gid: gid_t)) throws {
        if Glibc.chown(path, account.uid, account.gid) != 0 {
            throw StorageError(.embeddedPostgres, "cannot change the owner of \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        let port = try withBoundSocket(port: 0) { fd in
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            return Int(UInt16(bigEndian: address.sin_port))
        }
        guard let port else { throw StorageError(.embeddedPostgres, "no free TCP port on 127.0.0.1") }
        return port
    }

    /// `true` when a TCP port on 127.0.0.1 can be bound (nothing listens there).
    static func isPortFree(_ port: Int) -> Bool {
        (try? withBoundSocket(port: port) { _ in true }) ?? false
    }

    private static func withBoundSocket<T>(port: Int, _ body: (Int32) throws -> T) throws -> T? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // Like PostgreSQL's own listener: connections in TIME_WAIT after a restart must not make the port look taken.
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return nil }
        return try body(fd)
    }

    /// Random bytes from the kernel, as lowercase hex.
    static func randomHex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }
}
