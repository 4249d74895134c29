// A report of any kind, run and rendered from its definition (the TrendsInput, FunnelInput or RetentionInput JSON a
// saved report keeps): the builders show their report with it, and a dashboard can show saved reports with it.
// It runs the report whenever the definition changes, shows progress with Cancel after 300 ms, and renders the
// kind's chart and table (CSV export included).
import { ReactNode } from "react";
import { useQuery } from "../api/hooks";
import {
  Funnel,
  FunnelInput,
  ProjectDetail,
  ReportKind,
  Retention,
  RetentionInput,
  Trends,
  TrendsInput,
} from "../api/operations";
import { ErrorMessage, Loading } from "../components/ui";
import { FunnelView } from "./FunnelView";
import { ReportProgress } from "./ReportProgress";
import { RetentionView } from "./RetentionView";
import { TrendsView } from "./TrendsView";
import { ReportRun, useReport } from "./useReport";

/** What ReportView takes. */
export interface ReportViewProps {
  /** The project the report reads. */
  projectId: string;
  kind: ReportKind;
  /** The report's input as the server takes it (a saved report's `definition`), run as it is. */
  definition: unknown;
  /** The project's IANA time zone, for bucket and cohort labels; looked up (`project`) when omitted. */
  timeZone?: string;
  /** Trends only: a line chart (the default) or bars. */
  chart?: "line" | "bar";
  /** Names the CSV file (`<name>-<date>.csv`); the kind when omitted. */
  name?: string;
  /** False leaves the table (and its CSV export) out, for a small tile; retention always has its table. */
  showTable?: boolean;
}

function fileName(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "report";
  return `${safe}-${new Date().toISOString().slice(0, 10)}`;
}

/** The progress above the result, which is dimmed while a newer run is under way. */
function RunFrame<T, V>(props: { run: ReportRun<T, V>; children: ReactNode }) {
  const { run } = props;
  const running = run.status === "running";
  return (
    <section aria-label="Report result" aria-busy={running}>
      <ReportProgress status={run.status} elapsedMs={run.elapsedMs} error={run.error} onCancel={run.cancel} onRun={run.run} />
      <div className={running && run.data ? "opacity-60" : ""}>{props.children}</div>
    </section>
  );
}

function TrendsReport(props: { projectId: string; input: TrendsInput; timeZone: string; chart: "line" | "bar"; file: string; showTable?: boolean }) {
  const run = useReport(Trends, { projectId: props.projectId, input: props.input });
  return (
    <RunFrame run={run}>
      {run.data && run.dataVariables && (
        <TrendsView
          result={run.data.trends}
          input={run.dataVariables.input}
          timeZone={props.timeZone}
          chart={props.chart}
          fileName={props.file}
          showTable={props.showTable}
        />
      )}
    </RunFrame>
  );
}

function FunnelReport(props: { projectId: string; input: FunnelInput; file: string; showTable?: boolean }) {
  const run = useReport(Funnel, { projectId: props.projectId, input: props.input });
  return (
    <RunFrame run={run}>
      {run.data && run.dataVariables && (
        <FunnelView result={run.data.funnel} input={run.dataVariables.input} fileName={props.file} showTable={props.showTable} />
      )}
    </RunFrame>
  );
}

function RetentionReport(props: { projectId: string; input: RetentionInput; timeZone: string; file: string }) {
  const run = useReport(Retention, { projectId: props.projectId, input: props.input });
  return (
    <RunFrame run={run}>
      {run.data && run.dataVariables && (
        <RetentionView result={run.data.retention} input={run.dataVariables.input} timeZone={props.timeZone} fileName={props.file} />
      )}
    </RunFrame>
  );
}

/** Runs a report from its kind and definition and shows its chart and table. */
export function ReportView(props: ReportViewProps) {
  const project = useQuery(ProjectDetail, { id: props.projectId }, { skip: Boolean(props.timeZone) });
  const timeZone = props.timeZone ?? project.data?.project?.timezone;
  if (!timeZone) {
    if (project.error) return <ErrorMessage error={project.error} onRetry={project.reload} />;
    if (project.data) return <ErrorMessage error={new Error("This project does not exist or you cannot read it.")} />;
    return <Loading />;
  }
  const file = fileName(props.name ?? props.kind);
  switch (props.kind) {
    case "TRENDS":
      return (
        <TrendsReport
          projectId={props.projectId}
          input={props.definition as TrendsInput}
          timeZone={timeZone}
          chart={props.chart ?? "line"}
          file={file}
          showTable={props.showTable}
        />
      );
    case "FUNNEL":
      return <FunnelReport projectId={props.projectId} input={props.definition as FunnelInput} file={file} showTable={props.showTable} />;
    case "RETENTION":
      return <RetentionReport projectId={props.projectId} input={props.definition as RetentionInput} timeZone={timeZone} file={file} />;
  }
}
