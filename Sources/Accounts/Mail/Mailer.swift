import Foundation
import Logging
import ServiceLifecycle

/// One plain-text email.
public struct MailMessage: Sendable, Equatable {
    /// The recipient's address.
    public var to: String
    /// The subject line.
    public var subject: String
    /// The text body (lines joined with `\n`; the SMTP client writes CRLF).
    public var body: String

    /// Creates a message.
    public init(to: String, subject: String, body: String) {
        self.to = to
        self.subject = subject
        self.body = body
    }
}

/// Where the account services hand the mail they send. `submit` never waits for delivery and never fails: mail goes
/// out after the request's transaction committed, and a failed delivery is logged, never reported to the request.
public protocol Mailer: Sendable {
    /// Queues `message` for delivery.
    func submit(_ message: MailMessage)
}

/// Something that delivers one message now (the SMTP client), for `MailOutbox`.
public protocol MailTransport: Sendable {
    /// Delivers `message`; throws when the server refuses it or cannot be reached in time.
    func deliver(_ message: MailMessage) async throws
}

/// The outgoing mail queue: a lifecycle service that delivers queued messages one after another through its
/// transport. The queue holds at most `capacity` messages; beyond that a message is dropped and logged (an SMTP
/// server that is down must not make the server's memory grow). Logs name the recipient's domain and the subject,
/// never the body (it holds the link's secret).
public final class MailOutbox: Mailer, Service {
    /// Default queue bound.
    public static let defaultCapacity = 1_000

    private let transport: any MailTransport
    private let logger: Logger
    private let stream: AsyncStream<MailMessage>
    private let continuation: AsyncStream<MailMessage>.Continuation

    /// A queue of at most `capacity` messages delivered through `transport`.
    public init(transport: any MailTransport, capacity: Int = MailOutbox.defaultCapacity, logger: Logger) {
        self.transport = transport
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: MailMessage.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Queues `message`; drops it (logged) when the queue is full or the service has stopped.
    public func submit(_ message: MailMessage) {
        switch continuation.yield(message) {
        case .enqueued: break
        case .dropped, .terminated:
            logger.error("mail dropped: the outgoing queue is full or stopped", metadata: Self.metadata(message))
        @unknown default: break
        }
    }

    /// Delivers queued messages until graceful shutdown. What is queued then is still delivered for at most
    /// `shutdownGrace` (an SMTP server that is down must not hold the shutdown up); the rest is dropped and logged.
    public func run() async throws {
        await withGracefulShutdownHandler {
            var drainDeadline: ContinuousClock.Instant?
            for await message in stream {
                if Task.isShuttingDownGracefully {
                    let deadline = drainDeadline ?? ContinuousClock.now + Self.shutdownGrace
                    drainDeadline = deadline
                    if ContinuousClock.now >= deadline {
                        logger.error("mail dropped: the server is stopping", metadata: Self.metadata(message))
                        continue
                    }
                }
                do {
                    try await transport.deliver(message)
                    logger.info("mail sent", metadata: Self.metadata(message))
                } catch {
                    logger.error("mail not sent", metadata: Self.metadata(message).merging(["error": "\(error)"]) { $1 })
                }
            }
        } onGracefulShutdown: { [continuation] in
            continuation.finish()
        }
    }

    /// How long queued mail is still delivered after shutdown began.
    public static let shutdownGrace: Duration = .seconds(10)

    private static func metadata(_ message: MailMessage) -> Logger.Metadata {
        ["to_domain": "\(message.to.split(separator: "@").last ?? "")", "subject": "\(message.subject)"]
    }
}
