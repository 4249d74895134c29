// Pickers fed by the project's own data: event names (`eventNames`) and property keys (`propertyKeys`, offered
// through one datalist per page, while any key can still be typed).
import { useQuery } from "../api/hooks";
import { EventNames, PersonPropertyKeys, PropertyKeys } from "../api/operations";
import { SelectField } from "../components/ui";
import { CommitField } from "./CommitField";

/** The project's event names, event property keys and person property keys, most frequent first (empty until they
 * arrive). */
export function usePickerData(projectId: string): { eventNames: string[]; propertyKeys: string[]; personPropertyKeys: string[] } {
  const names = useQuery(EventNames, { projectId });
  const keys = useQuery(PropertyKeys, { projectId });
  const personKeys = useQuery(PersonPropertyKeys, { projectId });
  return {
    eventNames: names.data?.eventNames ?? [],
    propertyKeys: keys.data?.propertyKeys ?? [],
    personPropertyKeys: personKeys.data?.personPropertyKeys ?? [],
  };
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

/** The ids of the datalists of event and person property keys that PropertyPicker fields suggest from. */
export const propertyListId = "insight-property-keys";
export const personPropertyListId = "insight-person-property-keys";

/** The datalists behind every PropertyPicker of a page. */
export function PropertyKeyList(props: { keys: string[]; personKeys: string[] }) {
  return (
    <>
      <datalist id={propertyListId}>
        {props.keys.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      <datalist id={personPropertyListId}>
        {props.personKeys.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
    </>
  );
}

/** A property key: suggestions from the project's event (or, with `person`, person) keys, any text accepted; committed
 * on Enter or blur. */
export function PropertyPicker(props: {
  label: string;
  value: string;
  onCommit: (key: string) => void;
  className?: string;
  placeholder?: string;
  person?: boolean;
}) {
  return (
    <CommitField
      label={props.label}
      className={props.className}
      list={props.person ? personPropertyListId : propertyListId}
      autoComplete="off"
      placeholder={props.placeholder}
      value={props.value}
      onCommit={(text) => props.onCommit(text.trim())}
    />
  );
}
