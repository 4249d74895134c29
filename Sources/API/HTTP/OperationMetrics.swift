import GraphQL
import Metrics
import Storage

/// The GraphQL metrics of one answered request: `insightvault_graphql_operations_total`,
/// `insightvault_graphql_operation_duration_seconds` and `insightvault_graphql_errors_total` (answers carrying
/// errors), by operation type and operation name. Clients choose names, so only the dashboard's own operations are
/// named; every other name is `other`, and a request whose operation was never found is type `none`.
struct OperationMetrics {
    /// `query`, `mutation`, `subscription`, or `none` before an operation is known.
    var type = "none"
    /// A name of `knownOperations`, else `other`.
    var operation = "other"
    /// The answer carries errors.
    var failed = false

    /// The operation about to run.
    mutating func observe(_ definition: OperationDefinitionNode?) {
        guard let definition else { return }
        type = definition.operation.rawValue
        operation = Self.label(definition.name?.value)
    }

    /// Records one answer that took `elapsed`.
    func record(elapsed: Duration) {
        let labels = [("type", type), ("operation", operation)]
        Counter(label: "insightvault_graphql_operations_total", dimensions: labels).increment()
        Metrics.Timer(label: "insightvault_graphql_operation_duration_seconds", dimensions: labels).record(duration: elapsed)
        if failed { Counter(label: "insightvault_graphql_errors_total", dimensions: labels).increment() }
    }

    /// `name` when it is one of the dashboard's operations, else `other`.
    static func label(_ name: String?) -> String {
        guard let name, knownOperations.contains(name) else { return "other" }
        return name
    }

    /// The operations the dashboard (web/src) sends, by name. A test compares this list with web/src.
    static let knownOperations: Set<String> = [
        "AcceptInvitation", "AddMember", "ChangeMemberRole", "ChangePassword", "CreateApiToken", "CreateDashboard",
        "CreateDashboardShare", "CreateOrganization", "CreateProject", "CurrentUser", "DashboardDetail", "DashboardShares",
        "DeleteDashboard", "DeleteProject", "DeleteReport", "EventNames", "ExploreEvents", "FirstEvent", "Funnel",
        "LiveEvents", "LogIn", "LogOut", "LogOutEverywhere", "OrganizationInvitations", "OrganizationMembers",
        "OrganizationProjects", "OrganizationTokens", "PersonDetail", "PersonPropertyKeys", "Persons", "ProjectDashboards",
        "ProjectDetail", "ProjectReports", "PropertyKeys", "RemoveMember", "ReportDetail", "RequestPasswordReset",
        "ResetPassword", "Retention", "RevokeApiToken", "RevokeDashboardShare", "RevokeInvitation", "RevokeSession",
        "SaveReport", "ServerFeatures", "Sessions", "SharedDashboard", "SignUp", "Trends", "UpdateDashboard",
        "UpdateProject", "UpdateReport", "VerifyEmail",
    ]
}

/// `insightvault_report_duration_seconds{kind}`: how long a report's queries take once admitted (`trends`, `funnel`,
/// `retention`, `events` for the explorer); the wait for admission is `insightvault_report_admission_wait_seconds`.
enum ReportMetrics {
    /// Runs `body`, recording its duration under `kind` whether it succeeds or fails.
    static func timed<Result>(_ kind: String, _ body: () async throws -> Result) async throws -> Result {
        let started = ContinuousClock.now
        defer { Metrics.Timer(label: "insightvault_report_duration_seconds", dimensions: [("kind", kind)]).record(since: started) }
        return try await body()
    }
}
