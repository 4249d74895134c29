// Pickers fed by the project's own data: event names (`eventNames`) and property keys (`propertyKeys`, offered
// through one datalist per page, while any key can still be typed).
import { useQuery } from "../api/hooks";
import { EventNames, PropertyKeys } from "../api/operations";
import { SelectField } from "../components/ui";
import { CommitField } from "./CommitField";

/** The project's event names and property keys, most frequent first (empty until they arrive). */
export function usePickerData(projectId: string): { eventNames: string[]; propertyKeys: string[] } {
  const names = useQuery(EventNames, { projectId });
  const keys = useQuery(PropertyKeys, { projectId });
  return { eventNames: names.data?.eventNames ?? [], propertyKeys: keys.data?.propertyKeys ?? [] };
}

/** An event select; with `allowAll`, "All events" stands for null, else "" is "no event chosen yet" (an event name is
 * never empty, so "" can stand for either). */
export function EventPicker(props: {
  label: string;
  value: string | null;
  events: string[];
  onChange: (event: string | null) => void;
  allowAll?: boolean;
  className?: string;
}) {
  const { value, events, allowAll } = props;
  const selected = value ?? "";
  return (
    <SelectField
      label={props.label}
      className={props.className}
      value={selected}
      onChange={(e) => props.onChange(e.target.value === "" && allowAll ? null : e.target.value)}
    >
      {allowAll ? <option value="">All events</option> : <option value="">Choose an event…</option>}
      {events.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
      {value !== null && value !== "" && !events.includes(value) && <option value={value}>{value}</option>}
    </SelectField>
  );
}

/** The id of the datalist of property keys that PropertyPicker fields suggest from. */
export const propertyListId = "insight-property-keys";

/** The datalist behind every PropertyPicker of a page. */
export function PropertyKeyList(props: { keys: string[] }) {
  return (
    <datalist id={propertyListId}>
      {props.keys.map((key) => (
        <option key={key} value={key} />
      ))}
    </datalist>
  );
}

/** A property key: suggestions from the project's keys, any text accepted; committed on Enter or blur. */
export function PropertyPicker(props: {
  label: string;
  value: string;
  onCommit: (key: string) => void;
  className?: string;
  placeholder?: string;
}) {
  return (
    <CommitField
      label={props.label}
      className={props.className}
      list={propertyListId}
      autoComplete="off"
      placeholder={props.placeholder}
      value={props.value}
      onCommit={(text) => props.onCommit(text.trim())}
    />
  );
}
