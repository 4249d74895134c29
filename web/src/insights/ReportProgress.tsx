// The state of a report run beside its result: after 300 ms a spinner with the elapsed seconds and a Cancel button;
// "Cancelled" with a Run button once cancelled; the server's message with a retry when it failed.
import { ApiError } from "../api/client";
import { Button, ErrorMessage } from "../components/ui";
import { ReportStatus } from "./useReport";

/** How long a report may run before the progress shows, in milliseconds. */
export const progressDelayMs = 300;

/** The progress, cancelled and error states of a report run. */
export function ReportProgress(props: {
  status: ReportStatus;
  elapsedMs: number;
  error: ApiError | null;
  onCancel: () => void;
  onRun: () => void;
}) {
  const { status, elapsedMs } = props;
  if (status === "running" && elapsedMs >= progressDelayMs) {
    return (
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <div role="status" className="flex items-center gap-2 text-sm text-gray-700 dark:text-gray-300">
          <span
            aria-hidden="true"
            className="inline-block size-4 animate-spin rounded-full border-2 border-indigo-600 border-t-transparent dark:border-indigo-300 dark:border-t-transparent"
          />
          Running the report… {(elapsedMs / 1000).toFixed(1)} s
        </div>
        <Button variant="secondary" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    );
  }
  if (status === "cancelled") {
    return (
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <p role="status" className="text-sm text-gray-700 dark:text-gray-300">
          Cancelled
        </p>
        <Button onClick={props.onRun}>Run</Button>
      </div>
    );
  }
  if (status === "error") return <div className="mb-4"><ErrorMessage error={props.error} onRetry={props.onRun} /></div>;
  return null;
}
