import Accounts
import Foundation
import Synchronization

/// A `Mailer` that keeps every submitted message, for tests that read the links mails carry.
public final class RecordingMailer: Mailer {
    private let messages = Mutex<[MailMessage]>([])

    /// An empty mailbox.
    public init() {}

    /// Records `message`.
    public func submit(_ message: MailMessage) { messages.withLock { $0.append(message) } }

    /// Every message so far, oldest first.
    public var sent: [MailMessage] { messages.withLock { $0 } }

    /// The messages sent to `address` (any case), oldest first.
    public func sent(to address: String) -> [MailMessage] {
        sent.filter { $0.to.lowercased() == address.lowercased() }
    }

    /// The token at the end of the newest link `<base>/<path>/<token>` mailed to `address`, if any.
    public func token(to address: String, path: String) -> String? {
        for message in sent(to: address).reversed() {
            if let range = message.body.range(of: "/\(path)/") {
                return String(message.body[range.upperBound...].prefix { !$0.isWhitespace })
            }
        }
        return nil
    }
}
