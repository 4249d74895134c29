// A report's table and its CSV export, both from one model of display strings, so the file holds exactly the
// numbers the table shows. A cell may have several parts (a count and its percentage): the table stacks them, the
// CSV gives each its own column. Heat-map cells are shaded by a tone from 0 to 1 in steps with readable contrast.
import { download, rowsToCSV } from "../components/csv";
import { Button } from "../components/ui";

/** One cell: its parts (the first is the main one) and, for a heat map, a tone from 0 to 1. */
export interface TableCell {
  parts: string[];
  tone?: number;
}

/** A table: column headers (one name per part of the column's cells, the table shows the first), the rows, and how
 * many leading cells of each row are row headers. */
export interface TableModel {
  caption: string;
  head: string[][];
  rowHeaders: number;
  rows: TableCell[][];
}

/** A cell of text only. */
export function cell(...parts: string[]): TableCell {
  return { parts };
}

/** The CSV rows of a table: the header, then each row, every part in a column of its own. */
export function tableRows(model: TableModel): string[][] {
  return [model.head.flat(), ...model.rows.map((row) => row.flatMap((c) => c.parts))];
}

// Backgrounds light enough for dark text, then dark enough for white text (WCAG AA either way).
const tones: [number, string][] = [
  [0.1, "bg-indigo-50 text-gray-900"],
  [0.2, "bg-indigo-100 text-gray-900"],
  [0.35, "bg-indigo-200 text-gray-900"],
  [0.5, "bg-indigo-300 text-gray-950"],
  [0.7, "bg-indigo-600 text-white"],
  [0.85, "bg-indigo-700 text-white"],
  [1.01, "bg-indigo-800 text-white"],
];

function toneClass(tone: number | undefined): string {
  if (tone === undefined || !(tone > 0)) return "";
  return (tones.find(([upTo]) => tone <= upTo) ?? tones[tones.length - 1])[1];
}

/** The table with an "Export table as CSV" button; `fileName` without the extension. */
export function ReportTable(props: { model: TableModel; fileName: string }) {
  const { model } = props;
  const exportCSV = () => download(`${props.fileName}.csv`, rowsToCSV(tableRows(model)));
  return (
    <div>
      <div className="mb-2 flex justify-end">
        <Button variant="secondary" onClick={exportCSV} disabled={model.rows.length === 0}>
          Export table as CSV
        </Button>
      </div>
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={`${model.caption} table`}>
        <table className="min-w-full border-collapse text-sm">
          <caption className="sr-only">{model.caption}</caption>
          <thead>
            <tr className="border-b border-gray-200 dark:border-gray-700">
              {model.head.map((parts, index) => (
                <th
                  key={index}
                  scope="col"
                  className={`px-2 py-2 font-medium whitespace-nowrap ${index < model.rowHeaders ? "text-left" : "text-right"}`}
                >
                  {parts[0]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {model.rows.map((row, r) => (
              <tr key={r} className="border-b border-gray-100 dark:border-gray-800">
                {row.map((c, index) =>
                  index < model.rowHeaders ? (
                    <th key={index} scope="row" className="px-2 py-1.5 text-left font-medium whitespace-nowrap">
                      {c.parts.join(" ")}
                    </th>
                  ) : (
                    <td key={index} className={`px-2 py-1.5 text-right whitespace-nowrap tabular-nums ${toneClass(c.tone)}`}>
                      {c.parts.map((part, i) => (
                        <span key={i} className={i === 0 ? "block" : "block text-xs"}>
                          {part}
                        </span>
                      ))}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
