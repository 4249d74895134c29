import Testing

@testable import GraphQL

extension Utilities {
    @Suite struct TypeInfoTests {
        static var schema: GraphQLSchema { TypeSystem.SchemaTests.schema }

        /// Records what TypeInfo reports at each node, as graphql-js's TypeInfo tests do.
        final class Log {
            var lines: [String] = []
        }

        struct Probe: ASTVisitor {
            let typeInfo: TypeInfo
            let log: Log

            func describe(_ reference: TypeReference?) -> String { reference.map(\.description) ?? "-" }

            mutating func enter(field: FieldNode) -> VisitAction {
                log.lines.append(
                    "field \(field.name.value): parent=\(typeInfo.parentType?.name ?? "-") "
                        + "type=\(describe(typeInfo.type)) def=\(typeInfo.fieldDef?.name ?? "-")")
                return .continue
            }

            mutating func enter(argument: ArgumentNode) -> VisitAction {
                log.lines.append(
                    "arg \(argument.name.value): input=\(describe(typeInfo.inputType)) "
                        + "default=\(typeInfo.defaultValue?.jsonString() ?? "-") def=\(typeInfo.argument?.name ?? "-")")
                return .continue
            }

            mutating func enter(objectField: ObjectFieldNode) -> VisitAction {
                log.lines.append(
                    "objectField \(objectField.name.value): input=\(describe(typeInfo.inputType)) "
                        + "parentInput=\(describe(typeInfo.parentInputType))")
                return .continue
            }

            mutating func enter(value: ValueNode) -> VisitAction {
                if case .enumValue(let node) = value {
                    log.lines.append("enum \(node.value): known=\(typeInfo.enumValue != nil)")
                }
                if case .list = value {
                    log.lines.append("list: item=\(describe(typeInfo.inputType))")
                }
                return .continue
            }

            mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction {
                log.lines.append("directive \(directive.name.value): known=\(typeInfo.directive != nil)")
                return .continue
            }

            mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction {
                log.lines.append("inline: type=\(describe(typeInfo.type))")
                return .continue
            }

            mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
                log.lines.append("var \(variableDefinition.variable.name.value): input=\(describe(typeInfo.inputType))")
                return .continue
            }
        }

