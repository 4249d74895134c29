// Saved reports as the dashboard pages name and link them.
import { ReportKind } from "../api/operations";

const kindNames: Record<ReportKind, string> = { TRENDS: "Trends", FUNNEL: "Funnel", RETENTION: "Retention" };
const builderPaths: Record<ReportKind, string> = { TRENDS: "trends", FUNNEL: "funnels", RETENTION: "retention" };

/** The builder page that opens a saved report (the builders read `?report=`). */
export function reportHref(organizationId: string, projectId: string, report: { id: string; kind: ReportKind }): string {
  return `/orgs/${organizationId}/projects/${projectId}/insights/${builderPaths[report.kind]}?report=${encodeURIComponent(report.id)}`;
}

/** The words for a report's kind. */
export function kindName(kind: ReportKind): string {
  return kindNames[kind];
}
