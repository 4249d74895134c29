// CSV export of loaded events and of report tables. A cell that a spreadsheet would run as a formula (starting with
// =, +, -, @, or a tab or carriage return) gets a leading apostrophe; cells with commas, quotes or line breaks are
// quoted.
import { EventNode } from "../api/operations";

/** One CSV cell. */
export function csvCell(value: string): string {
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** The events as CSV: a header row, then one row per event with its properties as JSON. */
export function eventsToCSV(events: EventNode[]): string {
  const rows = [["timestamp", "event", "distinct_id", "person_id", "properties"]];
  for (const event of events) {
    rows.push([event.timestamp, event.event, event.distinctId, event.personId ?? "", JSON.stringify(event.properties)]);
  }
  return rowsToCSV(rows);
}

/** Rows of cells (the first row the header) as CSV, every cell guarded like csvCell. */
export function rowsToCSV(rows: string[][]): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** Starts a download of `text` as `fileName`. */
export function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
