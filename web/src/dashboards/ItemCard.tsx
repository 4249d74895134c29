// One report on a dashboard's grid: its name (linking to its builder), which range it ran over, its chart and table
// (or its own error, so one failing report leaves the others be), and in edit mode the controls for its place and size.
import { ReactNode } from "react";
import { ReportRange, SavedReport } from "../api/operations";
import { Button, SelectField } from "../components/ui";
import { ReportView } from "../insights/ReportView";
import { Link } from "../router";
import { describeRange, withRange } from "./DashboardRangePicker";
import { heightChoices, spanClasses, widthChoices, withCurrent } from "./grid";

/** The frame of a grid item: a titled card of the item's size whose body scrolls when the result is taller. */
export function ItemFrame(props: {
  title: string;
  titleHref?: string;
  width: number;
  height: number;
  note: string | null;
  controls?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section
      aria-label={props.title}
      className={`${spanClasses(props.width, props.height)} flex min-h-0 min-w-0 flex-col rounded-lg border border-gray-200 bg-white p-3 shadow-sm dark:border-gray-800 dark:bg-gray-900`}
    >
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-x-3">
        <h2 className="min-w-0 truncate text-base font-semibold">
          {props.titleHref ? (
            <Link href={props.titleHref} className="underline-offset-2 hover:underline">
              {props.title}
            </Link>
          ) : (
            props.title
          )}
        </h2>
        {props.note && <p className="text-xs text-gray-600 dark:text-gray-400">{props.note}</p>}
      </div>
      {props.controls}
      <div tabIndex={0} role="region" aria-label={`Result of ${props.title}`} className="min-h-0 flex-1 overflow-auto">
        {props.children}
      </div>
    </section>
  );
}

/** Editing controls of one item: move, resize, remove. */
export interface ItemEditing {
  index: number;
  count: number;
  onMove: (by: -1 | 1) => void;
  onResize: (width: number, height: number) => void;
  onRemove: () => void;
}

function EditControls(props: { name: string; width: number; height: number; editing: ItemEditing }) {
  const { name, width, height, editing } = props;
  return (
    <div className="mb-2 flex flex-wrap items-end gap-2 border-b border-gray-200 pb-2 dark:border-gray-800">
      <SelectField
        label={`Width of ${name}`}
        value={String(width)}
        onChange={(e) => editing.onResize(Number(e.target.value), height)}
      >
        {withCurrent(widthChoices, width, "columns").map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={`Height of ${name}`}
        value={String(height)}
        onChange={(e) => editing.onResize(width, Number(e.target.value))}
      >
        {withCurrent(heightChoices, height, "rows").map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      <Button variant="secondary" aria-label={`Move ${name} up`} disabled={editing.index === 0} onClick={() => editing.onMove(-1)}>
        Up
      </Button>
      <Button
        variant="secondary"
        aria-label={`Move ${name} down`}
        disabled={editing.index === editing.count - 1}
        onClick={() => editing.onMove(1)}
      >
        Down
      </Button>
      <Button variant="secondary" aria-label={`Remove ${name}`} onClick={editing.onRemove}>
        Remove
      </Button>
    </div>
  );
}

/** A saved report on the dashboard, run over `range` (the dashboard's) or its own; runs again when `refresh` changes.
 * ReportView runs it and shows its progress, its error (here only) or its chart and table. */
export function ItemCard(props: {
  report: SavedReport;
  width: number;
  height: number;
  range: ReportRange | null;
  projectId: string;
  timeZone: string;
  refresh: number;
  reportHref: string;
  editing?: ItemEditing;
}) {
  const { report, range, timeZone } = props;
  const own = describeRange(report.definition as ReportRange, timeZone);
  const note = range ? `${describeRange(range, timeZone) ?? "Custom"} (dashboard)` : own ? `${own} (its own)` : null;
  return (
    <ItemFrame
      title={report.name}
      titleHref={props.reportHref}
      width={props.width}
      height={props.height}
      note={note}
      controls={props.editing && <EditControls name={report.name} width={props.width} height={props.height} editing={props.editing} />}
    >
      <ReportView
        key={props.refresh}
        projectId={props.projectId}
        kind={report.kind}
        definition={withRange(report.definition, range)}
        timeZone={timeZone}
        name={report.name}
      />
    </ItemFrame>
  );
}
