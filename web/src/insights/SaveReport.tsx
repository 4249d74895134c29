// Saving a builder's report: "Save as report" with a name (saveReport, the input JSON as it is, a relative range
// kept relative); with a saved report open, "Save" updates it (updateReport). VIEWERs never see this (the builder
// leaves it out), and the server refuses them anyway.
import { FormEvent, useEffect, useState } from "react";
import { useMutation } from "../api/hooks";
import { ReportKind, SaveReport as SaveReportOperation, SavedReport, UpdateReport } from "../api/operations";
import { Button, ErrorMessage, TextField } from "../components/ui";

/** The save controls of a builder. */
export function SaveReport(props: {
  projectId: string;
  kind: ReportKind;
  /** The input to save, or null while it cannot run (nothing to save yet). */
  definition: object | null;
  report: SavedReport | null;
  onSaved: (report: SavedReport) => void;
}) {
  const { report, definition } = props;
  const [name, setName] = useState(report?.name ?? "");
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setName(report?.name ?? ""), [report?.id, report?.name]);
  const save = useMutation(SaveReportOperation);
  const update = useMutation(UpdateReport);
  const pending = save.pending || update.pending;
  const trimmed = name.trim();

  const saveNew = async () => {
    if (!definition || !trimmed) return;
    setSaved(null);
    const data = await save.run({ input: { projectId: props.projectId, name: trimmed, kind: props.kind, definition } });
    if (data) {
      setSaved(`Saved as “${data.saveReport.name}”.`);
      props.onSaved(data.saveReport);
    }
  };
  const saveExisting = async (event: FormEvent) => {
    event.preventDefault();
    if (!report) return saveNew();
    if (!definition || !trimmed) return;
    setSaved(null);
    const data = await update.run({ input: { id: report.id, name: trimmed, definition } });
    if (data) {
      setSaved(`Saved “${data.updateReport.name}”.`);
      props.onSaved(data.updateReport);
    }
  };

  return (
    <form onSubmit={saveExisting} className="flex flex-wrap items-end gap-2" aria-label="Save report">
      <TextField
        label="Report name"
        value={name}
        maxLength={200}
        onChange={(e) => {
          setName(e.target.value);
          setSaved(null);
        }}
        className="min-w-48 flex-1"
      />
      {report ? (
        <>
          <Button type="submit" disabled={pending || !definition || !trimmed}>
            Save
          </Button>
          <Button variant="secondary" onClick={saveNew} disabled={pending || !definition || !trimmed}>
            Save as new report
          </Button>
        </>
      ) : (
        <Button type="submit" disabled={pending || !definition || !trimmed}>
          Save as report
        </Button>
      )}
      <p role="status" className="w-full text-sm text-gray-700 empty:hidden dark:text-gray-300">
        {saved}
      </p>
      <div className="w-full empty:hidden">
        <ErrorMessage error={save.error ?? update.error} />
      </div>
    </form>
  );
}
