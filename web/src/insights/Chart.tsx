// Charts of reports with Chart.js (Debian's node-chart.js 3.9), tree-shaken: only the line and bar controllers, the
// category and linear scales, the legend and the tooltip are registered. It draws on a canvas and sets sizes through
// the CSSOM, so the Content-Security-Policy (no inline styles) holds. The table beside each chart carries the same
// numbers for screen readers; the canvas has a short description.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  ChartDataset,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "react";

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Series colours, readable on the light and the dark background. */
const palette = ["#4f46e5", "#0d9488", "#d97706", "#e11d48", "#0284c7", "#7c3aed", "#65a30d", "#c026d3", "#475569", "#ea580c"];

/** The colour of the n-th series (the previous period of a series uses its series' colour, dashed). */
export function seriesColor(index: number): string {
  return palette[index % palette.length];
}

/** One line or set of bars; `dashed` lines are drawn dashed (a previous period). */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
  dashed?: boolean;
  /** A line on a bar chart, or the other way round; the chart's kind when omitted. */
  type?: "line" | "bar";
}

type Values = (number | null)[];
type Label = string | string[];

function prefersDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: dark)").matches;
}

/** A line or bar chart of `series` over `labels` (a label may be several lines). */
export function ReportChart(props: {
  kind: "line" | "bar";
  labels: Label[];
  series: ChartSeries[];
  /** What the chart shows, for screen readers (the table has the numbers). */
  description: string;
  yTitle?: string;
}) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const configKey = JSON.stringify([props.kind, props.labels, props.series, props.yTitle]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const dark = prefersDark();
    const text = dark ? "#d1d5db" : "#374151";
    const grid = dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.08)";
    const datasets = props.series.map((s) => {
      const type = s.type ?? props.kind;
      const dataset = {
        type,
        label: s.label,
        data: s.values,
        borderColor: s.color,
        backgroundColor: type === "bar" ? `${s.color}cc` : s.color,
        borderWidth: 2,
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: type === "line" ? (props.labels.length > 60 ? 0 : 2) : undefined,
        tension: 0,
      };
      return dataset as unknown as ChartDataset<"line" | "bar", Values>;
    });
    const config: ChartConfiguration<"line" | "bar", Values, Label> = {
      type: props.kind,
      data: { labels: props.labels, datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { color: text, maxRotation: 0, autoSkip: true }, grid: { color: grid } },
          y: {
            beginAtZero: true,
            ticks: { color: text },
            grid: { color: grid },
            title: props.yTitle ? { display: true, text: props.yTitle, color: text } : undefined,
          },
        },
        plugins: {
          // Dashed series (a previous period) stay out of the legend: the text above the chart says what they are.
          legend: {
            display: props.series.filter((s) => !s.dashed).length > 1,
            labels: { color: text, boxWidth: 12, filter: (item) => !props.series[item.datasetIndex ?? -1]?.dashed },
          },
          tooltip: { enabled: true },
        },
      },
    };
    const chart = new Chart(element, config);
    return () => chart.destroy();
    // configKey stands for every prop the chart is drawn from: a new chart only when one of them changed.
  }, [configKey]);

  return (
    <div className="relative h-72 w-full">
      <canvas ref={canvas} role="img" aria-label={props.description}>
        {props.description}
      </canvas>
    </div>
  );
}
