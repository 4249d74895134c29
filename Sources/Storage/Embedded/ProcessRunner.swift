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
    /// Output goes through a temporary file rather than a pipe: `pg_ctl start` leaves a server running that could
    /// otherwise hold the pipe open.
    static func run(_ executable: String, _ arguments: [String], asUser user: String?) async throws -> Outcome {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        environment.removeValue(forKey: "PGDATA")
        process.environment = environment

        let outputPath = NSTemporaryDirectory() + "iv-proc-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: outputPath, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice

        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? handle.close()
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Outcome(status: status, output: output)
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
