import Foundation
import GraphQL
import Testing

@testable import API

@Suite struct HTTPNegotiationTests {
    @Test func graphQLResponseMediaTypeOnlyWhenAccepted() {
        let modern = GraphQLHTTPHandler.graphQLResponseMediaType
        #expect(GraphQLHTTPHandler.responseMediaType(accept: nil) == "application/json")
        #expect(GraphQLHTTPHandler.responseMediaType(accept: "*/*") == "application/json")
        #expect(GraphQLHTTPHandler.responseMediaType(accept: modern) == modern)
        #expect(GraphQLHTTPHandler.responseMediaType(accept: "application/json, \(modern);q=0.5") == "application/json")
        #expect(GraphQLHTTPHandler.responseMediaType(accept: "\(modern), application/json;q=0.9") == modern)
        #expect(GraphQLHTTPHandler.responseMediaType(accept: "\(modern);q=0") == "application/json")
    }

    @Test func postNeedsJSONAndAnObjectBody() {
        typealias Outcome = Result<GraphQLHTTPHandler.Parameters, GraphQLHTTPHandler.RequestFailure>
        func parameters(_ contentType: String?, _ body: String) -> Outcome {
            GraphQLHTTPHandler.parameters(
                of: GraphQLHTTPRequest(method: .post, contentType: contentType, body: Array(body.utf8), requestID: "r"))
        }
        #expect(throws: GraphQLHTTPHandler.RequestFailure.self) { try parameters("text/plain", "{}").get() }
        #expect((try? parameters("text/plain", "{}").get()) == nil)
        if case .failure(let failure) = parameters("text/plain", "{}") { #expect(failure.status == 415) }
        if case .failure(let failure) = parameters("application/json", "[1]") { #expect(failure.status == 400) }
        if case .failure(let failure) = parameters("application/json", #"{"variables": 3}"#) { #expect(failure.status == 400) }
        let ok = try? parameters("application/json; charset=utf-8", #"{"query": "{ a }", "operationName": null}"#).get()
        #expect(ok?.query == "{ a }")
        #expect(ok?.operationName == nil)
    }

    @Test func getReadsVariablesAsJSON() throws {
        let request = GraphQLHTTPRequest(
            method: .get, queryParameters: ["query": "{ a }", "variables": #"{"x": 1}"#, "operationName": ""], requestID: "r")
        let parsed = try GraphQLHTTPHandler.parameters(of: request).get()
        #expect(parsed.variables?["x"]?.intValue == 1)
        #expect(parsed.operationName == nil)
        let bad = GraphQLHTTPRequest(method: .get, queryParameters: ["query": "{ a }", "variables": "[1]"], requestID: "r")
        #expect(throws: GraphQLHTTPHandler.RequestFailure.self) { try GraphQLHTTPHandler.parameters(of: bad).get() }
    }
}
