import Accounts
import Tenancy
import Foundation
import GraphQL
import Models
import Analytics

extension Resolvers where Context == APIContext {
    /// Saved reports and dashboards: `reports`, `report`, `dashboards`, `dashboard`, their mutations, and the
    /// `Report.project`, `Dashboard.project` fields. A report's definition is checked against the GraphQL input type of
    /// its kind with the engine's input coercion, after the project or report was found and the role checked.
    mutating func addReportResolvers() {
        resolve("Query", "reports") { (_: Value, args, context) -> [ReportNode] in
            let principal = try context.principal()
            let project: Project.ID = try Input.id(args, "projectId", "project")
            return try await context.services.reports.list(principal, project: project).map { ReportNode(info: $0, principal: principal) }
        }
        resolve("Query", "report") { (_: Value, args, context) -> ReportNode in
            let principal = try context.principal()
            let id: Report.ID = try Input.id(args, "id", "report")
            return ReportNode(info: try await context.services.reports.get(principal, report: id), principal: principal)
        }
        resolve("Report", "project") { (report: ReportNode, _, context) -> ProjectNode in
            let info = try await context.services.projects.get(report.principal, project: report.info.projectID)
            return ProjectNode(info: info, principal: report.principal)
        }
        resolveWithSchema("Mutation", "saveReport") { args, context, schema -> ReportNode in
            let principal = try context.principal()
            let input = try Input(args)
            let project: Project.ID = try input.id("projectId", "project")
            guard let kind = ReportKind(rawValue: try input.string("kind")) else {
                throw ServiceError(.badUserInput, "unknown report kind")
            }
            let report = try await context.services.reports.save(
                principal, project: project, name: try input.string("name"), kind: kind,
                definition: JSON(input.object["definition"] ?? .null), check: ReportDefinitions.check(schema))
            return ReportNode(info: report, principal: principal)
        }
        resolveWithSchema("Mutation", "updateReport") { args, context, schema -> ReportNode in
            let principal = try context.principal()
            let input = try Input(args)
            let id: Report.ID = try input.id("id", "report")
            let definition = input.object["definition"].flatMap { $0.isNull ? nil : JSON($0) }
            let report = try await context.services.reports.update(
                principal, report: id, name: input.optionalString("name"), definition: definition,
                check: ReportDefinitions.check(schema))
            return ReportNode(info: report, principal: principal)
        }
        resolve("Mutation", "deleteReport") { (_: Value, args, context) -> Bool in
            let principal = try context.principal()
            let id: Report.ID = try Input.id(args, "id", "report")
            try await context.services.reports.delete(principal, report: id)
            return true
        }
        addDashboardResolvers()
    }

    private mutating func addDashboardResolvers() {
        resolve("Query", "dashboards") { (_: Value, args, context) -> [DashboardNode] in
            let principal = try context.principal()
            let project: Project.ID = try Input.id(args, "projectId", "project")
            return try await context.services.dashboards.list(principal, project: project).map {
                DashboardNode(info: $0, principal: principal)
            }
        }
        resolve("Query", "dashboard") { (_: Value, args, context) -> DashboardNode in
            let principal = try context.principal()
            let id: Dashboard.ID = try Input.id(args, "id", "dashboard")
            return DashboardNode(info: try await context.services.dashboards.get(principal, dashboard: id), principal: principal)
        }
        resolve("Dashboard", "project") { (dashboard: DashboardNode, _, context) -> ProjectNode in
            let info = try await context.services.projects.get(dashboard.principal, project: dashboard.info.projectID)
            return ProjectNode(info: info, principal: dashboard.principal)
        }
        resolve("Mutation", "createDashboard") { (_: Value, args, context) -> DashboardNode in
            let principal = try context.principal()
            let input = try Input(args)
            let project: Project.ID = try input.id("projectId", "project")
            let dashboard = try await context.services.dashboards.create(
                principal, project: project, name: try input.string("name"), description: input.optionalString("description"))
            return DashboardNode(info: dashboard, principal: principal)
        }
        resolve("Mutation", "updateDashboard") { (_: Value, args, context) -> DashboardNode in
            let principal = try context.principal()
            let input = try Input(args)
            let id: Dashboard.ID = try input.id("id", "dashboard")
            // A description given as null clears it; an absent one is kept.
            let description: String?? = input.contains("description") ? .some(input.optionalString("description")) : .none
            // Likewise the date range; one that is given must be a valid range (dates, or a relative range).
            var dateRange: JSON?? = .none
            if let range = input.object["dateRange"] {
                if let object = range.objectValue {
                    _ = try ReportInputs.range(object)
                    dateRange = .some(ReportInputs.json(range))
                } else {
                    dateRange = .some(nil)
                }
            }
            let dashboard = try await context.services.dashboards.update(
                principal, dashboard: id, name: input.optionalString("name"), description: description,
                items: try Self.dashboardItems(input.object["items"]), dateRange: dateRange)
            return DashboardNode(info: dashboard, principal: principal)
        }
        resolve("Mutation", "deleteDashboard") { (_: Value, args, context) -> Bool in
            let principal = try context.principal()
            let id: Dashboard.ID = try Input.id(args, "id", "dashboard")
            try await context.services.dashboards.delete(principal, dashboard: id)
            return true
        }
    }

