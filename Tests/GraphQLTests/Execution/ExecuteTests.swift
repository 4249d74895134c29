import Testing
import Synchronization

@testable import GraphQL

extension Execution {
    static let sdl = """
        interface Pet { name: String! }
        type Dog implements Pet { name: String! barks: Boolean }
        type Cat implements Pet { name: String! lives: Int }
        union Animal = Dog | Cat
        enum Color { RED GREEN }
        type Item { id: Int! name: String tags: [String!] color: Color }
        type Query {
          hello: String
          item(id: Int!): Item
          items: [Item]
          strictItems: [Item!]!
          pets: [Pet]
          animals: [Animal]
          nonNull: String!
          nested: Query
          nestedNonNull: Query!
          failing: String
          big: Int
          color: Color
          echo(text: String = "default", n: Int): String
          list(values: [Int]): [Int]
        }
        type Mutation { add(by: Int!): Int! }
        """

    static let schema: GraphQLSchema = {
        do {
            return try buildSchema(sdl)
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// Parses and executes `query`, returning the JSON text of the result.
    static func run<Context: Sendable>(
        _ query: String, resolvers: Resolvers<Context>, context: Context, rootValue: any Sendable = Value.object([:]),
        variables: OrderedObject = [:], options: ExecutionOptions = ExecutionOptions()
    ) async throws -> String {
        let document = try parse(query)
        let result = await execute(
            schema: schema, document: document, resolvers: resolvers, rootValue: rootValue, context: context,
            variables: variables, options: options)
        return result.jsonValue.jsonString()
    }

    static func run(_ query: String, rootValue: Value, variables: OrderedObject = [:]) async throws -> String {
        try await run(query, resolvers: Resolvers<Void>(), context: (), rootValue: rootValue, variables: variables)
    }

    enum Failure: GraphQLCodedError, CustomStringConvertible {
        case notFound
        var code: String { "NOT_FOUND" }
        var description: String { "not found" }
    }

    @Suite struct ExecuteTests {
        @Test func defaultResolverReadsJSONData() async throws {
            let root: Value = ["hello": "world", "items": [["id": 1, "name": "a", "tags": ["x"]], ["id": 2]]]
            let json = try await run("{ items { name id } hello }", rootValue: root)
            #expect(json == #"{"data":{"items":[{"name":"a","id":1},{"name":null,"id":2}],"hello":"world"}}"#)
        }

        @Test func nullableFieldErrorBecomesNullWithPathAndLocation() async throws {
            var resolvers = Resolvers<Void>()
            resolvers.field("Query", "failing") { (_: Value, _, _, _) throws -> String in throw Failure.notFound }
            let json = try await run("{ hello\n  failing }", resolvers: resolvers, context: ())
            #expect(
                json == #"{"errors":[{"message":"not found","locations":[{"line":2,"column":3}],"path":["failing"],"#
                    + #""extensions":{"code":"NOT_FOUND"}}],"data":{"hello":null,"failing":null}}"#)
        }

        @Test func nonNullErrorBubblesToNearestNullableParent() async throws {
            let root: Value = ["nested": ["nested": ["nonNull": nil]], "nestedNonNull": ["nonNull": nil]]
            let json = try await run("{ nested { nested { nonNull } } }", rootValue: root)
            #expect(
                json == #"{"errors":[{"message":"Cannot return null for non-nullable field Query.nonNull.","#
                    + #""locations":[{"line":1,"column":21}],"path":["nested","nested","nonNull"]}],"#
                    + #""data":{"nested":{"nested":null}}}"#)
            let toRoot = try await run("{ hello nestedNonNull { nonNull } }", rootValue: root)
            #expect(toRoot.hasSuffix(#""path":["nestedNonNull","nonNull"]}],"data":null}"#))
        }

        @Test func listItemsCarryIndexPaths() async throws {
            let root: Value = ["items": [["id": 1], ["id": nil], ["id": 3]], "strictItems": [["id": 1], nil]]
            let json = try await run("{ items { id } }", rootValue: root)
            #expect(json.contains(#""path":["items",1,"id"]"#))
            #expect(json.hasSuffix(#""data":{"items":[{"id":1},null,{"id":3}]}}"#))
            let strict = try await run("{ strictItems { id } }", rootValue: root)
            #expect(strict.contains(#""path":["strictItems",1]"#))
            #expect(strict.hasSuffix(#""data":null}"#))
        }

        @Test func abstractTypesResolveByTypename() async throws {
            let root: Value = [
                "pets": [["__typename": "Dog", "name": "Rex", "barks": true], ["__typename": "Cat", "name": "Tom", "lives": 9]]
            ]
            let query = "{ pets { __typename name ... on Dog { barks } ... on Cat { lives } } }"
            let json = try await run(query, rootValue: root)
            #expect(
                json == #"{"data":{"pets":[{"__typename":"Dog","name":"Rex","barks":true},"#
                    + #"{"__typename":"Cat","name":"Tom","lives":9}]}}"#)
            let missing = try await run("{ pets { name } }", rootValue: ["pets": [["name": "x"]]])
            #expect(missing.contains(#"Abstract type \"Pet\" must resolve to an Object type at runtime"#))
        }

        struct DogRecord: Sendable, GraphQLTypeNamed, GraphQLPropertyReadable {
            let name: String
            var graphQLTypeName: String { "Dog" }
            func graphQLProperty(_ field: String) -> (any Sendable)? { field == "name" ? name : nil }
        }

        @Test func abstractTypesResolveBySwiftTypesAndHooks() async throws {
            var resolvers = Resolvers<Void>()
            resolvers.field("Query", "pets") { (_: Value, _, _, _) in [DogRecord(name: "Rex")] }
            resolvers.field("Query", "animals") { (_: Value, _, _, _) in ["cat"] }
            resolvers.type("Animal") { (_: String, _: Void, _) in "Cat" }
            resolvers.field("Cat", "name") { (name: String, _, _, _) in name.uppercased() }
            let json = try await run(
                "{ pets { name ... on Dog { barks } } animals { ... on Cat { name } } }", resolvers: resolvers,
                context: ())
            #expect(json == #"{"data":{"pets":[{"name":"Rex","barks":null}],"animals":[{"name":"CAT"}]}}"#)
        }

        struct ItemRecord: Sendable {
            let id: Int
        }

        enum Shade: String, Sendable {
            case red = "RED"
        }

        @Test func typedResolversGetTypedParentsArgumentsAndContext() async throws {
            var resolvers = Resolvers<String>()
            resolvers.field("Query", "item") { (_: Value, args, _, _) in ItemRecord(id: args.int("id") ?? 0) }
            resolvers.field("Item", "id") { (item: ItemRecord, _, _, _) in item.id * 10 }
            resolvers.field("Item", "name") { (item: ItemRecord, _, prefix: String, info) in
                "\(prefix)\(item.id) \(info.path.map(\.description).joined(separator: "."))"
            }
            resolvers.field("Item", "color") { (_: ItemRecord, _, _, _) in Shade.red }
            resolvers.field("Item", "tags") { (_: ItemRecord, _, _, _) -> [String]? in nil }
            resolvers.field("Query", "echo") { (_: Value, args, _, _) in args["text", as: String.self] }
            let json = try await run(
                "{ item(id: 4) { id name color tags } echo }", resolvers: resolvers, context: "@")
            #expect(json == #"{"data":{"item":{"id":40,"name":"@4 item.name","color":"RED","tags":null},"echo":"default"}}"#)
        }

        @Test func parentTypeMismatchIsAFieldError() async throws {
            var resolvers = Resolvers<Void>()
            resolvers.field("Item", "name") { (item: ItemRecord, _, _, _) in "\(item.id)" }
            let json = try await run(
                "{ items { name } }", resolvers: resolvers, context: (), rootValue: Value.object(["items": [["id": 1]]]))
            #expect(json.contains(#"Resolver for \"Item.name\" expected a parent of type ItemRecord"#))
            #expect(json.hasSuffix(#""data":{"items":[{"name":null}]}}"#))
        }

        @Test func outputCoercionErrorsAreFieldErrors() async throws {
            let json = try await run("{ big color }", rootValue: ["big": 2_147_483_648, "color": "BLUE"])
            #expect(json.contains(#""path":["big"]"#))
            #expect(json.contains(#""path":["color"]"#))
            #expect(json.hasSuffix(#""data":{"big":null,"color":null}}"#))
        }

        @Test func includeSkipAndFragments() async throws {
            let root: Value = ["hello": "hi", "items": [["id": 1, "name": "a"]]]
            let query = """
                query ($yes: Boolean!) {
                  hello @skip(if: $yes)
                  items { ...F @include(if: $yes) ... on Item @skip(if: true) { name } }
                  again: hello @include(if: $yes)
                }
                fragment F on Item { id id }
                """
            let json = try await run(query, rootValue: root, variables: ["yes": true])
            #expect(json == #"{"data":{"items":[{"id":1}],"again":"hi"}}"#)
        }

        @Test func variableCoercionErrorsPointAtDefinitions() async throws {
            let query = "query ($id: Int!, $n: Int) {\n  item(id: $id) { id } echo(n: $n) }"
            let json = try await run(query, rootValue: [:], variables: ["n": "x"])
            #expect(
                json == #"{"errors":[{"message":"Variable \"$id\" of required type \"Int!\" was not provided.","#
                    + #""locations":[{"line":1,"column":8}]},{"message":"Variable \"$n\" got invalid value \"x\"; "#
                    + #"Int cannot represent non-integer value: \"x\"","locations":[{"line":1,"column":19}]}]}"#)
        }

        @Test func argumentsUseDeclarationOrderAndDefaults() async throws {
            var resolvers = Resolvers<Void>()
            resolvers.field("Query", "echo") { (_: Value, args, _, _) in args.jsonValue.jsonString() }
            let json = try await run(
                "query ($n: Int) { a: echo(n: 1, text: \"t\") b: echo(n: $n) }", resolvers: resolvers, context: ())
            #expect(json == #"{"data":{"a":"{\"text\":\"t\",\"n\":1}","b":"{\"text\":\"default\"}"}}"#)
        }

        @Test func mutationsRunSerially() async throws {
            var resolvers = Resolvers<Counter>()
            resolvers.field("Mutation", "add") { (_: Value, args, counter: Counter, _) async in
                // Later fields sleep less: only serial execution keeps the additions in document order.
                let by = args.int("by") ?? 0
                try? await Task.sleep(for: .milliseconds(10 * (3 - by)))
                return counter.add(by)
            }
            let counter = Counter()
            let json = try await run(
                "mutation { a: add(by: 1) b: add(by: 2) c: add(by: 3) }", resolvers: resolvers, context: counter)
            #expect(json == #"{"data":{"a":1,"b":3,"c":6}}"#)
        }

        @Test func asyncRootFieldsKeepQueryOrder() async throws {
            var resolvers = Resolvers<Void>()
            resolvers.field("Query", "hello") { (_: Value, _, _, _) async in
                try? await Task.sleep(for: .milliseconds(20))
                return "slow"
            }
            resolvers.field("Query", "echo") { (_: Value, _, _, _) async in "fast" }
            resolvers.field("Query", "items") { (_: Value, _, _, _) in [Value.object(["id": 1])] }
            let json = try await run("{ hello echo items { id } }", resolvers: resolvers, context: ())
            #expect(json == #"{"data":{"hello":"slow","echo":"fast","items":[{"id":1}]}}"#)
        }

        @Test func asyncRootQueryFieldsRunConcurrently() async throws {
            // Each resolver announces itself, then waits (bounded) for the other: only concurrent execution
            // lets both see each other.
            let started = Mutex<Set<String>>([])
            var resolvers = Resolvers<Void>()
            for (name, other) in [("hello", "echo"), ("echo", "hello")] {
                resolvers.field("Query", name) { (_: Value, _, _, _) async -> String in
                    started.withLock { _ = $0.insert(name) }
                    for _ in 0..<2_000 {
                        if started.withLock({ $0.contains(other) }) { return "saw \(other)" }
                        await Task.yield()
                    }
                    return "alone"
                }
            }
            let json = try await run("{ hello echo }", resolvers: resolvers, context: ())
            #expect(json == #"{"data":{"hello":"saw echo","echo":"saw hello"}}"#)
        }

        @Test func errorLimitAddsTooManyErrors() async throws {
            let root: Value = ["items": .list((0..<10).map { _ in ["id": nil] })]
            let document = try parse("{ items { id } }")
            let result = await execute(
                schema: schema, document: document, rootValue: root, options: ExecutionOptions(maxErrors: 3))
            #expect(result.errors.count == 4)
            #expect(result.errors.last?.message.hasPrefix("Too many errors") == true)
            #expect(result.errors.last?.code == "TOO_MANY_ERRORS")
        }

        @Test func operationSelectionErrorsHaveNoData() async throws {
            let document = try parse("query A { hello } query B { hello }")
            let result = await execute(schema: schema, document: document)
            #expect(result.data == nil)
            #expect(result.errors.map(\.message) == ["Must provide operation name if query contains multiple operations."])
            let unknown = await execute(schema: schema, document: document, operationName: "C")
            #expect(unknown.jsonValue.jsonString() == #"{"errors":[{"message":"Unknown operation named \"C\"."}]}"#)
        }

        struct EchoArguments: Decodable {
            let text: String
            let n: Int?
        }

        @Test func argumentsDecodeIntoDecodableTypes() async throws {
            var resolvers = Resolvers<Void>()
            resolvers.field("Query", "echo") { (_: Value, args, _, _) in
                let decoded = try args.decode(EchoArguments.self)
                return "\(decoded.text):\(decoded.n.map(String.init) ?? "nil")"
            }
            resolvers.field("Query", "list") { (_: Value, args, _, _) in try args.decode([Int?].self, "values") }
            let json = try await run(
                "{ a: echo(n: 2) b: echo(text: \"x\") list(values: [1, null]) }", resolvers: resolvers, context: ())
            #expect(json == #"{"data":{"a":"default:2","b":"x:nil","list":[1,null]}}"#)
        }

        @Test func dictionaryParentsAndSwiftLists() async throws {
            var resolvers = Resolvers<Void>()
            resolvers.field("Query", "items") { (_: Value, _, _, _) -> [[String: any Sendable]] in
                [["id": 7, "name": String?.none, "tags": ["a", "b"]]]
            }
            resolvers.field("Query", "list") { (_: Value, args, _, _) in args["values", as: [Int].self] }
            let json = try await run("{ items { id name tags } list(values: 5) }", resolvers: resolvers, context: ())
            #expect(json == #"{"data":{"items":[{"id":7,"name":null,"tags":["a","b"]}],"list":[5]}}"#)
        }
    }
}

/// A mutation counter shared by a request's resolvers.
final class Counter: Sendable {
    private let value = Mutex(0)

    func add(_ amount: Int) -> Int {
        value.withLock {
            $0 += amount
            return $0
        }
    }
}
