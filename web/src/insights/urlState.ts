// The state of each builder, kept in the URL's query string so a reload or a shared link shows the same view:
// reading it (a bad value falls back to its default), writing it, turning it into the report input the server takes
// (and a saved definition back into it).
import {
  FunnelInput,
  FunnelOrder,
  Interval,
  RetentionInput,
  RetentionMode,
  RetentionPeriod,
  TrendMath,
  TrendsInput,
} from "../api/operations";
import { FilterDraft, draftsFromFilters, readDrafts, toFilters } from "./filters";
import { RangeState, rangeFromInput, rangeInput, readRange, writeRange } from "./range";

/** Every TrendMath with its label; `numeric` ones aggregate a numeric property. */
export const trendMaths: { value: TrendMath; label: string; numeric: boolean }[] = [
  { value: "TOTAL", label: "Total events", numeric: false },
  { value: "UNIQUE_USERS", label: "Unique users", numeric: false },
  { value: "WEEKLY_ACTIVE", label: "Weekly active users", numeric: false },
  { value: "MONTHLY_ACTIVE", label: "Monthly active users", numeric: false },
  { value: "SUM", label: "Sum of a property", numeric: true },
  { value: "AVG", label: "Average of a property", numeric: true },
  { value: "MIN", label: "Minimum of a property", numeric: true },
  { value: "MAX", label: "Maximum of a property", numeric: true },
  { value: "MEDIAN", label: "Median of a property", numeric: true },
  { value: "P90", label: "90th percentile of a property", numeric: true },
  { value: "P95", label: "95th percentile of a property", numeric: true },
  { value: "P99", label: "99th percentile of a property", numeric: true },
];
export const intervals: Interval[] = ["HOUR", "DAY", "WEEK", "MONTH"];
export const funnelOrders: { value: FunnelOrder; label: string }[] = [
  { value: "ORDERED", label: "In order (other events may come between)" },
  { value: "STRICT", label: "Strictly in order (nothing in between)" },
  { value: "UNORDERED", label: "In any order" },
];
export const windowUnits = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };
export type WindowUnit = keyof typeof windowUnits;
export const retentionPeriods: RetentionPeriod[] = ["DAY", "WEEK", "MONTH"];
export type ChartKind = "line" | "bar";

export function isNumericMath(math: TrendMath): boolean {
  return trendMaths.some((m) => m.value === math && m.numeric);
}

export interface SeriesState {
  /** Null: every event. */
  event: string | null;
  math: TrendMath;
  /** The numeric property of SUM..P99 ("" for the other maths). */
  property: string;
}

export interface TrendsState {
  series: SeriesState[];
  interval: Interval;
  range: RangeState;
  breakdown: string;
  breakdownLimit: number;
  filters: FilterDraft[];
  compare: boolean;
  chart: ChartKind;
}

export interface FunnelState {
  steps: { event: string; filters: FilterDraft[] }[];
  order: FunnelOrder;
  windowAmount: number;
  windowUnit: WindowUnit;
  breakdown: string;
  breakdownLimit: number;
  range: RangeState;
  compare: boolean;
}

export interface RetentionState {
  startEvent: string;
  returnEvent: string;
  period: RetentionPeriod;
  periods: number;
  mode: RetentionMode;
  filters: FilterDraft[];
  range: RangeState;
}

/** The parameters that are not builder state (which saved report is open). */
const notState = new Set(["report"]);

/** Whether the URL names any builder state (else a saved report's definition, or the defaults, apply). */
export function hasState(search: URLSearchParams): boolean {
  return Array.from(search.keys()).some((key) => !notState.has(key));
}

function json(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function integer(value: unknown, min: number, max: number, fallback: number): number {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number >= min && number <= max ? number : fallback;
}

const mathValues = trendMaths.map((m) => m.value);

function readSeries(value: unknown): SeriesState[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null)
    .slice(0, 20)
    .map((s) => ({
      event: typeof s.event === "string" ? s.event : null,
      math: oneOf(s.math, mathValues, "TOTAL"),
      property: typeof s.property === "string" ? s.property : "",
    }));
}

function readSteps(value: unknown, filtersOf: (step: Record<string, unknown>) => FilterDraft[]): FunnelState["steps"] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null)
    .slice(0, 20)
    .map((s) => ({ event: typeof s.event === "string" ? s.event : "", filters: filtersOf(s) }));
}

