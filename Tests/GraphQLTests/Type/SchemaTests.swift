import Testing

@testable import GraphQL

extension TypeSystem {
    @Suite struct SchemaTests {
        /// The schema the type system tests share: interfaces implementing interfaces, a union, an enum with a
        /// deprecated value, input objects with defaults, a `@oneOf` input, custom scalars and descriptions.
        static let testSDL = #"""
            """The InsightVault test schema."""
            schema {
              query: Query
              mutation: Mutation
            }

            "An ISO-8601 date-time."
            scalar DateTime @specifiedBy(url: "https://scalars.graphql.org/andimarek/date-time")

            scalar JSON

            interface Node {
              id: ID!
            }

            interface Resource implements Node {
              id: ID!
              url: String!
            }

            type Document implements Resource & Node {
              id: ID!
              url: String!
              title: String @deprecated(reason: "Use `name`.")
              name: String!
              tags(first: Int = 10): [String!]!
              createdAt: DateTime
            }

            type Person implements Node {
              id: ID!
              name: String!
              documents(filter: DocumentFilter, order: Order = ASC): [Document!]
            }

            union SearchResult = Document | Person

            enum Order {
              ASC
              DESC @deprecated
            }

            input DocumentFilter {
              titleContains: String
              createdAfter: DateTime
              limit: Int = 20
              order: [Order!] = [DESC]
            }

            input Lookup @oneOf {
              id: ID
              url: String
            }

            type Query {
              node(id: ID!): Node
              search(term: String!, limit: Int = 5): [SearchResult!]!
              lookup(by: Lookup!): Resource
              metadata: JSON
              ratio: Float
            }

