/// A scalar type with its three coercions (graphql-js `GraphQLScalarType`).
///
/// - `serialize`: internal value to response value (output coercion).
/// - `parseValue`: variable (JSON) value to internal value (input coercion).
/// - `parseLiteral`: AST literal to internal value, given the request's coerced variables.
public final class GraphQLScalarType: Sendable {
    /// Output coercion.
    public typealias Serialize = @Sendable (Value) throws(GraphQLError) -> Value
    /// Input coercion of variable values.
    public typealias ParseValue = @Sendable (Value) throws(GraphQLError) -> Value
    /// Input coercion of literals.
    public typealias ParseLiteral = @Sendable (ValueNode, OrderedObject?) throws(GraphQLError) -> Value

    /// The type name.
    public let name: String
    /// The description.
    public let description: String?
    /// A URL describing the scalar's behaviour (`@specifiedBy`).
    public let specifiedByURL: String?
    /// The SDL definition, when built from SDL.
    public let astNode: ScalarTypeDefinitionNode?
    /// SDL extensions applied to the type.
    public let extensionASTNodes: [ScalarTypeExtensionNode]
    private let serializer: Serialize?
    private let valueParser: ParseValue?
    private let literalParser: ParseLiteral?

    /// Creates a scalar. Omitted coercions default to graphql-js behaviour: identity for `serialize` and
    /// `parseValue`, and `parseValue(valueFromASTUntyped(literal))` for `parseLiteral`.
    public init(
        name: String, description: String? = nil, specifiedByURL: String? = nil,
        serialize: Serialize? = nil, parseValue: ParseValue? = nil, parseLiteral: ParseLiteral? = nil,
        astNode: ScalarTypeDefinitionNode? = nil, extensionASTNodes: [ScalarTypeExtensionNode] = []
    ) {
        self.name = name
        self.description = description
        self.specifiedByURL = specifiedByURL
        self.astNode = astNode
        self.extensionASTNodes = extensionASTNodes
        serializer = serialize
        valueParser = parseValue
        literalParser = parseLiteral
    }

    /// The same coercions under another definition (used when SDL declares a scalar implemented in code).
    public func with(
        description: String?, specifiedByURL: String?, astNode: ScalarTypeDefinitionNode?,
        extensionASTNodes: [ScalarTypeExtensionNode]
    ) -> GraphQLScalarType {
        GraphQLScalarType(
            name: name, description: description, specifiedByURL: specifiedByURL, serialize: serializer,
            parseValue: valueParser, parseLiteral: literalParser, astNode: astNode,
            extensionASTNodes: extensionASTNodes)
    }

    /// Output coercion.
    public func serialize(_ value: Value) throws(GraphQLError) -> Value {
        guard let serializer else { return value }
        return try serializer(value)
    }

    /// Input coercion of a variable value.
    public func parseValue(_ value: Value) throws(GraphQLError) -> Value {
        guard let valueParser else { return value }
        return try valueParser(value)
    }

    /// Input coercion of a literal.
    public func parseLiteral(_ node: ValueNode, variables: OrderedObject? = nil) throws(GraphQLError) -> Value {
        if let literalParser { return try literalParser(node, variables) }
        return try parseValue(valueFromASTUntyped(node, variables: variables))
    }
}

/// The largest Int value (2^31 - 1).
public let graphQLMaxInt = 2_147_483_647
/// The smallest Int value (-2^31).
public let graphQLMinInt = -2_147_483_648

