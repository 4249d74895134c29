import GraphQL
import Synchronization

/// The per-case context of the conformance corpus: the data and the mutation counter (RESOLVERS.md).
final class ConformanceContext: Sendable {
    let data: Value
    let counter = Mutex(0)

    init(data: Value) { self.data = data }

    /// Adds `amount` and returns the new counter.
    func increment(by amount: Int) -> Int {
        counter.withLock { value in
            value += amount
            return value
        }
    }
}

/// A `{"__error": "msg"}` marker of data.json, thrown when a resolver produces it.
struct MarkerError: Error, CustomStringConvertible {
    let description: String
}

/// The resolvers of RESOLVERS.md over `data.json`, mirroring the `RESOLVERS` table of oracle.js.
enum ConformanceResolvers {
    /// DateTime: a string like `2024-01-31T12:00:00Z` in and out.
    static let dateTime = GraphQLScalarType(
        name: "DateTime",
        serialize: { value throws(GraphQLError) in try checkDateTime(value) },
        parseValue: { value throws(GraphQLError) in try checkDateTime(value) },
        parseLiteral: { node, _ throws(GraphQLError) in
            guard case .string(let string) = node else {
                throw GraphQLError("DateTime cannot represent non-string literal: \(print(node))")
            }
            return try checkDateTime(.string(string.value))
        })

    static func checkDateTime(_ value: Value) throws(GraphQLError) -> Value {
        if case .string(let string) = value {
            let bytes = Array(string.utf8)
            let pattern = Array("dddd-dd-ddTdd:dd:ddZ".utf8)
            if bytes.count == pattern.count
                && zip(bytes, pattern).allSatisfy({ byte, expected in
                    expected == UInt8(ascii: "d") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
                })
            {
                return value
            }
        }
        throw GraphQLError("DateTime cannot represent value: \(value.jsonString())")
    }

    static func byId(_ list: Value?, _ id: String?) -> Value {
        guard let id, case .list(let items)? = list else { return .null }
        return items.first { $0["id"] == .string(id) } ?? .null
    }

    static func anyNode(_ data: Value, _ id: String?) -> Value {
        for key in ["users", "teams", "documents"] {
            let found = byId(data[key], id)
            if !found.isNull { return found }
        }
        return .null
    }

    /// A data.json value as resolvers return it: markers become errors, also inside lists.
    static func revive(_ value: Value) -> any Sendable {
        switch value {
        case .object(let object):
            if case .string(let message)? = object["__error"] { return MarkerError(description: message) }
            return value
        case .list(let items):
            guard items.contains(where: { $0["__error"] != nil }) else { return value }
            return items.map { revive($0) }
        default:
            return value
        }
    }