            type Mutation {
              tag(id: ID!, tags: [String!]!): Document
            }
            """#

        static let schema: GraphQLSchema = {
            do {
                return try buildSchema(testSDL, options: BuildSchemaOptions(scalars: [.json]))
            } catch {
                preconditionFailure("test schema does not build: \(error)")
            }
        }()

        @Test func typeMapOrderMatchesGraphQLJS() {
            // graphql-js 16 order for the same SDL.
            #expect(
                Self.schema.types.map(\.name) == [
                    "DateTime", "JSON", "Node", "ID", "Resource", "String", "Document", "Int", "Person", "SearchResult",
                    "Order", "DocumentFilter", "Lookup", "Query", "Float", "Mutation", "Boolean", "__Schema", "__Type",
                    "__TypeKind", "__Field", "__InputValue", "__EnumValue", "__Directive", "__DirectiveLocation",
                ])
        }

        @Test func rootTypesAndDirectives() {
            #expect(Self.schema.queryType?.name == "Query")
            #expect(Self.schema.mutationType?.name == "Mutation")
            #expect(Self.schema.subscriptionType == nil)
            #expect(Self.schema.rootType(for: .mutation)?.name == "Mutation")
            #expect(Self.schema.description == "The InsightVault test schema.")
            #expect(Self.schema.directives.map(\.name) == ["include", "skip", "deprecated", "specifiedBy", "oneOf"])
            #expect(Self.schema.directive(named: "skip")?.args.first?.type == .nonNull(.named("Boolean")))
        }

        @Test func abstractTypes() throws {
            let node = try #require(Self.schema.type(named: "Node"))
            let searchResult = try #require(Self.schema.type(named: "SearchResult"))
            let document = try #require(Self.schema.type(named: "Document"))
            let person = try #require(Self.schema.type(named: "Person"))
            let resource = try #require(Self.schema.type(named: "Resource"))
            #expect(Self.schema.possibleTypes(of: node).map(\.name) == ["Document", "Person"])
            #expect(Self.schema.possibleTypes(of: resource).map(\.name) == ["Document"])
            #expect(Self.schema.possibleTypes(of: searchResult).map(\.name) == ["Document", "Person"])
            #expect(Self.schema.implementations(of: node.asInterface!).interfaces.map(\.name) == ["Resource"])
            #expect(Self.schema.isSubType(node, document))
            #expect(Self.schema.isSubType(node, resource))
            #expect(Self.schema.isSubType(searchResult, person))
            #expect(!Self.schema.isSubType(resource, person))
        }

        @Test func fieldsArgumentsAndDefaults() throws {
            let document = try #require(Self.schema.type(named: "Document")?.asObject)
            #expect(document.interfaces == ["Resource", "Node"])
            #expect(document.fields.names == ["id", "url", "title", "name", "tags", "createdAt"])
            #expect(document.fields["title"]?.deprecationReason == "Use `name`.")
            #expect(document.fields["tags"]?.type == .nonNull(.list(.nonNull(.named("String")))))
            #expect(document.fields["tags"]?.argument(named: "first")?.defaultValue == .int(10))
            let person = try #require(Self.schema.type(named: "Person")?.asObject)
            #expect(person.fields["documents"]?.argument(named: "order")?.defaultValue == .string("ASC"))
            let filter = try #require(Self.schema.type(named: "DocumentFilter")?.asInputObject)
            #expect(filter.fields["order"]?.defaultValue == .list([.string("DESC")]))
            #expect(filter.fields["limit"]?.defaultValue == .int(20))
            #expect(filter.fields["titleContains"]?.defaultValue == nil)
            #expect(!filter.isOneOf)
            #expect(Self.schema.type(named: "Lookup")?.asInputObject?.isOneOf == true)
        }

        @Test func enumsAndScalars() throws {
            let order = try #require(Self.schema.type(named: "Order")?.asEnum)
            #expect(order.values.names == ["ASC", "DESC"])
            #expect(order.value(named: "DESC")?.deprecationReason == "No longer supported")
            #expect(try order.serialize(.string("ASC")) == .string("ASC"))
            #expect(try order.parseValue(.string("DESC")) == .string("DESC"))
            do {
                _ = try order.parseValue(.string("ASK"))
                Issue.record("expected an error")
            } catch {
                #expect(error.message == #"Value "ASK" does not exist in "Order" enum. Did you mean the enum value "ASC"?"#)
            }
            let dateTime = try #require(Self.schema.type(named: "DateTime")?.asScalar)
            #expect(dateTime.specifiedByURL == "https://scalars.graphql.org/andimarek/date-time")
            #expect(dateTime.description == "An ISO-8601 date-time.")
            #expect(Self.schema.type(named: "JSON")?.asScalar?.astNode != nil)
        }

        @Test func introspectionTypesAndMetaFields() throws {
            let typeType = try #require(Self.schema.type(named: "__Type")?.asObject)
            #expect(typeType.fields.names.last == "isOneOf")
            let plain = try buildSchema("type Query { a: Int }")
            #expect(plain.type(named: "__Type")?.asObject?.fields.names.last == "ofType")
            #expect(plain.directives.map(\.name) == ["include", "skip", "deprecated", "specifiedBy"])
            #expect(
                plain.types.map(\.name) == [
                    "Query", "Int", "Boolean", "String", "__Schema", "__Type", "__TypeKind", "__Field", "__InputValue",
                    "__EnumValue", "__Directive", "__DirectiveLocation",
                ])
            let query = try #require(plain.type(named: "Query"))
            #expect(TypeInfo.fieldDefinition(plain, query, "__schema")?.type == .nonNull(.named("__Schema")))
            #expect(TypeInfo.fieldDefinition(plain, query, "__type")?.args.map(\.name) == ["name"])
            #expect(TypeInfo.fieldDefinition(plain, query, "__typename")?.type == .nonNull(.named("String")))
            #expect(plain.type(named: "__Schema")?.isIntrospectionType == true)
        }

        @Test func programmaticSchema() {
            let user = GraphQLObjectType(
                name: "User", fields: [GraphQLField(name: "id", type: .nonNull(.named("ID")))])
            let query = GraphQLObjectType(
                name: "Query",
                fields: [GraphQLField(name: "user", type: .named("User"), args: [GraphQLArgument(name: "id", type: .named("ID"))])])
            let schema = GraphQLSchema(query: query, types: [.object(user)])
            #expect(schema.validationErrors.isEmpty)
            #expect(schema.types.map(\.name).prefix(3) == ["User", "ID", "Query"])
        }

        @Test func typeReferences() {
            let reference = TypeReference.nonNull(.list(.nonNull(.named("Int"))))
            #expect(reference.description == "[Int!]!")
            #expect(reference.namedType == "Int")
            #expect(reference.isNonNull)
            #expect(reference.nullable == .list(.nonNull(.named("Int"))))
            #expect(reference.nullable.isList)
        }
    }
}
