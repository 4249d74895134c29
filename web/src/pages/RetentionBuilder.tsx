// The retention builder (/insights/retention): start and return events, the period, how many periods, recurring or
// first-time cohorts, filters both events must meet, and the date range the cohorts start in. The state lives in
// the URL; the report runs on every change.
import { RetentionMode, RetentionPeriod } from "../api/operations";
import { OrgContext } from "../components/Layout";
import { SelectField } from "../components/ui";
import { BuilderFormProps, BuilderFrame, BuilderKind } from "../insights/BuilderFrame";
import { NumberField } from "../insights/CommitField";
import { EventPicker } from "../insights/EventPicker";
import { FilterEditor } from "../insights/FilterEditor";
import { RangePicker } from "../insights/RangePicker";
import {
  RetentionState,
  readRetention,
  retentionFromInput,
  retentionInput,
  retentionPeriods,
  writeRetention,
} from "../insights/urlState";

const periodNames: Record<RetentionPeriod, string> = { DAY: "Day", WEEK: "Week", MONTH: "Month" };

function RetentionForm(props: BuilderFormProps<RetentionState>) {
  const { state, onChange, eventNames, timeZone } = props;
  const set = (change: Partial<RetentionState>) => onChange({ ...state, ...change });
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-2">
        <EventPicker label="Start event" value={state.startEvent} events={eventNames} onChange={(e) => set({ startEvent: e ?? "" })} />
        <EventPicker label="Return event" value={state.returnEvent} events={eventNames} onChange={(e) => set({ returnEvent: e ?? "" })} />
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <SelectField label="Period" value={state.period} onChange={(e) => set({ period: e.target.value as RetentionPeriod })}>
          {retentionPeriods.map((period) => (
            <option key={period} value={period}>
              {periodNames[period]}
            </option>
          ))}
        </SelectField>
        <NumberField
          label="Number of periods"
          min={1}
          max={400}
          value={state.periods}
          onCommit={(periods) => set({ periods })}
          className="w-36"
        />
        <SelectField label="Cohorts" value={state.mode} onChange={(e) => set({ mode: e.target.value as RetentionMode })}>
          <option value="RECURRING">Everyone who did the start event in the period</option>
          <option value="FIRST_TIME">Only first-time users (their first start event ever)</option>
        </SelectField>
      </div>
      <RangePicker value={state.range} timeZone={timeZone} onChange={(range) => set({ range })} />
      <fieldset>
        <legend className="mb-2 text-sm font-semibold">Filters (start and return events)</legend>
        <FilterEditor name="Filter" filters={state.filters} onChange={(filters) => set({ filters })} />
      </fieldset>
    </div>
  );
}

const retention: BuilderKind<RetentionState> = {
  kind: "RETENTION",
  read: readRetention,
  write: writeRetention,
  fromInput: retentionFromInput,
  toInput: retentionInput,
  form: (props) => <RetentionForm {...props} />,
};

/** The retention builder page. */
export function RetentionBuilder(props: { ctx: OrgContext; projectId: string; search: URLSearchParams }) {
  return <BuilderFrame ctx={props.ctx} projectId={props.projectId} search={props.search} builder={retention} />;
}
