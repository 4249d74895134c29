// What the three builders share: the project (its time zone labels everything), the saved report `?report=<id>`
// opens, the builder state read from the URL (or, with only `?report=<id>`, from the report's definition) and written
// back into it on every change, the save controls (not for VIEWERs), and the report itself (ReportView).
import { ReactNode, useState } from "react";
import { useQuery } from "../api/hooks";
import { ProjectDetail, ReportDetail, ReportKind, SavedReport } from "../api/operations";
import { OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { Card, ErrorMessage, Loading, PageHeader } from "../components/ui";
import { Link, navigate } from "../router";
import { PropertyKeyList, usePickerData } from "./EventPicker";
import { ReportView } from "./ReportView";
import { SaveReport } from "./SaveReport";
import { hasState } from "./urlState";

const builderPaths: Record<ReportKind, string> = { TRENDS: "trends", FUNNEL: "funnels", RETENTION: "retention" };
const titles: Record<ReportKind, string> = { TRENDS: "Trends", FUNNEL: "Funnels", RETENTION: "Retention" };

/** What a builder's form gets: the state, how to change it, the picker data and the project's time zone. */
export interface BuilderFormProps<S> {
  state: S;
  onChange: (state: S) => void;
  eventNames: string[];
  propertyKeys: string[];
  timeZone: string;
}

/** How one kind of report maps between URL, builder state and report input. */
export interface BuilderKind<S> {
  kind: ReportKind;
  read: (search: URLSearchParams) => S;
  write: (state: S, reportId: string | null) => string;
  fromInput: (definition: unknown, timeZone: string) => S;
  /** The report input, or what is missing before it can run. */
  toInput: (state: S, timeZone: string) => object | string;
  form: (props: BuilderFormProps<S>) => ReactNode;
  chart?: (state: S) => "line" | "bar";
}

/** A builder page for one kind of report. */
export function BuilderFrame<S>(props: { ctx: OrgContext; projectId: string; search: URLSearchParams; builder: BuilderKind<S> }) {
  const { ctx, projectId, search, builder } = props;
  const base = `/orgs/${ctx.organizationId}/projects/${projectId}/insights`;
  const path = `${base}/${builderPaths[builder.kind]}`;
  const reportId = search.get("report");
  const project = useQuery(ProjectDetail, { id: projectId });
  const saved = useQuery(ReportDetail, { id: reportId ?? "" }, { skip: !reportId });
  const picker = usePickerData(projectId);
  // The report as saved from this page (so saving does not wait for the report to be read again).
  const [known, setKnown] = useState<SavedReport | null>(null);

  const header = (title: string) => (
    <>
      <PageHeader title={title} />
      <ProjectTabs organizationId={ctx.organizationId} projectId={projectId} current={`insights/${builderPaths[builder.kind]}`} />
    </>
  );
  const timeZone = project.data?.project?.timezone;
  const fetched = saved.data?.report?.id === reportId ? saved.data?.report ?? null : null;
  const report: SavedReport | null = reportId ? (known?.id === reportId ? known : fetched) : null;
  // Only `?report=<id>` alone needs the report before the builder can show (its definition is the state); with the
  // state in the URL the builder shows at once, and the report's name and Save follow when it arrives.
  const needsDefinition = Boolean(reportId) && !hasState(search);
  const answered = !saved.loading && (saved.error !== null || (saved.data !== null && saved.data.report === null));
  const missing = Boolean(reportId) && !report && answered;
  if (!timeZone || (needsDefinition && !report && !missing)) {
    const error = project.error ?? saved.error ?? (project.data && !project.data.project ? new Error("This project does not exist.") : null);
    return (
      <div>
        {header(titles[builder.kind])}
        {error ? <ErrorMessage error={error} onRetry={project.error ? project.reload : saved.reload} /> : <Loading />}
      </div>
    );
  }
  if (missing || (report && report.project.id !== projectId)) {
    return (
      <div>
        {header(titles[builder.kind])}
        <ErrorMessage
          error={saved.error ?? new Error("This saved report does not exist in this project.")}
          onRetry={saved.error ? saved.reload : undefined}
        />
      </div>
    );
  }
  if (report && report.kind !== builder.kind) {
    return (
      <div>
        {header(titles[builder.kind])}
        <p className="text-sm">
          “{report.name}” is a {titles[report.kind].toLowerCase()} report:{" "}
          <Link href={`${base}/${builderPaths[report.kind]}?report=${encodeURIComponent(report.id)}`} className="font-medium text-indigo-700 underline dark:text-indigo-300">
            open it in its builder
          </Link>
          .
        </p>
      </div>
    );
  }

  const state = report && !hasState(search) ? builder.fromInput(report.definition, timeZone) : builder.read(search);
  const change = (next: S, id: string | null = reportId) => navigate(`${path}?${builder.write(next, id)}`, true);
  const input = builder.toInput(state, timeZone);
  const onSaved = (next: SavedReport) => {
    setKnown(next);
    if (next.id !== reportId) change(state, next.id);
  };
  return (
    <div>
      {header(report ? `${titles[builder.kind]}: ${report.name}` : titles[builder.kind])}
      <PropertyKeyList keys={picker.propertyKeys} personKeys={picker.personPropertyKeys} />
      <Card className="mb-6">
        {builder.form({ state, onChange: (next) => change(next), eventNames: picker.eventNames, propertyKeys: picker.propertyKeys, timeZone })}
      </Card>
      {ctx.role !== "VIEWER" && (
        <Card className="mb-6">
          <SaveReport
            projectId={projectId}
            kind={builder.kind}
            definition={typeof input === "string" ? null : input}
            report={report}
            onSaved={onSaved}
          />
        </Card>
      )}
      <Card>
        {typeof input === "string" ? (
          <p className="text-sm text-gray-700 dark:text-gray-300">{input}</p>
        ) : (
          <ReportView
            projectId={projectId}
            kind={builder.kind}
            definition={input}
            timeZone={timeZone}
            chart={builder.chart?.(state)}
            name={report?.name ?? titles[builder.kind]}
          />
        )}
      </Card>
    </div>
  );
}
