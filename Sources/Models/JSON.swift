import Foundation
import JSONCore

/// A JSON value, as events, person properties and report definitions carry them. Booleans and numbers stay apart;
/// object key order is not kept (PostgreSQL's jsonb does not keep it either). `Codable` for use inside other types;
/// `parse`/`jsonString` are the fast paths.
public enum JSON: Sendable, Hashable, Codable {
    /// `null`
    case null
    /// `true` / `false`
    case bool(Bool)
    /// A number that fits a 64-bit integer.
    case int(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSON])
    /// An object.
    case object([String: JSON])

    /// Decodes whatever JSON value the decoder holds (a slow path: one trial decode per kind; `parse` is the fast one).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    /// Encodes the value as the JSON value it is.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Invalid JSON text, with the byte offset where parsing stopped.
    public struct ParseError: Error, Equatable, Sendable {
        /// Byte offset of the problem.
        public let offset: Int
    }

    /// Parses JSON text (RFC 8259; nesting limited to 512 levels; numbers beyond `Double` range are an error).
    public static func parse(_ data: Data) throws(ParseError) -> JSON {
        do {
            return try data.withUnsafeBytes { raw in
                Result { () throws(JSONParseError) -> JSON in try JSONModelBuilder.parse(raw.assumingMemoryBound(to: UInt8.self)) }
            }.get()
        } catch {
            throw ParseError(offset: error.offset)
        }
    }

    /// Parses JSON from UTF-8 bytes.
    public static func parse(bytes: [UInt8]) throws(ParseError) -> JSON {
        do {
            return try JSONModelBuilder.parse(bytes)
        } catch {
            throw ParseError(offset: error.offset)
        }
    }

    /// Compact JSON text (keys sorted, so equal values print equally), written like JavaScript's `JSON.stringify`:
    /// its number format, its escapes, `null` for a non-finite double.
    public var jsonString: String {
        var output = JSONOutput(capacity: 256)
        output.write(self)
        return output.string()
    }

    /// The member `key` of an object, else nil.
    public subscript(key: String) -> JSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The object's members, else nil.
    public var objectValue: [String: JSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The array's elements, else nil.
    public var arrayValue: [JSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string, else nil.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The number as a Double, else nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// Nesting depth: scalars 0, `{}`/`[]` 1, and so on.
    public var depth: Int {
        switch self {
        case .array(let elements): 1 + (elements.map(\.depth).max() ?? 0)
        case .object(let members): 1 + (members.values.map(\.depth).max() ?? 0)
        default: 0
        }
    }
}
