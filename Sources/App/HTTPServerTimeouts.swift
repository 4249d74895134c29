import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// The HTTP/1.1 server with its timeouts against slow and idle clients:
/// - `readTimeout` (`IV_HTTP_READ_TIMEOUT_SECONDS`): a request must arrive completely, headers and body, within this
///   time of its first byte; otherwise the connection is closed (after a `408 Request Timeout` when its headers had
///   not arrived yet and no response is being written). This ends "slowloris" clients that trickle a request in.
/// - `idleTimeout` (`IV_HTTP_IDLE_TIMEOUT_SECONDS`): a connection on which nothing is read or written for this long,
///   with no request being answered, is closed (Hummingbird's own idle timeout): idle keep-alive connections, and
///   connections that never send anything.
///
/// nil turns either off. A response that takes long (a slow report) is limited by neither: only receiving is.
func httpServer(readTimeout: TimeAmount?, idleTimeout: TimeAmount?, logger: Logger) -> HTTPServerBuilder {
    .http1(
        configuration: .init(
            additionalChannelHandlers: readTimeout.map { [RequestReadTimeoutHandler(timeout: $0, logger: logger)] } ?? [],
            idleTimeout: idleTimeout))
}

/// Closes a connection whose current request has not been received completely within `timeout` of its first byte.
///
/// It sits after the HTTP decoder, so it sees a request's head, body parts and end; the first bytes of a request whose
/// head is still incomplete show only as a read that produced no part (`channelReadComplete` without a part), which
/// starts the clock too. Event-loop bound, like every channel handler.
final class RequestReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private let logger: Logger
    /// The pending close of the request being received, if one is.
    private var deadline: Scheduled<Void>?
    /// Whether the head of the request being received has arrived.
    private var headReceived = false
    /// Whether a request ended during the current read burst (its trailing read must not start a new clock).
    private var requestEndedInThisRead = false
    /// Responses whose head has been written and whose end has not.
    private var responsesInProgress = 0

    init(timeout: TimeAmount, logger: Logger) {
        self.timeout = timeout
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            headReceived = true
            startClock(context)
        case .body:
            break
        case .end:
            stopClock()
            headReceived = false
            requestEndedInThisRead = true
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes arrived that completed no request: the first bytes of one (or more of its head or body).
        if !requestEndedInThisRead { startClock(context) }
        requestEndedInThisRead = false
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response) where response.status.kind != .informational:
            responsesInProgress += 1
        case .end:
            responsesInProgress -= 1
        default:
            break
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopClock()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopClock()
    }

    private func startClock(_ context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let loop = context.eventLoop.assumeIsolated()
        deadline = loop.scheduleTask(in: timeout) { [self] in
            deadline = nil
            timedOut(context)
        }
    }

    private func stopClock() {
        deadline?.cancel()
        deadline = nil
    }

    private func timedOut(_ context: ChannelHandlerContext) {
        logger.debug(
            "closing a connection whose request did not arrive in time",
            metadata: ["peer": "\(context.remoteAddress?.description ?? "?")", "headers_received": "\(headReceived)"])
        guard !headReceived, responsesInProgress == 0 else {
            context.close(promise: nil)
            return
        }
        // Nobody is answering on this connection: tell the client why it is closed.
        let response = HTTPResponse(status: .requestTimeout, headerFields: [.connection: "close", .contentLength: "0"])
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
