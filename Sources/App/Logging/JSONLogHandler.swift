import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler that writes one JSON object per line, each with one `write`, to standard output (`serve`: what
/// container runtimes and Promtail collect) or standard error (the other commands, whose standard output is their
/// result): `{"ts":"…","level":"info","logger":"…","msg":"…", ...metadata}`. Hummingbird's request id
/// (`hb.request.id`) is written as `request_id`.
public struct JSONLogHandler: LogHandler {
    /// Metadata attached to every message of this logger.
    public var metadata: Logger.Metadata = [:]
    /// Messages below this level are dropped.
    public var logLevel: Logger.Level = .info
    let label: String
    /// Where lines go: `STDOUT_FILENO` or `STDERR_FILENO`.
    let fileDescriptor: Int32

    /// A handler for the logger named `label`, writing to `fileDescriptor` (standard error by default).
    public init(label: String, fileDescriptor: Int32 = STDERR_FILENO) {
        self.label = label
        self.fileDescriptor = fileDescriptor
    }

    /// Access to one metadata key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one JSON line with level, timestamp, label, message, source and metadata.
    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        var line = "{\"ts\":\(Self.quote(Self.timestamp())),\"level\":\(Self.quote(event.level.rawValue))"
        line += ",\"logger\":\(Self.quote(label)),\"msg\":\(Self.quote(event.message.description))"
        for key in fields.keys.sorted() {
            let name = key == "hb.request.id" ? "request_id" : key
            line += ",\(Self.quote(name)):\(Self.quote(fields[key]!.description))"
        }
        line += "}\n"
        var bytes = Array(line.utf8)
        let fileDescriptor = self.fileDescriptor
        bytes.withUnsafeMutableBytes { buffer in _ = write(fileDescriptor, buffer.baseAddress, buffer.count) }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// A JSON string literal for `text`.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
