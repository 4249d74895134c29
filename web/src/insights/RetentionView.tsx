// A retention answer as a cohort heat map: one row per cohort (its start in the project's time zone and its size),
// one cell per period with the users who came back and their share of the cohort, shaded by that share.
import { RetentionInput, RetentionResult } from "../api/operations";
import { Empty } from "../components/ui";
import { formatPercent } from "./format";
import { bucketLabel } from "./range";
import { ReportTable, TableModel, cell } from "./ReportTable";

const periodNames = { DAY: "Day", WEEK: "Week", MONTH: "Month" };

/** The heat-map table of a retention answer. */
export function retentionTable(result: RetentionResult, input: RetentionInput, timeZone: string): TableModel {
  const period = input.period ?? "DAY";
  const name = periodNames[period];
  const head = [["Cohort"], ["Size"]];
  for (let i = 0; i < input.periods; i++) head.push([`${name} ${i}`, `${name} ${i} %`]);
  const rows = result.cohorts.map((cohort) => [
    cell(bucketLabel(cohort.start, period, timeZone)),
    cell(String(cohort.size)),
    ...cohort.values.map((value) => {
      const share = cohort.size > 0 ? value / cohort.size : 0;
      return { parts: [String(value), formatPercent(share)], tone: share };
    }),
  ]);
  return { caption: "Retention by cohort", head, rowHeaders: 1, rows };
}

/** A retention answer as a heat-map table. */
export function RetentionView(props: { result: RetentionResult; input: RetentionInput; timeZone: string; fileName: string }) {
  const { result, input, timeZone } = props;
  if (result.cohorts.length === 0) return <Empty>No cohort starts in this range.</Empty>;
  return (
    <div className="space-y-2">
      <p className="text-sm text-gray-700 dark:text-gray-300">
        {`A cohort is the users who did ${input.startEvent} in one ${periodNames[input.period ?? "DAY"].toLowerCase()} `}
        {`(${timeZone}); a cell counts those of them who did ${input.returnEvent} that many periods later, with their `}
        share of the cohort.
      </p>
      <ReportTable model={retentionTable(result, input, timeZone)} fileName={props.fileName} />
    </div>
  );
}
