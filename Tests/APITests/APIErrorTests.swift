import API
import Testing

@Suite struct APIErrorTests {
    @Test func codesAreTheContractStrings() {
        #expect(APIError.Code.allCases.map(\.rawValue) == [
            "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "RATE_LIMITED", "INTERNAL",
        ])
    }

    @Test func maskedErrorsHideDetailsButKeepTheRequestID() {
        let error = APIError.masked(requestID: "req-42")
        #expect(error.code == .internal)
        #expect(error.message.contains("req-42"))
    }
}
