// The range a whole dashboard runs over: the builders' presets and custom dates (insights/range.ts), plus a choice
// that sets none ("Each report's own" on a dashboard, "As shared" on a share link's page).
import { useEffect, useState } from "react";
import { ReportRange } from "../api/operations";
import { SelectField, TextField } from "../components/ui";
import { RangeState, localDate, presets, rangeFromInput, rangeInput, tokenLabel } from "../insights/range";

/** The picker's state from a stored range (null: none). */
export function rangeStateOf(range: ReportRange | null | undefined, timeZone: string): RangeState | null {
  return range && (range.range || (range.dateFrom && range.dateTo)) ? rangeFromInput(range, timeZone) : null;
}

/** Words for a stored range, e.g. "Last 7 days" or "2026-11-01 to 2026-11-30". */
export function describeRange(range: ReportRange | null | undefined, timeZone: string): string | null {
  const state = rangeStateOf(range, timeZone);
  if (!state) return null;
  if (state.kind === "relative") return tokenLabel(state.token);
  const day = (text: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : localDate(text, timeZone));
  return `${day(state.from)} to ${day(state.to)}`;
}

/** Replaces the range of a report definition (its dates or relative range) with `range`; null keeps its own. */
export function withRange(definition: unknown, range: ReportRange | null): Record<string, unknown> {
  const input = { ...(typeof definition === "object" && definition !== null ? (definition as Record<string, unknown>) : {}) };
  if (!range) return input;
  delete input.dateFrom;
  delete input.dateTo;
  delete input.range;
  return { ...input, ...range };
}

const noneValue = "none";

/** A select of "none", the presets and Custom (with two date inputs). `onChange` gets the range as the server takes
 * it (null for none), only once it is complete and valid; a problem with custom dates is said below the inputs. */
export function DashboardRangePicker(props: {
  label: string;
  noneLabel: string;
  value: ReportRange | null;
  timeZone: string;
  disabled?: boolean;
  onChange: (range: ReportRange | null) => void;
}) {
  const { timeZone } = props;
  const state = rangeStateOf(props.value, timeZone);
  const asDate = (text: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : localDate(text, timeZone));
  const [custom, setCustom] = useState(state?.kind === "custom");
  const [from, setFrom] = useState(state?.kind === "custom" ? asDate(state.from) : "");
  const [to, setTo] = useState(state?.kind === "custom" ? asDate(state.to) : "");
  const [problem, setProblem] = useState<string | null>(null);
  const valueKey = JSON.stringify(props.value);
  useEffect(() => {
    if (state?.kind !== "custom") return setCustom(false);
    setCustom(true);
    setFrom(asDate(state.from));
    setTo(asDate(state.to));
  }, [valueKey]);

  const send = (nextFrom: string, nextTo: string) => {
    const input = rangeInput({ kind: "custom", from: nextFrom, to: nextTo }, timeZone);
    if (typeof input === "string") return setProblem(input);
    setProblem(null);
    props.onChange(input);
  };
  const choose = (token: string) => {
    setProblem(null);
    if (token === noneValue) {
      setCustom(false);
      return props.onChange(null);
    }
    if (token !== "custom") {
      setCustom(false);
      const input = rangeInput({ kind: "relative", token }, timeZone);
      if (typeof input !== "string") props.onChange(input);
      return;
    }
    // Custom starts from the last 7 days of the project's calendar, for the user to change.
    const today = localDate(Date.now(), timeZone);
    const [y, m, d] = today.split("-").map(Number);
    const weekAgo = new Date(Date.UTC(y, m - 1, d - 6)).toISOString().slice(0, 10);
    setCustom(true);
    setFrom(weekAgo);
    setTo(today);
    send(weekAgo, today);
  };
  // A date is sent once it is complete; the browser's date input gives "" while it is being typed.
  const change = (nextFrom: string, nextTo: string) => {
    setFrom(nextFrom);
    setTo(nextTo);
    if (nextFrom && nextTo) send(nextFrom, nextTo);
  };
  const selected = custom || state?.kind === "custom" ? "custom" : state ? state.token : noneValue;
  return (
    <div className="flex flex-wrap items-end gap-3">
      <SelectField
        label={props.label}
        value={selected}
        disabled={props.disabled}
        onChange={(e) => choose(e.target.value)}
        className="min-w-48"
      >
        <option value={noneValue}>{props.noneLabel}</option>
        {presets.map((preset) => (
          <option key={preset.token} value={preset.token}>
            {preset.label}
          </option>
        ))}
        {state?.kind === "relative" && !presets.some((p) => p.token === state.token) && (
          <option value={state.token}>{tokenLabel(state.token)}</option>
        )}
        <option value="custom">Custom</option>
      </SelectField>
      {selected === "custom" && (
        <>
          <TextField label="From" type="date" disabled={props.disabled} value={from} onChange={(e) => change(e.target.value, to)} />
          <TextField
            label="To (included)"
            type="date"
            disabled={props.disabled}
            value={to}
            onChange={(e) => change(from, e.target.value)}
          />
        </>
      )}
      {problem && (
        <p role="alert" className="pb-2 text-sm text-red-700 dark:text-red-300">
          {problem}
        </p>
      )}
    </div>
  );
}
