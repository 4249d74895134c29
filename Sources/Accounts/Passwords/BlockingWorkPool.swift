import Models
import Dispatch
import Synchronization

/// Runs CPU-heavy blocking work (argon2id) on a dedicated dispatch queue instead of Swift's cooperative thread pool,
/// at most `maxConcurrent` jobs at a time, so a burst of log-ins cannot starve ingestion or the event loops.
/// Callers beyond the cap wait in FIFO order; when `maxWaiting` are already waiting, new callers get `RATE_LIMITED`.
public final class BlockingWorkPool: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var running = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    /// Most jobs running at once.
    public let maxConcurrent: Int
    /// Most callers waiting for a slot before new ones are refused.
    public let maxWaiting: Int
    private let queue: DispatchQueue
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maxConcurrent: jobs running at once (default 2).
    ///   - maxWaiting: callers allowed to wait for a slot (default 64); more get `RATE_LIMITED`.
    public init(maxConcurrent: Int = 2, maxWaiting: Int = 64, label: String = "insightvault.password-hashing") {
        precondition(maxConcurrent > 0 && maxWaiting >= 0, "BlockingWorkPool needs maxConcurrent > 0 and maxWaiting >= 0")
        self.maxConcurrent = maxConcurrent
        self.maxWaiting = maxWaiting
        self.queue = DispatchQueue(label: label, attributes: .concurrent)
    }

    /// Runs `work` on the pool's queue once a slot is free and returns its result.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Jobs currently running and callers waiting (for tests and metrics).
    public var load: (running: Int, waiting: Int) {
        state.withLock { ($0.running, $0.waiters.count) }
    }

    private func acquire() async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Cancellation sets the flag before running `onCancel`, and both sides take the lock: either we see the
                // flag here, or `onCancel` finds the waiter we append.
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.running < maxConcurrent {
                        state.running += 1
                        return .success(())
                    }
                    if state.waiters.count >= maxWaiting {
                        return .failure(ServiceError(.rateLimited, "too many log-ins in progress; retry shortly", retryAfter: 1))
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func release() {
        let next = state.withLock { state -> Waiter? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }  // the slot passes to the next waiter
            state.running -= 1
            return nil
        }
        next?.continuation.resume()
    }
}
