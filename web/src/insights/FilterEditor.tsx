// Property filters of a report: whose property (the event's or its person's), key (suggested from the project's event
// or person keys), operator (every PropertyOperator) and value,
// typed like the explorer's (numbers, true, false and null as such; IN splits at commas). A row counts once it is
// complete; the value is committed on Enter or when leaving the field.
import { PropertyOperator } from "../api/operations";
import { Button, SelectField } from "../components/ui";
import { CommitField } from "./CommitField";
import { PropertyPicker } from "./EventPicker";
import { FilterDraft, isComplete, operators, takesNoValue } from "./filters";

/** The filter rows; `name` prefixes every label ("Filter 1 property", "Step 2 filter 1 value"). */
export function FilterEditor(props: { name: string; filters: FilterDraft[]; onChange: (filters: FilterDraft[]) => void }) {
  const { name, filters, onChange } = props;
  const update = (index: number, change: Partial<FilterDraft>) =>
    onChange(filters.map((f, i) => (i === index ? { ...f, ...change } : f)));
  return (
    <div className="space-y-3">
      {filters.map((filter, index) => {
        const label = `${name} ${index + 1}`;
        return (
          <fieldset key={index} className="grid gap-2 sm:grid-cols-[10rem_1fr_12rem_1fr_auto] sm:items-end">
            <legend className="sr-only">{label}</legend>
            <SelectField
              label={`${label} applies to`}
              value={filter.person ? "PERSON" : "EVENT"}
              onChange={(e) => update(index, { person: e.target.value === "PERSON" })}
            >
              <option value="EVENT">Event property</option>
              <option value="PERSON">Person property</option>
            </SelectField>
            <PropertyPicker
              label={`${label} property`}
              value={filter.key}
              person={filter.person}
              onCommit={(key) => update(index, { key })}
            />
            <SelectField
              label={`${label} operator`}
              value={filter.operator}
              onChange={(e) => {
                const operator = e.target.value as PropertyOperator;
                update(index, { operator, value: takesNoValue(operator) ? "" : filter.value });
              }}
            >
              {operators.map((op) => (
                <option key={op.value} value={op.value}>
                  {op.label}
                </option>
              ))}
            </SelectField>
            <CommitField
              label={`${label} value`}
              value={filter.value}
              disabled={takesNoValue(filter.operator)}
              onCommit={(value) => update(index, { value })}
            />
            <Button variant="secondary" onClick={() => onChange(filters.filter((_, i) => i !== index))}>
              Remove {label.toLowerCase()}
            </Button>
            {!isComplete(filter) && (filter.key !== "" || filter.value !== "") && (
              <p className="text-xs text-gray-600 sm:col-span-5 dark:text-gray-400">
                {filter.key.trim() === "" ? "Choose a property" : "Enter a value"}
                {["GT", "GTE", "LT", "LTE"].includes(filter.operator) ? " (a number)" : ""}: this filter is not applied yet.
              </p>
            )}
          </fieldset>
        );
      })}
      <Button variant="secondary" onClick={() => onChange([...filters, { key: "", operator: "EQ", value: "" }])}>
        Add {name.toLowerCase()}
      </Button>
    </div>
  );
}
