// A funnel answer: a bar chart of how many users reached each step (labelled with the conversion from step 1 and
// the median time from the step before), one set of bars per breakdown value (or, compared with the previous period,
// that period's bars next to them), and a table of the same numbers.
import { FunnelInput, FunnelResult, FunnelStep } from "../api/operations";
import { Empty } from "../components/ui";
import { ChartSeries, ReportChart, seriesColor } from "./Chart";
import { formatChange, formatDuration, formatPercent } from "./format";
import { ReportTable, TableModel, cell } from "./ReportTable";
import { breakdownText } from "./TrendsView";

const chartLimit = 10;

function stepName(step: FunnelStep, position: number): string {
  return `${position + 1}. ${step.event}`;
}

/** The table of a funnel answer: every step of the whole funnel, then of each breakdown value. */
export function funnelTable(result: FunnelResult, input: FunnelInput): TableModel {
  const broken = Boolean(input.breakdown);
  const head = [
    ...(broken ? [[input.breakdown ?? ""]] : []),
    ["Step"],
    ["Users"],
    ["Conversion from step 1"],
    ["Median time from previous step"],
  ];
  // Compared with the previous period: that period's users and conversion per step of the whole funnel, and the
  // change in users.
  const compare = input.compareToPrevious === true;
  if (compare) head.push(["Previous period users"], ["Previous conversion"], ["Change in users"]);
  const groups: { name: string; steps: FunnelStep[] }[] = [{ name: "All users", steps: result.steps }];
  if (broken) groups.push(...result.breakdowns.map((b) => ({ name: breakdownText(b.breakdownValue), steps: b.steps })));
  const rows = groups.flatMap((group, g) =>
    group.steps.map((step, i) => [
      ...(broken ? [cell(group.name)] : []),
      cell(stepName(step, i)),
      cell(String(step.count)),
      cell(formatPercent(step.conversionRate)),
      cell(i === 0 ? "—" : formatDuration(step.medianSecondsFromPrevious)),
      ...(compare ? previousCells(g === 0 ? result.previous[i] : undefined, step) : []),
    ]),
  );
  return { caption: "Funnel", head, rowHeaders: broken ? 2 : 1, rows };
}

/** The previous period's cells of a step: only the whole funnel has them (the comparison has no breakdown). */
function previousCells(before: FunnelStep | undefined, step: FunnelStep) {
  if (!before) return [cell("—"), cell("—"), cell("—")];
  return [cell(String(before.count)), cell(formatPercent(before.conversionRate)), cell(formatChange(step.count, before.count))];
}

/** A funnel answer as chart and table. */
export function FunnelView(props: { result: FunnelResult; input: FunnelInput; fileName: string; showTable?: boolean }) {
  const { result, input } = props;
  if (result.steps.length === 0 || result.steps[0].count === 0) return <Empty>Nobody entered this funnel in this range.</Empty>;
  const labels = result.steps.map((step, i) => [
    stepName(step, i),
    i === 0 ? `${step.count} users` : `${formatPercent(step.conversionRate)} · median ${formatDuration(step.medianSecondsFromPrevious)}`,
  ]);
  const series: ChartSeries[] = input.breakdown
    ? result.breakdowns.slice(0, chartLimit).map((b, i) => ({
        label: breakdownText(b.breakdownValue),
        values: b.steps.map((s) => s.count),
        color: seriesColor(i),
      }))
    : [{ label: "Users", values: result.steps.map((s) => s.count), color: seriesColor(0) }];
  if (!input.breakdown && input.compareToPrevious === true && result.previous.length > 0) {
    series.push({ label: "Users, previous period", values: result.previous.map((s) => s.count), color: seriesColor(1) });
  }
  return (
    <div className="space-y-4">
      {input.breakdown && result.breakdowns.length > chartLimit && (
        <p className="text-sm text-gray-700 dark:text-gray-300">
          The chart shows the first {chartLimit} of {result.breakdowns.length} breakdown values; the table has them all.
        </p>
      )}
      <ReportChart
        kind="bar"
        labels={labels}
        series={series}
        yTitle="Users"
        description={`Bar chart of the users reaching each of the ${result.steps.length} steps; the table has the numbers.`}
      />
      {props.showTable !== false && <ReportTable model={funnelTable(result, input)} fileName={props.fileName} />}
    </div>
  );
}
