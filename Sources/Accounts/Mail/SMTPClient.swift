import Foundation
import NIOCore
import NIOPosix

/// A refused or failed SMTP delivery. The message names the step and the server's reply, never the mail's body.
public struct SMTPError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public let message: String
    /// Wraps a message.
    public init(_ message: String) { self.message = message }
    /// The message, for logs.
    public var description: String { "SMTP: \(message)" }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: one connection per message, `EHLO` (falling back to `HELO`),
/// `AUTH PLAIN` when credentials are configured, one recipient, `DATA` with CRLF line endings and dot-stuffing,
/// `QUIT`. Multi-line replies are read whole; the whole delivery is bounded by `timeoutSeconds`, and a reply line by
/// 4,096 bytes.
public struct SMTPClient: MailTransport {
    /// Longest reply line accepted from the server.
    public static let maxLineBytes = 4_096

    let settings: SMTPSettings
    let group: any EventLoopGroup
    let now: @Sendable () -> Date

    /// A client for `settings` on `group`; `now` dates the messages.
    public init(
        settings: SMTPSettings, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.group = group
        self.now = now
    }

    /// Delivers `message`, or throws `SMTPError` (refused, unreachable, or over the time limit).
    public func deliver(_ message: MailMessage) async throws {
        guard Self.isSafeAddress(message.to) else { throw SMTPError("invalid recipient address") }
        let seconds = settings.timeoutSeconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.converse(message) }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw SMTPError("no answer within \(seconds) s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Whether `address` can go into `MAIL FROM:<…>`/`RCPT TO:<…>` and a header as is: one `@`, printable ASCII or
    /// UTF-8 without spaces, angle brackets, quotes or control characters.
    public static func isSafeAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= 320 else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"<>\"(),;:\\[]".unicodeScalars.contains(scalar)
        }
    }

    /// The message as sent after `DATA`: headers, a blank line, the body with CRLF line endings and every line
    /// starting with `.` doubled (RFC 5321 4.5.2), then the terminating `.` line.
    public static func render(_ message: MailMessage, from: String, date: Date, messageID: String) -> String {
        let headers = [
            "From: \(headerSafe(from))",
            "To: \(headerSafe(message.to))",
            "Subject: \(encodedHeader(message.subject))",
            "Date: \(rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        let body = message.body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.hasPrefix(".") ? "." + line : String(line) }
        return (headers + [""] + body).joined(separator: "\r\n") + "\r\n.\r\n"
    }

    // MARK: - The dialogue

    private func converse(_ message: MailMessage) async throws {
        let settings = self.settings
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(Int64(settings.timeoutSeconds)))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let domain = settings.fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
        let data = Self.render(message, from: settings.from, date: now(), messageID: "\(UUID().uuidString.lowercased())@\(domain)")
        try await channel.executeThenClose { inbound, outbound in
            var dialogue = Dialogue(lines: inbound.makeAsyncIterator(), outbound: outbound)
            try await dialogue.expect([220], "greeting")
            var capabilities: [String]
            do {
                capabilities = try await dialogue.command("EHLO \(domain)", [250], "EHLO")
            } catch is SMTPError {
                capabilities = try await dialogue.command("HELO \(domain)", [250], "HELO")
            }
            if let user = settings.username, let password = settings.password {
                let credentials = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                _ = try await dialogue.command("AUTH PLAIN \(credentials)", [235], "AUTH PLAIN")
            }
            let eightBit = capabilities.dropFirst().contains { $0.uppercased().hasPrefix("8BITMIME") }
            _ = try await dialogue.command(
                "MAIL FROM:<\(settings.fromAddress)>" + (eightBit ? " BODY=8BITMIME" : ""), [250], "MAIL FROM")
            _ = try await dialogue.command("RCPT TO:<\(message.to)>", [250, 251], "RCPT TO")
            _ = try await dialogue.command("DATA", [354], "DATA")
            try await outbound.write(ByteBuffer(string: data))
            try await dialogue.expect([250], "end of data")
            _ = try? await dialogue.command("QUIT", [221], "QUIT")
        }
    }

    /// Reads replies and writes commands on one connection.
    private struct Dialogue {
        var lines: NIOAsyncChannelInboundStream<String>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        /// Sends `text` and reads the reply; `SMTPError` unless its code is in `codes`. Returns the reply's lines.
        mutating func command(_ text: String, _ codes: Set<Int>, _ step: String) async throws -> [String] {
            try await outbound.write(ByteBuffer(string: text + "\r\n"))
            return try await expect(codes, step)
        }

        /// Reads one (possibly multi-line) reply; `SMTPError` unless its code is in `codes`.
        @discardableResult
        mutating func expect(_ codes: Set<Int>, _ step: String) async throws -> [String] {
            var texts: [String] = []
            while true {
                guard let line = try await lines.next() else { throw SMTPError("connection closed during \(step)") }
                let bytes = Array(line.utf8)
                guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                    throw SMTPError("malformed reply during \(step)")
                }
                texts.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
                if bytes.count > 3 && bytes[3] == UInt8(ascii: "-") { continue }
                guard codes.contains(code) else { throw SMTPError("\(step) refused: \(line.prefix(200))") }
                return texts
            }
        }
    }

    // MARK: - Header text

    private static func headerSafe(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
    }

    /// Printable ASCII as is, anything else as an RFC 2047 encoded word.
    private static func encodedHeader(_ text: String) -> String {
        let clean = headerSafe(text)
        if clean.unicodeScalars.allSatisfy({ $0.isASCII }) { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }

    private static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

/// Splits the server's bytes into lines (without the CRLF or LF); a line over `SMTPClient.maxLineBytes` fails.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > SMTPClient.maxLineBytes { throw SMTPError("reply line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= SMTPClient.maxLineBytes, var line = buffer.readString(length: length) else {
            throw SMTPError("reply line too long")
        }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}