const defaultSeries: SeriesState = { event: null, math: "TOTAL", property: "" };
const emptyStep = { event: "", filters: [] };

export function readTrends(search: URLSearchParams): TrendsState {
  const series = readSeries(json(search.get("series")));
  return {
    series: series.length ? series : [defaultSeries],
    interval: oneOf(search.get("interval"), intervals, "DAY"),
    range: readRange(search),
    breakdown: search.get("breakdown") ?? "",
    breakdownLimit: integer(search.get("limit"), 1, 1000, 25),
    filters: readDrafts(json(search.get("filters"))),
    compare: search.get("compare") === "1",
    chart: oneOf(search.get("chart"), ["line", "bar"] as const, "line"),
  };
}

export function readFunnel(search: URLSearchParams): FunnelState {
  const steps = readSteps(json(search.get("steps")), (s) => readDrafts(s.filters));
  const windowMatch = /^(\d{1,8})-(second|minute|hour|day|week)s?$/.exec(search.get("window") ?? "");
  return {
    steps: steps.length >= 2 ? steps : [...steps, emptyStep, emptyStep].slice(0, 2),
    order: oneOf(search.get("order"), funnelOrders.map((o) => o.value), "ORDERED"),
    windowAmount: windowMatch ? integer(windowMatch[1], 1, 99999999, 14) : 14,
    windowUnit: windowMatch ? (windowMatch[2] as WindowUnit) : "day",
    breakdown: search.get("breakdown") ?? "",
    breakdownLimit: integer(search.get("limit"), 1, 1000, 25),
    range: readRange(search),
    compare: search.get("compare") === "1",
  };
}

export function readRetention(search: URLSearchParams): RetentionState {
  return {
    startEvent: search.get("start") ?? "",
    returnEvent: search.get("return") ?? "",
    period: oneOf(search.get("period"), retentionPeriods, "WEEK"),
    periods: integer(search.get("periods"), 1, 400, 8),
    mode: oneOf(search.get("mode"), ["RECURRING", "FIRST_TIME"] as const, "RECURRING"),
    filters: readDrafts(json(search.get("filters"))),
    range: readRange(search),
  };
}

/** The query string of a state (with the open saved report's id first), without the leading `?`. */
function query(reportId: string | null, fill: (params: URLSearchParams) => void): string {
  const params = new URLSearchParams();
  if (reportId) params.set("report", reportId);
  fill(params);
  return params.toString();
}

function setFilters(params: URLSearchParams, filters: FilterDraft[]): void {
  if (filters.length) params.set("filters", JSON.stringify(filters));
}

export function writeTrends(state: TrendsState, reportId: string | null): string {
  return query(reportId, (params) => {
    params.set("series", JSON.stringify(state.series.map((s) => (isNumericMath(s.math) ? s : { event: s.event, math: s.math }))));
    params.set("interval", state.interval);
    writeRange(params, state.range);
    if (state.breakdown) {
      params.set("breakdown", state.breakdown);
      params.set("limit", String(state.breakdownLimit));
    }
    setFilters(params, state.filters);
    if (state.compare) params.set("compare", "1");
    if (state.chart !== "line") params.set("chart", state.chart);
  });
}

export function writeFunnel(state: FunnelState, reportId: string | null): string {
  return query(reportId, (params) => {
    params.set("steps", JSON.stringify(state.steps.map((s) => (s.filters.length ? s : { event: s.event }))));
    params.set("order", state.order);
    params.set("window", `${state.windowAmount}-${state.windowUnit}${state.windowAmount === 1 ? "" : "s"}`);
    writeRange(params, state.range);
    if (state.breakdown) {
      params.set("breakdown", state.breakdown);
      params.set("limit", String(state.breakdownLimit));
    }
    if (state.compare) params.set("compare", "1");
  });
}

export function writeRetention(state: RetentionState, reportId: string | null): string {
  return query(reportId, (params) => {
    params.set("start", state.startEvent);
    params.set("return", state.returnEvent);
    params.set("period", state.period);
    params.set("periods", String(state.periods));
    params.set("mode", state.mode);
    writeRange(params, state.range);
    setFilters(params, state.filters);
  });
}

