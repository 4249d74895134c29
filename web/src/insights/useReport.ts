// Running a report: the request starts whenever its variables change (the one still running is aborted, so the
// server stops it too), can be cancelled by the user, and says how long it has been running.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, Operation, isCancelled, request } from "../api/client";

export type ReportStatus = "running" | "done" | "error" | "cancelled";

/** The state of a report run; `data` is the answer to these variables (while a run is under way, the previous
 * answer, which a view shows dimmed). */
export interface ReportRun<TData, TVariables> {
  status: ReportStatus;
  data: TData | null;
  /** The variables `data` answers (differ from the current ones while a new run is under way). */
  dataVariables: TVariables | null;
  error: ApiError | null;
  /** Milliseconds since the running request started (0 when nothing runs). */
  elapsedMs: number;
  /** Aborts the running request; the status becomes "cancelled". */
  cancel: () => void;
  /** Runs the report again with the same variables. */
  run: () => void;
}

/** Runs `op` with `variables` now and whenever they change. */
export function useReport<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
): ReportRun<TData, TVariables> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ status: ReportStatus; data: TData | null; dataKey: string; error: ApiError | null }>({
    status: "running",
    data: null,
    dataKey: "",
    error: null,
  });
  const [startedAt, setStartedAt] = useState(0);
  const [now, setNow] = useState(0);
  const [generation, setGeneration] = useState(0);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    const mine = new AbortController();
    controller.current = mine;
    const started = Date.now();
    setStartedAt(started);
    setNow(started);
    setState((s) => ({ ...s, status: "running", error: null }));
    request(op, JSON.parse(key) as TVariables, mine.signal).then(
      (data) => {
        if (controller.current === mine) setState({ status: "done", data, dataKey: key, error: null });
      },
      (error: unknown) => {
        // Aborted: by cancel (which already said so) or because newer variables replaced this run.
        if (isCancelled(error) || controller.current !== mine) return;
        const apiError = error instanceof ApiError ? error : new ApiError(String(error), null);
        setState({ status: "error", data: null, dataKey: "", error: apiError });
      },
    );
    return () => {
      if (controller.current === mine) controller.current = null;
      mine.abort();
    };
  }, [op, key, generation]);

  // The elapsed time, ticking while the request runs.
  useEffect(() => {
    if (state.status !== "running") return;
    const timer = window.setInterval(() => setNow(Date.now()), 100);
    return () => window.clearInterval(timer);
  }, [state.status]);

  const cancel = useCallback(() => {
    const current = controller.current;
    controller.current = null;
    current?.abort();
    setState((s) => ({ ...s, status: "cancelled", error: null }));
  }, []);
  const run = useCallback(() => setGeneration((g) => g + 1), []);

  const running = state.status === "running";
  const shown = running || state.dataKey === key ? state.data : null;
  return {
    status: state.status,
    data: shown,
    dataVariables: shown === null ? null : (JSON.parse(state.dataKey) as TVariables),
    error: state.error,
    elapsedMs: running ? Math.max(0, now - startedAt) : 0,
    cancel,
    run,
  };
}
