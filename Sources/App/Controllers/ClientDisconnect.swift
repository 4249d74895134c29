import Foundation
import NIOCore

/// Cancels a request's work when its client goes away. Hummingbird keeps running a handler after the client closed
/// its connection, so a report whose client gave up would hold a report slot and a database connection until it
/// ends. `cancelling` runs the work in a task and cancels it when the connection's input closes (the client shut
/// its side or the whole socket) or the connection ends; the database layer then cancels the running statement.
/// Like Go's `net/http`, a client that half-closes its socket after sending the request counts as gone.
enum ClientDisconnect {
    /// Runs `body`, cancelled when the client of `channel` disconnects first; without a channel, just `body`.
    static func cancelling<T: Sendable>(
        on channel: (any Channel)?, _ body: @escaping @Sendable () async -> T
    ) async -> T {
        guard let channel else { return await body() }
        let task = Task { await body() }
        let name = "insightvault-disconnect-\(UUID().uuidString)"
        do {
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    DisconnectHandler(onDisconnect: { task.cancel() }), name: name, position: .first)
            }.get()
        } catch {
            task.cancel()  // the connection is already gone
        }
        let result = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        channel.pipeline.removeHandler(name: name, promise: nil)
        return result
    }
}

/// Calls `onDisconnect` when the connection's input closes or the connection ends; passes everything on.
private final class DisconnectHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let onDisconnect: @Sendable () -> Void

    init(onDisconnect: @escaping @Sendable () -> Void) {
        self.onDisconnect = onDisconnect
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .some(.inputClosed) = event as? ChannelEvent { onDisconnect() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        onDisconnect()
        context.fireChannelInactive()
    }
}
