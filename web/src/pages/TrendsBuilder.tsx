// The trends builder (/insights/trends): series (an event or all events, a measure, a numeric property for the
// property measures), interval, date range, breakdown, filters, comparison with the previous period, line or bars.
// The state lives in the URL; the report runs on every change.
import { OrgContext } from "../components/Layout";
import { Button, SelectField } from "../components/ui";
import { BuilderFormProps, BuilderFrame, BuilderKind } from "../insights/BuilderFrame";
import { BreakdownFields, CompareToggle } from "../insights/BreakdownFields";
import { EventPicker, PropertyPicker } from "../insights/EventPicker";
import { FilterEditor } from "../insights/FilterEditor";
import { RangePicker } from "../insights/RangePicker";
import {
  ChartKind,
  SeriesState,
  TrendsState,
  intervals,
  isNumericMath,
  readTrends,
  trendMaths,
  trendsFromInput,
  trendsInput,
  writeTrends,
} from "../insights/urlState";
import { Interval, TrendMath } from "../api/operations";

const intervalNames: Record<Interval, string> = { HOUR: "Hour", DAY: "Day", WEEK: "Week", MONTH: "Month" };

function TrendsForm(props: BuilderFormProps<TrendsState>) {
  const { state, onChange, eventNames, timeZone } = props;
  const set = (change: Partial<TrendsState>) => onChange({ ...state, ...change });
  const setSeries = (index: number, change: Partial<SeriesState>) =>
    set({ series: state.series.map((s, i) => (i === index ? { ...s, ...change } : s)) });
  return (
    <div className="space-y-6">
      <fieldset className="space-y-3">
        <legend className="mb-2 text-sm font-semibold">Series</legend>
        {state.series.map((series, index) => {
          const name = `Series ${index + 1}`;
          return (
            <div key={index} className="grid gap-2 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-end">
              <EventPicker
                label={`${name} event`}
                allowAll
                value={series.event}
                events={eventNames}
                onChange={(event) => setSeries(index, { event })}
              />
              <SelectField
                label={`${name} measure`}
                value={series.math}
                onChange={(e) => setSeries(index, { math: e.target.value as TrendMath })}
              >
                {trendMaths.map((math) => (
                  <option key={math.value} value={math.value}>
                    {math.label}
                  </option>
                ))}
              </SelectField>
              {isNumericMath(series.math) ? (
                <PropertyPicker
                  label={`${name} numeric property`}
                  value={series.property}
                  onCommit={(property) => setSeries(index, { property })}
                />
              ) : (
                <div aria-hidden="true" />
              )}
              {state.series.length > 1 ? (
                <Button variant="secondary" onClick={() => set({ series: state.series.filter((_, i) => i !== index) })}>
                  Remove series {index + 1}
                </Button>
              ) : (
                <div aria-hidden="true" />
              )}
            </div>
          );
        })}
        {state.series.length < 20 && (
          <Button variant="secondary" onClick={() => set({ series: [...state.series, { event: null, math: "TOTAL", property: "" }] })}>
            Add series
          </Button>
        )}
      </fieldset>
      <div className="flex flex-wrap items-end gap-4">
        <SelectField label="Interval" value={state.interval} onChange={(e) => set({ interval: e.target.value as Interval })}>
          {intervals.map((interval) => (
            <option key={interval} value={interval}>
              {intervalNames[interval]}
            </option>
          ))}
        </SelectField>
        <RangePicker value={state.range} timeZone={timeZone} onChange={(range) => set({ range })} />
      </div>
      <BreakdownFields breakdown={state.breakdown} limit={state.breakdownLimit} onChange={set} />
      <fieldset>
        <legend className="mb-2 text-sm font-semibold">Filters (every series)</legend>
        <FilterEditor name="Filter" filters={state.filters} onChange={(filters) => set({ filters })} />
      </fieldset>
      <div className="flex flex-wrap items-end gap-4">
        <CompareToggle checked={state.compare} onChange={(compare) => set({ compare })} />
        <SelectField label="Chart" value={state.chart} onChange={(e) => set({ chart: e.target.value as ChartKind })}>
          <option value="line">Line</option>
          <option value="bar">Bars</option>
        </SelectField>
      </div>
    </div>
  );
}

const trends: BuilderKind<TrendsState> = {
  kind: "TRENDS",
  read: readTrends,
  write: writeTrends,
  fromInput: trendsFromInput,
  toInput: trendsInput,
  form: (props) => <TrendsForm {...props} />,
  chart: (state) => state.chart,
};

/** The trends builder page. */
export function TrendsBuilder(props: { ctx: OrgContext; projectId: string; search: URLSearchParams }) {
  return <BuilderFrame ctx={props.ctx} projectId={props.projectId} search={props.search} builder={trends} />;
}
