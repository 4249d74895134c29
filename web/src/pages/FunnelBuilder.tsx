// The funnel builder (/insights/funnels): two to twenty steps, each an event with its own filters, the order the
// steps must happen in, the conversion window, a breakdown and the date range. The state lives in the URL; the
// report runs on every change.
import { FunnelOrder } from "../api/operations";
import { OrgContext } from "../components/Layout";
import { Button, SelectField } from "../components/ui";
import { BuilderFormProps, BuilderFrame, BuilderKind } from "../insights/BuilderFrame";
import { BreakdownFields, CompareToggle } from "../insights/BreakdownFields";
import { NumberField } from "../insights/CommitField";
import { EventPicker } from "../insights/EventPicker";
import { FilterEditor } from "../insights/FilterEditor";
import { RangePicker } from "../insights/RangePicker";
import {
  FunnelState,
  WindowUnit,
  funnelFromInput,
  funnelInput,
  funnelOrders,
  readFunnel,
  windowUnits,
  writeFunnel,
} from "../insights/urlState";

function FunnelForm(props: BuilderFormProps<FunnelState>) {
  const { state, onChange, eventNames, timeZone } = props;
  const set = (change: Partial<FunnelState>) => onChange({ ...state, ...change });
  const setStep = (index: number, change: Partial<FunnelState["steps"][number]>) =>
    set({ steps: state.steps.map((s, i) => (i === index ? { ...s, ...change } : s)) });
  return (
    <div className="space-y-6">
      <ol className="space-y-4">
        {state.steps.map((step, index) => (
          <li key={index} className="rounded-md border border-gray-200 p-3 dark:border-gray-700">
            <div className="mb-3 flex flex-wrap items-end gap-2">
              <EventPicker
                label={`Step ${index + 1} event`}
                value={step.event}
                events={eventNames}
                onChange={(event) => setStep(index, { event: event ?? "" })}
                className="min-w-48 flex-1"
              />
              {state.steps.length > 2 && (
                <Button variant="secondary" onClick={() => set({ steps: state.steps.filter((_, i) => i !== index) })}>
                  Remove step {index + 1}
                </Button>
              )}
            </div>
            <FilterEditor name={`Step ${index + 1} filter`} filters={step.filters} onChange={(filters) => setStep(index, { filters })} />
          </li>
        ))}
      </ol>
      {state.steps.length < 20 && (
        <Button variant="secondary" onClick={() => set({ steps: [...state.steps, { event: "", filters: [] }] })}>
          Add step
        </Button>
      )}
      <div className="flex flex-wrap items-end gap-4">
        <SelectField label="Step order" value={state.order} onChange={(e) => set({ order: e.target.value as FunnelOrder })}>
          {funnelOrders.map((order) => (
            <option key={order.value} value={order.value}>
              {order.label}
            </option>
          ))}
        </SelectField>
        <NumberField
          label="Conversion window"
          min={1}
          max={99999999}
          value={state.windowAmount}
          onCommit={(windowAmount) => set({ windowAmount })}
          className="w-36"
        />
        <SelectField
          label="Window unit"
          value={state.windowUnit}
          onChange={(e) => set({ windowUnit: e.target.value as WindowUnit })}
        >
          {(Object.keys(windowUnits) as WindowUnit[]).map((unit) => (
            <option key={unit} value={unit}>
              {unit[0].toUpperCase() + unit.slice(1)}s
            </option>
          ))}
        </SelectField>
      </div>
      <RangePicker value={state.range} timeZone={timeZone} onChange={(range) => set({ range })} />
      <BreakdownFields breakdown={state.breakdown} limit={state.breakdownLimit} onChange={set} />
      <CompareToggle checked={state.compare} onChange={(compare) => set({ compare })} />
    </div>
  );
}

const funnel: BuilderKind<FunnelState> = {
  kind: "FUNNEL",
  read: readFunnel,
  write: writeFunnel,
  fromInput: funnelFromInput,
  toInput: funnelInput,
  form: (props) => <FunnelForm {...props} />,
};

/** The funnel builder page. */
export function FunnelBuilder(props: { ctx: OrgContext; projectId: string; search: URLSearchParams }) {
  return <BuilderFrame ctx={props.ctx} projectId={props.projectId} search={props.search} builder={funnel} />;
}
