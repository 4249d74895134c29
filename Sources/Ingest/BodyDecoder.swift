import CompressNIO
import Foundation
import Models
import NIOCore

/// Turns a request body, however an SDK encoded it, into JSON: gzip (by `Content-Encoding`, `compression=` or the
/// gzip magic bytes), `application/x-www-form-urlencoded` with a `data=` field, base64, or plain JSON.
/// Every step is bounded by `maxBodyBytes`, so a decompression bomb stops at the limit.
public enum BodyDecoder {
    /// The decoded payload and any form fields that came with it.
    public struct Decoded: Sendable {
        /// The JSON document.
        public var json: JSON
        /// Form fields other than `data` (e.g. Mixpanel's `verbose`), empty for JSON bodies.
        public var form: [String: String]
    }

    /// Decodes `body`. `compression` is the `compression` query parameter PostHog's browser SDK sets.
    public static func decode(
        _ body: [UInt8],
        contentType: String?,
        contentEncoding: String?,
        compression: String?,
        limits: IngestLimits
    ) throws(IngestError) -> Decoded {
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let acceptable = ["", "application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream"]
        guard acceptable.contains(mediaType) || mediaType.hasSuffix("+json") else {
            throw IngestError(.unsupportedMediaType, "unsupported content type '\(mediaType)'; send application/json or form data")
        }
        var bytes = body
        let gzipped =
            contentEncoding?.lowercased().contains("gzip") == true || compression?.lowercased().hasPrefix("gzip") == true
            || (bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        if gzipped { bytes = try gunzip(bytes, limit: limits.maxBodyBytes) }
        guard bytes.count <= limits.maxBodyBytes else {
            throw IngestError(.bodyTooLarge, "body is larger than \(limits.maxBodyBytes) bytes")
        }

        var form: [String: String] = [:]
        if mediaType == "application/x-www-form-urlencoded" || looksLikeForm(bytes) {
            form = parseForm(String(decoding: bytes, as: UTF8.self))
            guard let data = form.removeValue(forKey: "data") else {
                throw IngestError(.invalidBody, "form body has no data= field")
            }
            bytes = Array(data.utf8)
            if compression?.lowercased() == "gzip-js" || form["compression"] == "gzip-js" {
                bytes = try gunzip(Array(Data(base64Encoded: data) ?? Data(data.utf8)), limit: limits.maxBodyBytes)
            }
        }
        let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if let first = trimmed.first, first != UInt8(ascii: "{") && first != UInt8(ascii: "[") {
            guard let decoded = Data(base64Encoded: String(decoding: trimmed, as: UTF8.self), options: .ignoreUnknownCharacters) else {
                throw IngestError(.invalidBody, "body is neither JSON nor base64-encoded JSON")
            }
            bytes = Array(decoded)
        }
        var json: JSON
        do {
            json = try JSON.parse(bytes: bytes)
        } catch {
            throw IngestError(.invalidBody, "body is not valid JSON")
        }
        // A NUL can only be in valid JSON as the escape `\u0000`; only then is the tree walked (see `TextPolicy`).
        if containsNULEscape(bytes) { json = json.replacingNUL() }
        return Decoded(json: json, form: form)
    }

    static func gunzip(_ bytes: [UInt8], limit: Int) throws(IngestError) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let output = try buffer.decompress(with: .gzip(configuration: .init()), maxSize: limit)
            return Array(output.readableBytesView)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw IngestError(.bodyTooLarge, "body is larger than \(limit) bytes once decompressed")
        } catch {
            throw IngestError(.invalidBody, "body is not valid gzip")
        }
    }

    static func looksLikeForm(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array("data=".utf8))
    }

    /// Parses `a=b&c=d` with percent-decoding and `+` as space.
    public static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// Whether `bytes` contain the JSON escape `\u0000` (a raw NUL is not valid JSON). Jumps from backslash to
    /// backslash with `memchr`, so bodies without escapes cost one fast scan.
    static func containsNULEscape(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var offset = 0
            while offset < buffer.count {
                guard let found = memchr(base + offset, 0x5C, buffer.count - offset) else { return false }
                let index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                if index + 5 < buffer.count, buffer[index + 1] == 0x75, buffer[index + 2] == 0x30, buffer[index + 3] == 0x30,
                    buffer[index + 4] == 0x30, buffer[index + 5] == 0x30
                {
                    return true
                }
                // Skip the escaped character too, so `\\u0000` (an escaped backslash) is not taken for a NUL.
                offset = index + 2
            }
            return false
        }
    }
}