extension GraphQLScalarType {
    /// `Int`: a signed 32-bit integer.
    public static let int = GraphQLScalarType(
        name: "Int",
        description:
            "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent "
            + "values between -(2^31) and 2^31 - 1.",
        serialize: { value throws(GraphQLError) in
            let number: Double?
            switch value {
            case .bool(let bool): return .int(bool ? 1 : 0)
            case .int(let int):
                guard int <= graphQLMaxInt && int >= graphQLMinInt else {
                    throw GraphQLError("Int cannot represent non 32-bit signed integer value: \(inspect(value))")
                }
                return .int(int)
            case .double(let double): number = double
            case .string(let string) where !string.isEmpty: number = jsNumber(string)
            default: number = nil
            }
            if let number, isHugeInteger(number) {
                throw GraphQLError("Int cannot represent non 32-bit signed integer value: \(inspect(value))")
            }
            guard let number, let integer = exactInteger(number) else {
                throw GraphQLError("Int cannot represent non-integer value: \(inspect(value))")
            }
            guard integer <= graphQLMaxInt && integer >= graphQLMinInt else {
                throw GraphQLError("Int cannot represent non 32-bit signed integer value: \(inspect(value))")
            }
            return .int(integer)
        },
        parseValue: { value throws(GraphQLError) in
            let integer: Int
            switch value {
            case .int(let int): integer = int
            case .double(let double):
                guard let exact = exactInteger(double) else {
                    if isHugeInteger(double) {
                        throw GraphQLError("Int cannot represent non 32-bit signed integer value: \(inspect(value))")
                    }
                    throw GraphQLError("Int cannot represent non-integer value: \(inspect(value))")
                }
                integer = exact
            default:
                throw GraphQLError("Int cannot represent non-integer value: \(inspect(value))")
            }
            guard integer <= graphQLMaxInt && integer >= graphQLMinInt else {
                throw GraphQLError("Int cannot represent non 32-bit signed integer value: \(inspect(value))")
            }
            return .int(integer)
        },
        parseLiteral: { node, _ throws(GraphQLError) in
            guard case .int(let intNode) = node else {
                throw GraphQLError("Int cannot represent non-integer value: \(print(node))", at: [node.loc])
            }
            guard let integer = Int(intNode.value), integer <= graphQLMaxInt && integer >= graphQLMinInt else {
                throw GraphQLError(
                    "Int cannot represent non 32-bit signed integer value: \(intNode.value)", at: [node.loc])
            }
            return .int(integer)
        })

    /// `Float`: a finite double.
    public static let float = GraphQLScalarType(
        name: "Float",
        description:
            "The `Float` scalar type represents signed double-precision fractional values as specified by "
            + "[IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).",
        serialize: { value throws(GraphQLError) in
            switch value {
            case .bool(let bool): return .int(bool ? 1 : 0)
            case .int: return value
            case .double(let double) where double.isFinite: return value
            case .string(let string) where !string.isEmpty:
                if let number = jsNumber(string), number.isFinite { return .double(number) }
            default: break
            }
            throw GraphQLError("Float cannot represent non numeric value: \(inspect(value))")
        },
        parseValue: { value throws(GraphQLError) in
            switch value {
            case .int(let int): return .double(Double(int))
            case .double(let double) where double.isFinite: return value
            default: throw GraphQLError("Float cannot represent non numeric value: \(inspect(value))")
            }
        },
        parseLiteral: { node, _ throws(GraphQLError) in
            switch node {
            case .int(let intNode): return .double(Double(intNode.value) ?? 0)
            case .float(let floatNode): return .double(Double(floatNode.value) ?? 0)
            default: throw GraphQLError("Float cannot represent non numeric value: \(print(node))", at: [node.loc])
            }
        })

    /// `String`: UTF-8 text.
    public static let string = GraphQLScalarType(
        name: "String",
        description:
            "The `String` scalar type represents textual data, represented as UTF-8 character sequences. "
            + "The String type is most often used by GraphQL to represent free-form human-readable text.",
        serialize: { value throws(GraphQLError) in
            switch value {
            case .string: return value
            case .bool(let bool): return .string(bool ? "true" : "false")
            case .int(let int): return .string(String(int))
            case .double(let double) where double.isFinite: return .string(JSNumber.format(double))
            default: throw GraphQLError("String cannot represent value: \(inspect(value))")
            }
        },
        parseValue: { value throws(GraphQLError) in
            guard case .string = value else {
                throw GraphQLError("String cannot represent a non string value: \(inspect(value))")
            }
            return value
        },
        parseLiteral: { node, _ throws(GraphQLError) in
            guard case .string(let stringNode) = node else {
                throw GraphQLError("String cannot represent a non string value: \(print(node))", at: [node.loc])
            }
            return .string(stringNode.value)
        })

    /// `Boolean`: true or false.
    public static let boolean = GraphQLScalarType(
        name: "Boolean",
        description: "The `Boolean` scalar type represents `true` or `false`.",
        serialize: { value throws(GraphQLError) in
            switch value {
            case .bool: return value
            case .int(let int): return .bool(int != 0)
            case .double(let double) where double.isFinite: return .bool(double != 0)
            default: throw GraphQLError("Boolean cannot represent a non boolean value: \(inspect(value))")
            }
        },
        parseValue: { value throws(GraphQLError) in
            guard case .bool = value else {
                throw GraphQLError("Boolean cannot represent a non boolean value: \(inspect(value))")
            }
            return value
        },
        parseLiteral: { node, _ throws(GraphQLError) in
            guard case .boolean(let booleanNode) = node else {
                throw GraphQLError("Boolean cannot represent a non boolean value: \(print(node))", at: [node.loc])
            }
            return .bool(booleanNode.value)
        })

