// A report answer that is already there (a share link's page gets every report's answer in one request), drawn with
// the builders' views: chart and table of the report's kind.
import {
  FunnelInput,
  FunnelResult,
  ReportKind,
  RetentionInput,
  RetentionResult,
  TrendsInput,
  TrendsResult,
} from "../api/operations";
import { ErrorMessage } from "../components/ui";
import { FunnelView } from "../insights/FunnelView";
import { RetentionView } from "../insights/RetentionView";
import { TrendsView } from "../insights/TrendsView";

function fileName(name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "report";
  return `${safe}-${new Date().toISOString().slice(0, 10)}`;
}

/** The answer of a report of `kind` that ran with `definition`. */
export function ResultView(props: {
  kind: ReportKind;
  definition: unknown;
  trends: TrendsResult | null;
  funnel: FunnelResult | null;
  retention: RetentionResult | null;
  timeZone: string;
  name: string;
}) {
  const file = fileName(props.name);
  if (props.kind === "TRENDS" && props.trends) {
    return (
      <TrendsView result={props.trends} input={props.definition as TrendsInput} timeZone={props.timeZone} chart="line" fileName={file} />
    );
  }
  if (props.kind === "FUNNEL" && props.funnel) {
    return <FunnelView result={props.funnel} input={props.definition as FunnelInput} fileName={file} />;
  }
  if (props.kind === "RETENTION" && props.retention) {
    return (
      <RetentionView result={props.retention} input={props.definition as RetentionInput} timeZone={props.timeZone} fileName={file} />
    );
  }
  return <ErrorMessage error={new Error("This report has no answer.")} />;
}
