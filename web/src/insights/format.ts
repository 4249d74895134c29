// How report numbers read, the same in a table, its CSV and a chart's labels: whole numbers as they are, others
// with two decimals, no grouping (a CSV cell stays one number), percentages with one decimal.

/** A report value: 1234, 12.35. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A share as a percentage with one decimal: 0.456 is "45.6%". */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The change from `previous` to `current`: "+12.5%", "−3.0%" (a minus sign), "n/a" when previous is 0. */
export function formatChange(current: number, previous: number): string {
  if (previous === 0 || !Number.isFinite(previous) || !Number.isFinite(current)) return "n/a";
  const change = ((current - previous) / Math.abs(previous)) * 100;
  const text = Math.abs(change).toFixed(1);
  if (text === "0.0") return "0.0%";
  return `${change > 0 ? "+" : "\u2212"}${text}%`;
}

/** A duration in seconds, rounded to the second: "45s", "3m 05s", "2h 07m", "3d 4h". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (total < 3600) return `${Math.floor(total / 60)}m ${pad(total % 60)}s`;
  if (total < 86400) return `${Math.floor(total / 3600)}h ${pad(Math.floor((total % 3600) / 60))}m`;
  return `${Math.floor(total / 86400)}d ${Math.floor((total % 86400) / 3600)}h`;
}