    static func lowerASCII(_ string: String) -> String {
        String(decoding: string.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    static func strings(_ value: Value?) -> [String] { value?.listValue?.compactMap(\.stringValue) ?? [] }

    static func make() -> Resolvers<ConformanceContext> {
        var r = Resolvers<ConformanceContext>()
        r.defaultResolver = { parent, _, _, info in
            guard let object = (parent as? Value)?.objectValue else { return nil }
            guard let value = object[info.fieldName] else { return nil }
            let revived = revive(value)
            if let error = revived as? MarkerError { throw error }
            return revived
        }
        for name in ["Node", "Named", "SearchResult"] {
            r.type(name) { (value: Value, _, _) in value["__typename"]?.stringValue }
        }
        addQuery(&r)
        addMutation(&r)
        addObjects(&r)
        return r
    }

    static func addQuery(_ r: inout Resolvers<ConformanceContext>) {
        r.field("Query", "me") { (_: Value, _, c, _) in c.data["users"]?[0] ?? .null }
        r.field("Query", "node") { (_: Value, a, c, _) in anyNode(c.data, a.string("id")) }
        r.field("Query", "nodes") { (_: Value, a, c, _) in
            Value.list(strings(a["ids"]).map { anyNode(c.data, $0) })
        }
        r.field("Query", "named") { (_: Value, _, c, _) in
            Value.list((c.data["users"]?.listValue ?? []) + (c.data["teams"]?.listValue ?? []))
        }
        r.field("Query", "user") { (_: Value, a, c, _) in byId(c.data["users"], a.string("id")) }
        r.field("Query", "team") { (_: Value, a, c, _) in byId(c.data["teams"], a.string("id")) }
        r.field("Query", "document") { (_: Value, a, c, _) in byId(c.data["documents"], a.string("id")) }
        r.field("Query", "findUser") { (_: Value, a, c, _) in
            let by = a["by"] ?? .null
            let users = c.data["users"]?.listValue ?? []
            return users.first { user in
                for key in ["id", "email", "name"] {
                    if let wanted = by[key], !wanted.isNull, user[key] == wanted { return true }
                }
                return false
            } ?? .null
        }
        r.field("Query", "users") { (_: Value, a, c, _) in
            let role = a.string("role")
            let users = (c.data["users"]?.listValue ?? []).filter { role == nil || $0["role"]?.stringValue == role }
            let offset = a.int("offset") ?? 0
            let first = a.int("first") ?? 10
            let start = min(max(offset, 0), users.count)
            let end = min(max(offset + first, start), users.count)
            return Value.list(Array(users[start..<end]))
        }
        r.field("Query", "teams") { (_: Value, _, c, _) in c.data["teams"] ?? .null }
        r.field("Query", "documents") { (_: Value, a, c, _) in
            let documents = c.data["documents"]?.listValue ?? []
            guard let filter = a["filter"], !filter.isNull else { return Value.list(documents) }
            return Value.list(
                documents.filter { document in
                    if let status = filter["status"], !status.isNull, document["status"] != status { return false }
                    if let author = filter["authorId"], !author.isNull, document["authorId"] != author { return false }
                    if let tag = filter["tag"]?.stringValue, !strings(document["tags"]).contains(tag) { return false }
                    return true
                })
        }
        r.field("Query", "search") { (_: Value, a, c, _) in
            let text = lowerASCII(a.string("text") ?? "")
            var candidates: [(Value, String)] = []
            for (key, property) in [("users", "name"), ("teams", "name"), ("documents", "title")] {
                for item in c.data[key]?.listValue ?? [] { candidates.append((item, item[property]?.stringValue ?? "")) }
            }
            let matches = candidates.filter { lowerASCII($0.1).contains(text) || text.isEmpty }.map(\.0)
            return Value.list(Array(matches.prefix(max(0, a.int("limit") ?? 10))))
        }
        r.field("Query", "echo") { (_: Value, a, _, _) in a.jsonValue.jsonString() }
        r.field("Query", "echoDefaults") { (_: Value, a, _, _) in a.jsonValue.jsonString() }
        for name in ["echoString", "echoInt", "echoFloat", "echoBoolean", "echoID", "echoRole", "echoDateTime"] {
            r.field("Query", name) { (_: Value, a, _, _) in a["value"] ?? .null }
        }
        for name in ["echoList", "echoMatrix", "echoNonNullList"] {
            r.field("Query", name) { (_: Value, a, _, _) in a["values"] ?? .null }
        }
        r.field("Query", "counter") { (_: Value, _, c, _) in c.counter.withLock { $0 } }
        r.field("Query", "failing") { (_: Value, _, _, _) throws -> Value in throw MarkerError(description: "boom") }
        r.field("Query", "failingNonNull") { (_: Value, _, _, _) throws -> Value in
            throw MarkerError(description: "boom (non-null)")
        }
        r.field("Query", "nullNonNull") { (_: Value, _, _, _) in Value.null }
        r.field("Query", "asyncValue") { (_: Value, _, _, _) async in
            await Task.yield()
            return "async hello"
        }
        r.field("Query", "asyncFailing") { (_: Value, _, _, _) async throws -> Value in
            await Task.yield()
            throw MarkerError(description: "async boom")
        }
        r.field("Query", "chaos") { (_: Value, _, c, _) in c.data["chaos"] ?? .null }
        r.field("Query", "chaosNonNull") { (_: Value, _, c, _) in c.data["chaos"] ?? .null }
    }

    static func addMutation(_ r: inout Resolvers<ConformanceContext>) {
        r.field("Mutation", "increment") { (_: Value, a, c, _) in c.increment(by: a.int("by") ?? 0) }
        r.field("Mutation", "incrementAsync") { (_: Value, a, c, _) async in
            await Task.yield()
            return c.increment(by: a.int("by") ?? 0)
        }
        r.field("Mutation", "failingIncrement") { (_: Value, _, c, _) throws -> Value in
            throw MarkerError(description: "failingIncrement failed at \(c.increment(by: 1))")
        }
        r.field("Mutation", "failingIncrementNonNull") { (_: Value, _, c, _) throws -> Value in
            throw MarkerError(description: "failed at \(c.increment(by: 1))")
        }
        r.field("Mutation", "createDocument") { (_: Value, a, c, _) in
            let counter = c.increment(by: 1)
            let input = a["input"] ?? .null
            let document: OrderedObject = [
                "__typename": "Document", "id": .string("new-\(counter)"), "title": input["title"] ?? .null,
                "body": input["body"] ?? .null, "status": input["status"] ?? .null,
                "authorId": input["authorId"] ?? .null, "createdAt": "2000-01-01T00:00:00Z",
                "tags": input["tags"] ?? .null, "ratings": .null,
            ]
            return Value.object(document)
        }
        r.field("Mutation", "setRole") { (_: Value, a, c, _) in
            guard case .object(var user) = byId(c.data["users"], a.string("userId")) else { return Value.null }
            user["role"] = a["role"] ?? .null
            return Value.object(user)
        }
    }

    static func addObjects(_ r: inout Resolvers<ConformanceContext>) {
        r.field("User", "friends") { (u: Value, _, c, _) in
            Value.list(strings(u["friendIds"]).map { byId(c.data["users"], $0) })
        }
        r.field("User", "manager") { (u: Value, _, c, _) in byId(c.data["users"], u["managerId"]?.stringValue) }
        r.field("User", "team") { (u: Value, _, c, _) in
            let id = u["id"]?.stringValue ?? ""
            return (c.data["teams"]?.listValue ?? []).first { strings($0["memberIds"]).contains(id) } ?? .null
        }
        r.field("User", "documents") { (u: Value, a, c, _) in
            let status = a.string("status")
            let documents = (c.data["documents"]?.listValue ?? []).filter {
                $0["authorId"] == u["id"] && (status == nil || $0["status"]?.stringValue == status)
            }
            return Value.list(Array(documents.prefix(max(0, a.int("first") ?? 10))))
        }
        r.field("User", "greeting") { (u: Value, a, _, _) in
            "\(a.string("greeting") ?? ""), \(u["name"]?.stringValue ?? "")\(a.string("punctuation") ?? "")"
        }
        r.field("Team", "lead") { (t: Value, _, c, _) in byId(c.data["users"], t["leadId"]?.stringValue) }
        r.field("Team", "members") { (t: Value, _, c, _) in
            Value.list(strings(t["memberIds"]).map { byId(c.data["users"], $0) })
        }
        r.field("Document", "author") { (d: Value, _, c, _) in byId(c.data["users"], d["authorId"]?.stringValue) }
        r.field("Chaos", "nested") { (chaos: Value, _, _, _) in chaos }
        r.field("Chaos", "nestedNonNull") { (chaos: Value, _, _, _) in chaos }
        r.field("Chaos", "asyncOk") { (chaos: Value, _, _, _) async in
            await Task.yield()
            return chaos["ok"] ?? .null
        }
        r.field("Chaos", "asyncThrows") { (_: Value, _, _, _) async throws -> Value in
            await Task.yield()
            throw MarkerError(description: "asyncThrows failed")
        }
        r.field("Chaos", "asyncNonNullThrows") { (_: Value, _, _, _) async throws -> Value in
            await Task.yield()
            throw MarkerError(description: "asyncNonNullThrows failed")
        }
    }
}