/** The report input of a state, or what is missing before it can run. */
export function trendsInput(state: TrendsState, timeZone: string): TrendsInput | string {
  const missing = state.series.findIndex((s) => isNumericMath(s.math) && !s.property.trim());
  if (missing >= 0) return `Choose the numeric property of series ${missing + 1}.`;
  const range = rangeInput(state.range, timeZone);
  if (typeof range === "string") return range;
  const filters = toFilters(state.filters);
  return {
    series: state.series.map((s) =>
      isNumericMath(s.math) ? { event: s.event, math: s.math, property: s.property.trim() } : { event: s.event, math: s.math },
    ),
    ...range,
    interval: state.interval,
    ...(state.breakdown.trim() ? { breakdown: state.breakdown.trim(), breakdownLimit: state.breakdownLimit } : {}),
    ...(filters.length ? { filters } : {}),
    ...(state.compare ? { compareToPrevious: true } : {}),
  };
}

export function funnelInput(state: FunnelState, timeZone: string): FunnelInput | string {
  if (state.steps.some((s) => !s.event)) return "Choose an event for every step.";
  const windowSeconds = state.windowAmount * windowUnits[state.windowUnit];
  if (windowSeconds > 366 * 86400) return "The conversion window is at most 366 days.";
  const range = rangeInput(state.range, timeZone);
  if (typeof range === "string") return range;
  return {
    steps: state.steps.map((s) => {
      const filters = toFilters(s.filters);
      return filters.length ? { event: s.event, filters } : { event: s.event };
    }),
    ...range,
    windowSeconds,
    order: state.order,
    ...(state.breakdown.trim() ? { breakdown: state.breakdown.trim(), breakdownLimit: state.breakdownLimit } : {}),
    ...(state.compare ? { compareToPrevious: true } : {}),
  };
}

export function retentionInput(state: RetentionState, timeZone: string): RetentionInput | string {
  if (!state.startEvent || !state.returnEvent) return "Choose a start event and a return event.";
  const range = rangeInput(state.range, timeZone);
  if (typeof range === "string") return range;
  const filters = toFilters(state.filters);
  return {
    startEvent: state.startEvent,
    returnEvent: state.returnEvent,
    period: state.period,
    periods: state.periods,
    ...range,
    mode: state.mode,
    ...(filters.length ? { filters } : {}),
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A saved TrendsInput as builder state (what the builder cannot show falls back to its default). */
export function trendsFromInput(definition: unknown, timeZone: string): TrendsState {
  const input = record(definition);
  const series = readSeries(input.series);
  return {
    series: series.length ? series : [defaultSeries],
    interval: oneOf(input.interval, intervals, "DAY"),
    range: rangeFromInput(input, timeZone),
    breakdown: typeof input.breakdown === "string" ? input.breakdown : "",
    breakdownLimit: integer(input.breakdownLimit, 1, 1000, 25),
    filters: draftsFromFilters(input.filters),
    compare: input.compareToPrevious === true,
    chart: "line",
  };
}

export function funnelFromInput(definition: unknown, timeZone: string): FunnelState {
  const input = record(definition);
  const steps = readSteps(input.steps, (s) => draftsFromFilters(s.filters));
  const seconds = integer(input.windowSeconds, 1, 366 * 86400, 14 * 86400);
  const unit = (["week", "day", "hour", "minute", "second"] as WindowUnit[]).find((u) => seconds % windowUnits[u] === 0) ?? "second";
  return {
    steps: steps.length >= 2 ? steps : [...steps, emptyStep, emptyStep].slice(0, 2),
    order: oneOf(input.order, funnelOrders.map((o) => o.value), "ORDERED"),
    windowAmount: seconds / windowUnits[unit],
    windowUnit: unit,
    breakdown: typeof input.breakdown === "string" ? input.breakdown : "",
    breakdownLimit: integer(input.breakdownLimit, 1, 1000, 25),
    range: rangeFromInput(input, timeZone),
    compare: input.compareToPrevious === true,
  };
}

export function retentionFromInput(definition: unknown, timeZone: string): RetentionState {
  const input = record(definition);
  return {
    startEvent: typeof input.startEvent === "string" ? input.startEvent : "",
    returnEvent: typeof input.returnEvent === "string" ? input.returnEvent : "",
    period: oneOf(input.period, retentionPeriods, "DAY"),
    periods: integer(input.periods, 1, 400, 8),
    mode: oneOf(input.mode, ["RECURRING", "FIRST_TIME"] as const, "RECURRING"),
    filters: draftsFromFilters(input.filters),
    range: rangeFromInput(input, timeZone),
  };
}
