import Foundation
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the embedded cluster for the lifetime of `serve`: on SIGINT/SIGTERM (graceful shutdown) it stops the
/// cluster, if this process is the one responsible for it. Added first to the service group, so it stops last,
/// after the HTTP server and the connection pools.
public struct EmbeddedPostgresService: Service {
    /// The cluster this service looks after.
    public let cluster: EmbeddedPostgres
    /// Whether this process stops the cluster when it exits.
    public let stopOnExit: Bool

    /// - Parameter stopOnExit: whether this process owns the cluster (started it, or adopted an orphan).
    public init(cluster: EmbeddedPostgres, stopOnExit: Bool) {
        self.cluster = cluster
        self.stopOnExit = stopOnExit
    }

    /// Waits for shutdown, then stops the cluster when this process owns it.
    public func run() async throws {
        try? await gracefulShutdown()
        if stopOnExit {
            try await cluster.stop()
        }
    }
}

/// An exclusive `flock` on a file, held until `release()` or process exit (the kernel drops it even on SIGKILL).
/// `serve` holds one on `serve.lock` to know whether another `serve` already runs the embedded cluster.
public final class FileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock without waiting; nil when another process holds it.
    public static func tryAcquire(path: String) throws -> FileLock? {
        try acquire(path: path, wait: false)
    }

    /// Takes the lock, waiting for another holder to release it.
    public static func acquire(path: String) throws -> FileLock {
        guard let lock = try acquire(path: path, wait: true) else {
            throw StorageError(.embeddedPostgres, "could not lock \(path)")
        }
        return lock
    }

    private static func acquire(path: String, wait: Bool) throws -> FileLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StorageError(.embeddedPostgres, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
            close(fd)
            return nil
        }
        return FileLock(descriptor: fd)
    }

    /// Releases the lock.
    public func release() { close(descriptor) }
}