    /// `[DashboardItemInput!]` as item specs; absent or null means "keep the items". A `reportId` that is not a UUID is
    /// `NOT_FOUND` like an unknown report; a null size takes the default.
    private static func dashboardItems(_ value: Value?) throws -> [DashboardItemSpec]? {
        guard let list = value?.listValue else { return nil }
        return try list.map { item in
            guard let reportID = item["reportId"]?.stringValue else { throw ServiceError(.badUserInput, "reportId is required") }
            return DashboardItemSpec(
                reportID: try Input.id(reportID, "report"), width: item["width"]?.intValue ?? 6, height: item["height"]?.intValue ?? 4)
        }
    }

    /// Registers a root field resolver that also receives the schema (for checking report definitions).
    private mutating func resolveWithSchema<Result: Sendable>(
        _ typeName: String, _ fieldName: String,
        _ body: @escaping @Sendable (Arguments, APIContext, GraphQLSchema) async throws -> Result
    ) {
        field(typeName, fieldName) { (_: Value, args: Arguments, context: APIContext, info: ResolveInfo) async throws -> Result in
            do {
                return try await body(args.replacingNUL(), context, info.schema)
            } catch {
                throw context.clientError(error)
            }
        }
    }
}

/// Checks report definitions against the schema's input types.
enum ReportDefinitions {
    /// A check that coerces the definition to its kind's input type (`TrendsInput`, `FunnelInput`, `RetentionInput`)
    /// as a variable of that type would be, then checks its range (`dateFrom` and `dateTo`, or a relative `range`,
    /// kept as such), and reports the first problem as `BAD_USER_INPUT`.
    static func check(_ schema: GraphQLSchema) -> ReportDefinitionCheck {
        { kind, definition in
            let coerced: Value
            do {
                coerced = try coerceInputValue(Value(definition), type: .nonNull(.named(kind.inputTypeName)), schema: schema)
            } catch {
                let reason = (error as? GraphQLError)?.message ?? "\(error)"
                throw ServiceError(.badUserInput, "definition is not a valid \(kind.inputTypeName): \(reason)")
            }
            do {
                _ = try ReportInputs.range(coerced.objectValue ?? [:])
            } catch let error as ServiceError {
                throw ServiceError(.badUserInput, "definition is not a valid \(kind.inputTypeName): \(error.message)")
            }
        }
    }
}

extension Value {
    /// A GraphQL value of a stored JSON value.
    init(_ json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = Int(exactly: value).map(Value.int) ?? .double(Double(value))
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let values): self = .list(values.map(Value.init))
        case .object(let object):
            self = .object(OrderedObject(object.sorted { $0.key < $1.key }.map { ($0.key, Value($0.value)) }))
        }
    }
}

extension JSON {
    /// The JSON value of a GraphQL input value (object key order is not kept).
    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(Int64(value))
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .list(let values): self = .array(values.map(JSON.init))
        case .object(let object):
            var members: [String: JSON] = [:]
            for (key, value) in object { members[key] = JSON(value) }
            self = .object(members)
        }
    }
}
