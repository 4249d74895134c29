// Report ranges as the builders keep them: a relative range named by a short token (`last-7-days`, `this-month`,
// `previous-4-weeks`, `today`), which the server resolves in the project's time zone when the report runs, or custom
// dates (`from`, `to`, both included) taken as the project's local days. Also the project-zone formatting of the
// instants reports answer with.
import { Interval, RelativeRange, ReportRange } from "../api/operations";

/** What a builder's range is: a relative token, or custom dates (YYYY-MM-DD, or instants from a saved report). */
export type RangeState = { kind: "relative"; token: string } | { kind: "custom"; from: string; to: string };

/** The presets the range picker offers, in order. */
export const presets: { token: string; label: string }[] = [
  { token: "today", label: "Today" },
  { token: "last-7-days", label: "Last 7 days" },
  { token: "last-30-days", label: "Last 30 days" },
  { token: "last-90-days", label: "Last 90 days" },
  { token: "this-month", label: "This month" },
];

export const defaultRange: RangeState = { kind: "relative", token: "last-7-days" };

const units: Record<string, Interval> = { hour: "HOUR", day: "DAY", week: "WEEK", month: "MONTH" };
const unitNames: Record<Interval, string> = { HOUR: "hour", DAY: "day", WEEK: "week", MONTH: "month" };

/** The relative range a token names, or null when it names none. */
export function relativeFromToken(token: string): RelativeRange | null {
  if (token === "today") return { this: "DAY" };
  const current = /^this-(hour|day|week|month)$/.exec(token);
  if (current) return { this: units[current[1]] };
  const last = /^(last|previous)-(\d{1,4})-(hour|day|week|month)s?$/.exec(token);
  if (last) {
    const amount = Number(last[2]);
    if (amount < 1 || amount > 3660) return null;
    const range: RelativeRange = { last: { amount, unit: units[last[3]] } };
    if (last[1] === "previous") range.includeCurrent = false;
    return range;
  }
  const since = /^since-(.+)$/.exec(token);
  if (since && !Number.isNaN(Date.parse(since[1]))) return { since: since[1] };
  return null;
}

/** The token of a relative range, or null when the range is not one the builders can name. */
export function tokenFromRelative(range: RelativeRange): string | null {
  if (range.this && !range.last && !range.since) return range.this === "DAY" ? "today" : `this-${unitNames[range.this]}`;
  if (range.last && !range.this && !range.since) {
    const { amount, unit } = range.last;
    if (!Number.isInteger(amount) || !unitNames[unit]) return null;
    const token = `${range.includeCurrent === false ? "previous" : "last"}-${amount}-${unitNames[unit]}${amount === 1 ? "" : "s"}`;
    return relativeFromToken(token) ? token : null;
  }
  if (range.since && !range.this && !range.last) return `since-${range.since}`;
  return null;
}

/** Words for a token: a preset's label, else "Last 14 days", "The previous 2 weeks", "This week", "Since …". */
export function tokenLabel(token: string): string {
  const preset = presets.find((p) => p.token === token);
  if (preset) return preset.label;
  const range = relativeFromToken(token);
  if (!range) return token;
  if (range.this) return `This ${unitNames[range.this]}`;
  if (range.since) return `Since ${range.since}`;
  const { amount, unit } = range.last ?? { amount: 0, unit: "DAY" as Interval };
  const plural = `${amount} ${unitNames[unit]}${amount === 1 ? "" : "s"}`;
  return range.includeCurrent === false ? `The previous ${plural}` : `Last ${plural}`;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Whether text is a YYYY-MM-DD date or an instant the server takes. */
function isDateOrInstant(text: string): boolean {
  return isoDate.test(text) ? !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) : /^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text));
}

/** The range in a URL (`range`, with `from` and `to` for custom), the default when it is missing or malformed. */
export function readRange(search: URLSearchParams): RangeState {
  const token = search.get("range") ?? "";
  if (token === "custom") {
    const from = search.get("from") ?? "";
    const to = search.get("to") ?? "";
    return isDateOrInstant(from) && isDateOrInstant(to) ? { kind: "custom", from, to } : defaultRange;
  }
  return relativeFromToken(token) ? { kind: "relative", token } : defaultRange;
}

/** Writes the range into URL parameters. */
export function writeRange(params: URLSearchParams, range: RangeState): void {
  if (range.kind === "relative") {
    params.set("range", range.token);
  } else {
    params.set("range", "custom");
    params.set("from", range.from);
    params.set("to", range.to);
  }
}

/** The offset of `timeZone` from UTC at an instant, in milliseconds (from the browser's time zone database). */
function zoneOffset(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant a local date (YYYY-MM-DD) starts in `timeZone`, as RFC 3339 (UTC); `addDays` moves the date first. */
export function localMidnight(date: string, timeZone: string, addDays = 0): string {
  const [year, month, day] = date.split("-").map(Number);
  const wall = Date.UTC(year, month - 1, day + addDays);
  // Two passes: the offset at the first guess may differ from the offset at midnight across a change of offset.
  let instant = wall - zoneOffset(timeZone, wall);
  instant = wall - zoneOffset(timeZone, instant);
  return new Date(instant).toISOString();
}

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(instant: string | number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The range as report input: the relative range kept relative; custom dates as the project's local midnights,
 * `to` included (the range ends at the next midnight). A message instead when the dates are out of order. */
export function rangeInput(range: RangeState, timeZone: string): ReportRange | string {
  if (range.kind === "relative") return { range: relativeFromToken(range.token) ?? { last: { amount: 7, unit: "DAY" } } };
  const dateFrom = isoDate.test(range.from) ? localMidnight(range.from, timeZone) : new Date(range.from).toISOString();
  const dateTo = isoDate.test(range.to) ? localMidnight(range.to, timeZone, 1) : new Date(range.to).toISOString();
  if (Date.parse(dateFrom) >= Date.parse(dateTo)) return "The start date must be on or before the end date.";
  return { dateFrom, dateTo };
}

/** The builder range of a saved input: a nameable relative range, or dates (local dates when the instants are the
 * project's midnights, as the builders save them; else the instants themselves). */
export function rangeFromInput(input: ReportRange, timeZone: string): RangeState {
  if (input.range) {
    const token = tokenFromRelative(input.range);
    return token ? { kind: "relative", token } : defaultRange;
  }
  if (input.dateFrom && input.dateTo && !Number.isNaN(Date.parse(input.dateFrom)) && !Number.isNaN(Date.parse(input.dateTo))) {
    const from = localDate(input.dateFrom, timeZone);
    const to = localDate(Date.parse(input.dateTo) - 1, timeZone);
    const exact =
      localMidnight(from, timeZone) === new Date(input.dateFrom).toISOString() &&
      localMidnight(to, timeZone, 1) === new Date(input.dateTo).toISOString();
    return exact ? { kind: "custom", from, to } : { kind: "custom", from: input.dateFrom, to: input.dateTo };
  }
  return defaultRange;
}

/** How an instant reads in the project's zone at a bucket's grain: 2026-12-03 14:00, 2026-12-03, 2026-12. */
export function bucketLabel(instant: string, grain: Interval, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const date = `${get("year")}-${get("month")}-${get("day")}`;
  if (grain === "HOUR") return `${date} ${get("hour")}:${get("minute")}`;
  if (grain === "MONTH") return `${get("year")}-${get("month")}`;
  return date;
}

/** An instant as a date and time in the project's zone, for saying which range a report ran over. */
export function formatInstant(instant: string, timeZone: string): string {
  return new Date(instant).toLocaleString(undefined, { timeZone, dateStyle: "medium", timeStyle: "short" });
}
