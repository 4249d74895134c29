/// One step of a response path: an object key or a list index.
public enum PathComponent: Sendable, Hashable, CustomStringConvertible {
    /// A response key (field alias or name) or input object field name.
    case key(String)
    /// A list index.
    case index(Int)

    /// The key, or the index in decimal.
    public var description: String {
        switch self {
        case .key(let key): return key
        case .index(let index): return String(index)
        }
    }

    /// The JSON form used in an error's `path`: a string or a number.
    public var jsonValue: Value {
        switch self {
        case .key(let key): return .string(key)
        case .index(let index): return .int(index)
        }
    }
}

/// An error in a GraphQL request or schema, shaped like the spec's error result entry
/// (`message`, `locations`, `path`, `extensions`) and graphql-js `GraphQLError`.
public struct GraphQLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The human-readable message.
    public var message: String
    /// Where in the document the error arose; empty when unknown.
    public var locations: [SourceLocation]
    /// The response path of the field that failed, for execution errors; nil otherwise.
    public var path: [PathComponent]?
    /// Extra machine-readable data; `code` is the conventional key.
    public var extensions: OrderedObject?

    /// Creates an error at explicit line/column locations.
    public init(
        _ message: String,
        locations: [SourceLocation] = [],
        path: [PathComponent]? = nil,
        extensions: OrderedObject? = nil
    ) {
        self.message = message
        self.locations = locations
        self.path = path
        self.extensions = extensions
    }

    /// Creates an error located at the start of each node's location (nodes without location are skipped).
    public init(
        _ message: String,
        nodes: [any ASTNode],
        path: [PathComponent]? = nil,
        extensions: OrderedObject? = nil
    ) {
        self.init(message, at: nodes.map(\.loc), path: path, extensions: extensions)
    }

    /// Creates an error located at the start of each AST location (unknown locations are skipped).
    public init(
        _ message: String,
        at locations: [Location],
        path: [PathComponent]? = nil,
        extensions: OrderedObject? = nil
    ) {
        self.init(
            message,
            locations: locations.compactMap { $0.isUnknown ? nil : $0.sourceLocation },
            path: path,
            extensions: extensions
        )
    }

    /// The `extensions.code` string, if any.
    public var code: String? {
        get { extensions?["code"]?.stringValue }
        set {
            var object = extensions ?? OrderedObject()
            object["code"] = newValue.map(Value.string)
            extensions = object.isEmpty ? nil : object
        }
    }

    /// The spec's JSON form: `message`, then `locations`, `path` and `extensions` when present.
    public var jsonValue: Value {
        var object = OrderedObject(minimumCapacity: 4)
        object.appendUnchecked(key: "message", value: .string(message))
        if !locations.isEmpty {
            object.appendUnchecked(key: "locations", value: .list(locations.map(\.jsonValue)))
        }
        if let path {
            object.appendUnchecked(key: "path", value: .list(path.map(\.jsonValue)))
        }
        if let extensions, !extensions.isEmpty {
            object.appendUnchecked(key: "extensions", value: .object(extensions))
        }
        return .object(object)
    }

    /// The message followed by its locations, e.g. `Syntax Error: Unexpected "}". (1:7)`.
    public var description: String {
        if locations.isEmpty { return message }
        return message + " (" + locations.map(\.description).joined(separator: ", ") + ")"
    }
}