        @Test func tracksTypesThroughADocument() throws {
            let document = try parse(
                """
                query ($f: DocumentFilter) {
                  search(term: "x") {
                    __typename
                    ... on Person { documents(filter: {order: [DESC, ASK], limit: 1}, order: ASC) { tags @skip(if: false) } }
                    ... { unknownField }
                  }
                  lookup(by: {id: 1}) { id url }
                  __schema { types { name } }
                  bogus(x: 1) { a }
                }
                fragment F on Document { name }
                """)
            let typeInfo = TypeInfo(schema: Self.schema)
            let log = Log()
            var visitor = TypeInfoVisitor(typeInfo: typeInfo, base: Probe(typeInfo: typeInfo, log: log))
            visit(document, &visitor)
            #expect(
                log.lines == [
                    "var f: input=DocumentFilter",
                    "field search: parent=Query type=[SearchResult!]! def=search",
                    "arg term: input=String! default=- def=term",
                    "field __typename: parent=SearchResult type=String! def=__typename",
                    "inline: type=Person",
                    "field documents: parent=Person type=[Document!] def=documents",
                    "arg filter: input=DocumentFilter default=- def=filter",
                    "objectField order: input=[Order!] parentInput=DocumentFilter",
                    "list: item=Order!",
                    "enum DESC: known=true",
                    "enum ASK: known=false",
                    "objectField limit: input=Int parentInput=DocumentFilter",
                    "arg order: input=Order default=\"ASC\" def=order",
                    "enum ASC: known=true",
                    "field tags: parent=Document type=[String!]! def=tags",
                    "directive skip: known=true",
                    "arg if: input=Boolean! default=- def=if",
                    "inline: type=SearchResult",
                    "field unknownField: parent=SearchResult type=- def=-",
                    "field lookup: parent=Query type=Resource def=lookup",
                    "arg by: input=Lookup! default=- def=by",
                    "objectField id: input=ID parentInput=Lookup!",
                    "field id: parent=Resource type=ID! def=id",
                    "field url: parent=Resource type=String! def=url",
                    "field __schema: parent=Query type=__Schema! def=__schema",
                    "field types: parent=__Schema type=[__Type!]! def=types",
                    "field name: parent=__Type type=String def=name",
                    "field bogus: parent=Query type=- def=-",
                    "arg x: input=- default=- def=-",
                    "field a: parent=- type=- def=-",
                    "field name: parent=Document type=String! def=name",
                ])
        }

        @Test func skippedNodesAreLeftImmediately() throws {
            struct Skipper: ASTVisitor {
                let typeInfo: TypeInfo
                var seen: [String] = []
                mutating func enter(field: FieldNode) -> VisitAction {
                    seen.append("\(field.name.value): \(typeInfo.type?.description ?? "-")")
                    return field.name.value == "search" ? .skipChildren : .continue
                }
                mutating func leave(operationDefinition: OperationDefinitionNode) {
                    seen.append("op: \(typeInfo.type?.description ?? "-")")
                }
            }
            let typeInfo = TypeInfo(schema: Self.schema)
            var visitor = TypeInfoVisitor(typeInfo: typeInfo, base: Skipper(typeInfo: typeInfo))
            visit(try parse(#"{ search(term: "a") { __typename } ratio }"#), &visitor)
            #expect(visitor.base.seen == ["search: [SearchResult!]!", "ratio: Float", "op: Query"])
            #expect(typeInfo.type == nil)
            #expect(typeInfo.parentType == nil)
        }
    }

    @Suite struct TypeComparatorsTests {
        static var schema: GraphQLSchema { TypeSystem.SchemaTests.schema }

        @Test func subTypes() {
            let schema = Self.schema
            #expect(isTypeSubTypeOf(schema, .nonNull(.named("Int")), .named("Int")))
            #expect(!isTypeSubTypeOf(schema, .named("Int"), .nonNull(.named("Int"))))
            #expect(isTypeSubTypeOf(schema, .named("Document"), .named("Node")))
            #expect(isTypeSubTypeOf(schema, .named("Resource"), .named("Node")))
            #expect(isTypeSubTypeOf(schema, .list(.nonNull(.named("Person"))), .list(.named("SearchResult"))))
            #expect(!isTypeSubTypeOf(schema, .list(.named("Person")), .named("SearchResult")))
            #expect(!isTypeSubTypeOf(schema, .named("Person"), .named("Resource")))
            #expect(isEqualType(.list(.named("A")), .list(.named("A"))))
            #expect(!isEqualType(.list(.named("A")), .nonNull(.list(.named("A")))))
        }

        @Test func overlap() throws {
            let schema = Self.schema
            let node = try #require(schema.type(named: "Node"))
            let resource = try #require(schema.type(named: "Resource"))
            let searchResult = try #require(schema.type(named: "SearchResult"))
            let person = try #require(schema.type(named: "Person"))
            let document = try #require(schema.type(named: "Document"))
            #expect(doTypesOverlap(schema, node, searchResult))
            #expect(doTypesOverlap(schema, resource, document))
            #expect(!doTypesOverlap(schema, resource, person))
            #expect(!doTypesOverlap(schema, person, document))
            #expect(doTypesOverlap(schema, person, person))
        }

        @Test func typeFromASTLooksUpNamedTypes() throws {
            #expect(typeFromAST(Self.schema, try parseType("[Order!]")) == .list(.nonNull(.named("Order"))))
            #expect(typeFromAST(Self.schema, try parseType("[Nope]")) == nil)
        }
    }

    @Suite struct ASTFromValueTests {
        static var schema: GraphQLSchema { TypeSystem.SchemaTests.schema }

        func printed(_ value: Value?, _ type: String) throws -> String? {
            try astFromValue(value, type: TypeReference(parseType(type)), schema: Self.schema).map { print($0) }
        }

        @Test func printsDefaultValuesLikeGraphQLJS() throws {
            #expect(try printed(.int(10), "Int") == "10")
            #expect(try printed(.double(1), "Float") == "1")
            #expect(try printed(.double(1.5), "Float") == "1.5")
            #expect(try printed(.string("ASC"), "Order") == "ASC")
            #expect(try printed(.string("12"), "ID") == "12")
            #expect(try printed(.string("x12"), "ID") == "\"x12\"")
            #expect(try printed(.string("a\nb"), "String") == #""a\nb""#)
            #expect(try printed(.null, "Int") == "null")
            #expect(try printed(.null, "Int!") == nil)
            #expect(try printed(nil, "Int") == nil)
            #expect(try printed(["limit": 20, "order": ["DESC"]], "DocumentFilter") == "{limit: 20, order: [DESC]}")
            #expect(try printed(.string("DESC"), "[Order]") == "DESC")
            #expect(try printed([true, false], "[Boolean]") == "[true, false]")
        }
    }
}
