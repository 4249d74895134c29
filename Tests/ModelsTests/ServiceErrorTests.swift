import Models
import Testing

@Suite struct ServiceErrorTests {
    @Test func codesAreTheContractStrings() {
        #expect(
            ServiceError.Code.allCases.map(\.rawValue) == [
                "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "BAD_USER_INPUT", "RATE_LIMITED", "FEATURE_DISABLED", "INTERNAL",
            ])
    }

    @Test func maskedErrorsHideDetailsButKeepTheRequestID() {
        let error = ServiceError.masked(requestID: "req-42")
        #expect(error.code == .internal)
        #expect(error.message.contains("req-42"))
    }
}
