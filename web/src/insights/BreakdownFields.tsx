// The fields every builder with a breakdown shows, and the "compare to previous period" switch.
import { NumberField } from "./CommitField";
import { PropertyPicker } from "./EventPicker";

/** A breakdown property and, once one is chosen, how many of its values get their own answer. */
export function BreakdownFields(props: {
  breakdown: string;
  limit: number;
  onChange: (change: { breakdown?: string; breakdownLimit?: number }) => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-4">
      <PropertyPicker
        label="Breakdown by property"
        placeholder="No breakdown"
        value={props.breakdown}
        onCommit={(breakdown) => props.onChange({ breakdown })}
      />
      {props.breakdown && (
        <NumberField
          label="Breakdown values shown"
          min={1}
          max={1000}
          value={props.limit}
          onCommit={(breakdownLimit) => props.onChange({ breakdownLimit })}
        />
      )}
    </div>
  );
}

/** The switch that also runs the report over the period just before the range. */
export function CompareToggle(props: { checked: boolean; onChange: (compare: boolean) => void }) {
  return (
    <label className="flex items-center gap-2 pb-2 text-sm font-medium">
      <input
        type="checkbox"
        className="size-4 accent-indigo-600"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      Compare to previous period
    </label>
  );
}
