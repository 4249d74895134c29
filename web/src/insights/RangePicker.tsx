// The range of a report: presets the server resolves in the project's time zone when the report runs (sent as a
// relative `range`), or custom dates, the project's local days from the first to the last included.
import { useEffect, useState } from "react";
import { SelectField, TextField } from "../components/ui";
import { RangeState, localDate, presets, tokenLabel } from "./range";

/** The range select, with two date inputs for "Custom". */
export function RangePicker(props: { value: RangeState; timeZone: string; onChange: (range: RangeState) => void }) {
  const { value, timeZone, onChange } = props;
  const asDate = (text: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : localDate(text, timeZone));
  const customFrom = value.kind === "custom" ? asDate(value.from) : "";
  const customTo = value.kind === "custom" ? asDate(value.to) : "";
  const [from, setFrom] = useState(customFrom);
  const [to, setTo] = useState(customTo);
  useEffect(() => {
    setFrom(customFrom);
    setTo(customTo);
  }, [customFrom, customTo]);
  const selected = value.kind === "custom" ? "custom" : value.token;
  const choose = (token: string) => {
    if (token !== "custom") return onChange({ kind: "relative", token });
    // Custom starts from the last 7 days of the project's calendar, for the user to change.
    const today = localDate(Date.now(), timeZone);
    const [y, m, d] = today.split("-").map(Number);
    const weekAgo = new Date(Date.UTC(y, m - 1, d - 6)).toISOString().slice(0, 10);
    onChange({ kind: "custom", from: weekAgo, to: today });
  };
  // A date is sent once it is complete; the browser's date input gives "" while it is being typed.
  const change = (nextFrom: string, nextTo: string) => {
    setFrom(nextFrom);
    setTo(nextTo);
    if (nextFrom && nextTo) onChange({ kind: "custom", from: nextFrom, to: nextTo });
  };
  return (
    <div className="flex flex-wrap items-end gap-3">
      <SelectField label="Date range" value={selected} onChange={(e) => choose(e.target.value)} className="min-w-40">
        {presets.map((preset) => (
          <option key={preset.token} value={preset.token}>
            {preset.label}
          </option>
        ))}
        {value.kind === "relative" && !presets.some((p) => p.token === value.token) && (
          <option value={value.token}>{tokenLabel(value.token)}</option>
        )}
        <option value="custom">Custom</option>
      </SelectField>
      {value.kind === "custom" && (
        <>
          <TextField label="From" type="date" value={from} onChange={(e) => change(e.target.value, to)} />
          <TextField label="To (included)" type="date" value={to} onChange={(e) => change(from, e.target.value)} />
        </>
      )}
      <p className="pb-2 text-xs text-gray-600 dark:text-gray-400">Days in {timeZone}, the project's time zone.</p>
    </div>
  );
}
