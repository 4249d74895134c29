import Foundation
import TestSupport
import Testing

@testable import API

@Suite struct OperationMetricsTests {
    /// The names the metrics keep are exactly the operations the dashboard sends: a new page's operation is counted
    /// by name, and nothing else a client names its operation becomes a label value.
    @Test func knownOperationsAreTheDashboardsOperations() throws {
        let sources = TestDatabase.repositoryRoot.appendingPathComponent("web/src")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        let declaration = try Regex("`\\s*(?:query|mutation|subscription)\\s+([A-Z]\\w*)\\s*[({]")
        var names: Set<String> = []
        for case let file as URL in files where ["ts", "tsx"].contains(file.pathExtension) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: declaration) {
                if let name = match.output[1].substring { names.insert(String(name)) }
            }
        }
        #expect(names.count > 40)
        let known = OperationMetrics.knownOperations
        #expect(names == known, "only in web/src: \(names.subtracting(known)); only in the list: \(known.subtracting(names))")
    }

    @Test func clientChosenNamesAreOther() {
        #expect(OperationMetrics.label("Trends") == "Trends")
        #expect(OperationMetrics.label("trends") == "other")
        #expect(OperationMetrics.label("MyOwnQuery") == "other")
        #expect(OperationMetrics.label(nil) == "other")
    }
}