    /// `ID`: a string identifier; integers are accepted as input and output.
    public static let id = GraphQLScalarType(
        name: "ID",
        description:
            "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key "
            + "for a cache. The ID type appears in a JSON response as a String; however, it is not intended "
            + "to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer "
            + "(such as `4`) input value will be accepted as an ID.",
        serialize: { value throws(GraphQLError) in
            switch value {
            case .string: return value
            case .int(let int): return .string(String(int))
            case .double(let double) where exactInteger(double) != nil || isHugeInteger(double):
                return .string(JSNumber.format(double))
            default: throw GraphQLError("ID cannot represent value: \(inspect(value))")
            }
        },
        parseValue: { value throws(GraphQLError) in
            switch value {
            case .string: return value
            case .int(let int): return .string(String(int))
            case .double(let double) where exactInteger(double) != nil || isHugeInteger(double):
                return .string(JSNumber.format(double))
            default: throw GraphQLError("ID cannot represent value: \(inspect(value))")
            }
        },
        parseLiteral: { node, _ throws(GraphQLError) in
            switch node {
            case .string(let stringNode): return .string(stringNode.value)
            case .int(let intNode): return .string(intNode.value)
            default:
                throw GraphQLError(
                    "ID cannot represent a non-string and non-integer value: \(print(node))", at: [node.loc])
            }
        })

    /// `JSON`: any JSON value, passed through unchanged (literals are converted with `valueFromASTUntyped`).
    public static let json = GraphQLScalarType(
        name: "JSON",
        description: "The `JSON` scalar type represents arbitrary JSON values.")

    /// The five scalars every schema may use without defining them.
    public static let specifiedScalars: [GraphQLScalarType] = [.string, .int, .float, .boolean, .id]

    /// True for `String`, `Int`, `Float`, `Boolean` and `ID`.
    public static func isSpecifiedScalar(named name: String) -> Bool {
        switch name {
        case "String", "Int", "Float", "Boolean", "ID": return true
        default: return false
        }
    }
}

/// True for integral doubles beyond the `Int` range (JavaScript still calls them integers).
func isHugeInteger(_ value: Double) -> Bool {
    // Every double of magnitude 2^53 or more is integral.
    value.isFinite && value.magnitude >= 9.2e18
}

/// JavaScript's `Number(string)` for the forms that matter to scalar coercion: surrounding whitespace,
/// decimal and exponent notation, `Infinity`, and `0x`/`0o`/`0b` prefixes. Nil when the result is NaN.
func jsNumber(_ string: String) -> Double? {
    let trimmed = string.trimmingJSWhitespace()
    if trimmed.isEmpty { return 0 }
    switch trimmed {
    case "Infinity", "+Infinity": return .infinity
    case "-Infinity": return -.infinity
    default: break
    }
    let lower = trimmed.lowercased()
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
        let digits = lower.dropFirst(2)
        guard !digits.isEmpty else { return nil }
        var result = 0.0
        for character in digits {
            guard let digit = character.hexDigitValue, digit < radix else { return nil }
            result = result * Double(radix) + Double(digit)
        }
        return result
    }
    // Decimal literal: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
    let bytes = Array(trimmed.utf8)
    var index = 0
    if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
    var digitCount = 0
    while index < bytes.count && Lexer.isDigit(bytes[index]) {
        index += 1
        digitCount += 1
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
        index += 1
        while index < bytes.count && Lexer.isDigit(bytes[index]) {
            index += 1
            digitCount += 1
        }
    }
    guard digitCount > 0 else { return nil }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
        index += 1
        if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
            index += 1
        }
        var exponentDigits = 0
        while index < bytes.count && Lexer.isDigit(bytes[index]) {
            index += 1
            exponentDigits += 1
        }
        guard exponentDigits > 0 else { return nil }
    }
    guard index == bytes.count else { return nil }
    var text = trimmed
    if text.hasPrefix("+") { text.removeFirst() }
    if text.hasPrefix(".") { text = "0" + text }
    if text.hasPrefix("-.") { text = "-0" + text.dropFirst() }
    return Double(text)
}

extension String {
    /// Removes the leading and trailing characters JavaScript's `trim()` removes.
    func trimmingJSWhitespace() -> String {
        func isJSWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
                0x3000, 0xFEFF:
                return true
            default:
                return false
            }
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isJSWhitespace($0) }),
            let last = scalars.lastIndex(where: { !isJSWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
