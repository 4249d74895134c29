// A trends answer: a line or bar chart (the previous period dashed, aligned by bucket) and a table with one row per
// series (and breakdown value), one column per bucket in the project's time zone, the total, and with a comparison
// the previous period's total and the change.
import { TrendSeries, TrendsInput, TrendsResult } from "../api/operations";
import { Empty } from "../components/ui";
import { ChartSeries, ReportChart, seriesColor } from "./Chart";
import { formatChange, formatNumber } from "./format";
import { bucketLabel, formatInstant } from "./range";
import { ReportTable, TableModel, cell } from "./ReportTable";

/** How many series the chart draws at most (the table has them all). */
const chartLimit = 12;

/** The text of a breakdown value; a missing property and JSON null are one group. */
export function breakdownText(value: string | null): string {
  return value ?? "(none)";
}

function seriesKey(series: TrendSeries): string {
  return `${series.label}\u0000${series.breakdownValue === null ? "\u0001" : series.breakdownValue}`;
}

/** The table of a trends answer (the CSV holds the same strings). */
export function trendsTable(result: TrendsResult, input: TrendsInput, timeZone: string): TableModel {
  const interval = input.interval ?? "DAY";
  const buckets = result.series[0]?.points.map((p) => p.bucket) ?? [];
  const compare = input.compareToPrevious === true;
  const previous = new Map(result.previous.map((s) => [seriesKey(s), s]));
  const head = [["Series"], ...(input.breakdown ? [[input.breakdown]] : []), ...buckets.map((b) => [bucketLabel(b, interval, timeZone)]), ["Total"]];
  if (compare) head.push(["Previous period total"], ["Change"]);
  const rows = result.series.map((series) => {
    const row = [cell(series.label), ...(input.breakdown ? [cell(breakdownText(series.breakdownValue))] : [])];
    row.push(...series.points.map((p) => cell(formatNumber(p.value))), cell(formatNumber(series.total)));
    if (compare) {
      const before = previous.get(seriesKey(series));
      row.push(cell(before ? formatNumber(before.total) : "—"), cell(before ? formatChange(series.total, before.total) : "n/a"));
    }
    return row;
  });
  return { caption: "Trends", head, rowHeaders: input.breakdown ? 2 : 1, rows };
}

/** The chart's series: each series, then (with a comparison) its previous period dashed. */
function chartSeries(result: TrendsResult, input: TrendsInput): ChartSeries[] {
  const shown = result.series.slice(0, chartLimit);
  const compare = input.compareToPrevious === true;
  const previous = new Map(result.previous.map((s) => [seriesKey(s), s]));
  const name = (s: TrendSeries) => (input.breakdown ? `${s.label} · ${breakdownText(s.breakdownValue)}` : s.label);
  const out: ChartSeries[] = [];
  shown.forEach((series, index) => {
    out.push({ label: name(series), values: series.points.map((p) => p.value), color: seriesColor(index) });
    const before = compare ? previous.get(seriesKey(series)) : undefined;
    if (before) {
      const values = series.points.map((_, i) => before.points[i]?.value ?? null);
      out.push({ label: `${name(series)} (previous period)`, values, color: seriesColor(index), dashed: true, type: "line" });
    }
  });
  return out;
}

/** A trends answer as chart and table. */
export function TrendsView(props: {
  result: TrendsResult;
  input: TrendsInput;
  timeZone: string;
  chart: "line" | "bar";
  fileName: string;
  showTable?: boolean;
}) {
  const { result, input, timeZone } = props;
  const interval = input.interval ?? "DAY";
  const compare = input.compareToPrevious === true;
  const ran = `${formatInstant(result.dateFrom, timeZone)} – ${formatInstant(result.dateTo, timeZone)} (${timeZone})`;
  if (result.series.length === 0) return <Empty>No events in this range ({ran}).</Empty>;
  const labels = result.series[0].points.map((p) => bucketLabel(p.bucket, interval, timeZone));
  const series = chartSeries(result, input);
  return (
    <div className="space-y-4">
      <p className="text-sm text-gray-700 dark:text-gray-300">
        {ran}
        {compare && ". Dashed: the previous period, as long, just before."}
        {result.series.length > chartLimit && ` The chart shows the first ${chartLimit} of ${result.series.length} series; the table has them all.`}
      </p>
      <ReportChart
        kind={props.chart}
        labels={labels}
        series={series}
        description={`${props.chart === "bar" ? "Bar" : "Line"} chart of ${result.series.length} series over ${labels.length} buckets; the table has the numbers.`}
      />
      {props.showTable !== false && <ReportTable model={trendsTable(result, input, timeZone)} fileName={props.fileName} />}
    </div>
  );
}
