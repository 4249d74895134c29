import Analytics
import Foundation
import GraphQL
import Models
import Storage
import Tenancy

extension Resolvers where Context == APIContext {
    /// Dashboards' read-only links: `createDashboardShare`, `revokeDashboardShare`, `Dashboard.shares`, and
    /// `sharedDashboard`, the one report field that needs no sign-in. A link reaches its dashboard's reports and nothing
    /// else: each report of a shared dashboard runs in its own report transaction of the link's organization, opened
    /// by the token again (so a revoked link stops at once), with the range the dashboard or the viewer set.
    mutating func addShareResolvers() {
        resolve("Dashboard", "shares") { (dashboard: DashboardNode, _, context) -> [ShareNode] in
            try await context.services.shares.list(dashboard.principal, dashboard: dashboard.info.id).map(ShareNode.init)
        }
        resolve("Mutation", "createDashboardShare") { (_: Value, args, context) -> Value in
            let principal = try context.principal()
            let input = try Input(args)
            let dashboard: Dashboard.ID = try input.id("dashboardId", "dashboard")
            let created = try await context.services.shares.create(
                principal, dashboard: dashboard, allowRangeChange: input.object["allowRangeChange"]?.boolValue ?? false)
            return .object(["token": .string(created.token), "share": ShareNode(info: created.share).value])
        }
        resolve("Mutation", "revokeDashboardShare") { (_: Value, args, context) -> ShareNode in
            let principal = try context.principal()
            let id: DashboardShare.ID = try Input.id(args, "id", "share")
            return ShareNode(info: try await context.services.shares.revoke(principal, share: id))
        }
        resolve("Query", "sharedDashboard") { (_: Value, args, context) -> SharedDashboardNode in
            let token = args.string("token") ?? ""
            try context.services.shareThrottle.admit(token: token, client: context.clientIP)
            let viewerRange = try args.object("range").map { range -> OrderedObject in
                _ = try ReportInputs.range(range)
                return range
            }
            return try await context.services.shares.withShared(token: token) { _, shared in
                if viewerRange != nil, !shared.share.allowRangeChange {
                    throw ServiceError(.forbidden, "this link does not let viewers change the range")
                }
                return SharedDashboardNode(
                    token: token, shared: shared, range: viewerRange ?? shared.dashboard.dateRange.flatMap { Value($0).objectValue })
            }
        }
        for (kind, field) in [(ReportKind.trends, "trends"), (.funnel, "funnel"), (.retention, "retention")] {
            resolve("SharedDashboardItem", field) { (item: SharedItemNode, _, context) -> Value in
                guard item.kind == kind else { return .null }
                let now = context.services.now()
                // The link is checked again for each report (a revoked link stops at once), without the dashboard.
                return try await context.services.shares.withSharedLink(token: item.token) { tx, link in
                    let scope = ReportScope(org: tx.org, project: link.projectID, timezone: link.timezone)
                    switch kind {
                    case .trends: return try await Self.trends(item.definition, now: now, scope: scope, on: tx)
                    case .funnel: return try await Self.funnel(item.definition, now: now, scope: scope, on: tx)
                    case .retention: return try await Self.retention(item.definition, now: now, scope: scope, on: tx)
                    }
                }
            }
        }
    }
}

/// A `DashboardShare`.
struct ShareNode: Sendable, GraphQLPropertyReadable {
    let info: DashboardShareInfo

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        value[name]
    }

    /// The fields as a GraphQL object.
    var value: Value {
        .object([
            "id": .string(info.id.description), "prefix": .string(info.prefix), "allowRangeChange": .bool(info.allowRangeChange),
            "createdAt": .string(DateTimeText.format(info.createdAt)),
            "revokedAt": info.revokedAt.map { .string(DateTimeText.format($0)) } ?? .null,
        ])
    }
}

/// A `SharedDashboard`: the dashboard as its link shows it, its reports' ranges replaced by `range` when set.
struct SharedDashboardNode: Sendable, GraphQLPropertyReadable {
    let token: String
    let shared: SharedDashboardInfo
    /// The range every report runs over (the viewer's or the dashboard's), as a `ReportRangeInput`; nil: their own.
    let range: OrderedObject?

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "name": shared.dashboard.name
        case "description": shared.dashboard.description
        case "timezone": shared.timezone
        case "dateRange": range.map(Value.object) ?? Value.null
        case "allowRangeChange": shared.share.allowRangeChange
        case "items":
            shared.dashboard.items.map { item in
                SharedItemNode(token: token, item: item, definition: Self.definition(item.report.definition, range: range))
            }
        default: nil
        }
    }

    /// A report's definition with its range (`dateFrom`, `dateTo`, `range`) replaced by `range`'s when given.
    static func definition(_ stored: JSON, range: OrderedObject?) -> OrderedObject {
        var definition = Value(stored).objectValue ?? [:]
        guard let range else { return definition }
        for key in ["dateFrom", "dateTo", "range"] {
            definition[key] = range[key].flatMap { $0.isNull ? nil : $0 }
        }
        return definition
    }
}

/// A `SharedDashboardItem`; its `trends`, `funnel` and `retention` have resolvers.
struct SharedItemNode: Sendable, GraphQLPropertyReadable {
    let token: String
    let item: DashboardItemInfo
    let definition: OrderedObject

    var kind: ReportKind { item.report.kind }

    func graphQLProperty(_ name: String) -> (any Sendable)? {
        switch name {
        case "position": item.position
        case "width": item.width
        case "height": item.height
        case "name": item.report.name
        case "kind": item.report.kind.rawValue
        case "definition": Value.object(definition)
        default: nil
        }
    }
}
