// A dashboard shared by a link (/share/<token>): public, signed in or not. One request (`sharedDashboard`, sent
// without the session) brings the name, the description and every report with its answer; a report that failed shows
// its error in its place. When the link allows it, the visitor runs it over another range.
import { ReactNode, useEffect, useState } from "react";
import { ApiError, FieldError, isCancelled, request } from "../api/client";
import { ReportRange, SharedDashboard as SharedDashboardData, SharedDashboardByToken } from "../api/operations";
import { Button, ErrorMessage, Loading } from "../components/ui";
import { DashboardRangePicker, describeRange } from "../dashboards/DashboardRangePicker";
import { gridClass } from "../dashboards/grid";
import { ItemFrame } from "../dashboards/ItemCard";
import { ResultView } from "../dashboards/ResultView";

/** What an unknown or revoked link says. */
export const invalidLinkMessage = "This link is not valid or was revoked.";

/** The errors of each item (by index in `items`) from the field errors of a partial answer. */
function itemErrors(errors: FieldError[]): Map<number, string> {
  const byItem = new Map<number, string>();
  for (const error of errors) {
    const index = error.path[0] === "sharedDashboard" && error.path[1] === "items" ? error.path[2] : undefined;
    if (typeof index === "number" && !byItem.has(index)) byItem.set(index, error.message);
  }
  return byItem;
}

function Frame(props: { children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-baseline gap-3 px-4 py-3">
          <p className="text-lg font-bold text-indigo-700 dark:text-indigo-300">InsightVault</p>
          <p className="text-sm text-gray-600 dark:text-gray-400">Shared dashboard, read-only</p>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{props.children}</main>
    </div>
  );
}

/** The page of a share link. */
export function SharedDashboard(props: { token: string }) {
  const [range, setRange] = useState<ReportRange | null>(null);
  const [generation, setGeneration] = useState(0);
  const [answer, setAnswer] = useState<{ data: SharedDashboardData; errors: Map<number, string> } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  // The range the link was shared with (its dashboard's, or none), learnt from the first answer.
  const [shared, setShared] = useState<{ label: string | null } | null>(null);
  const rangeKey = JSON.stringify(range);

  useEffect(() => {
    const controller = new AbortController();
    let errors: FieldError[] = [];
    setLoading(true);
    request(SharedDashboardByToken, { token: props.token, range: JSON.parse(rangeKey) as ReportRange | null }, controller.signal, {
      withoutSession: true,
      onFieldErrors: (found) => {
        errors = found;
      },
    }).then(
      (data) => {
        const dashboard = data.sharedDashboard;
        setAnswer({ data: dashboard, errors: itemErrors(errors) });
        setError(null);
        setLoading(false);
        if (rangeKey === "null") setShared({ label: describeRange(dashboard.dateRange, dashboard.timezone) });
      },
      (caught: unknown) => {
        if (isCancelled(caught)) return;
        setError(caught instanceof ApiError ? caught : new ApiError(String(caught), null));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [props.token, rangeKey, generation]);

  const data = answer?.data ?? null;
  useEffect(() => {
    document.title = data ? `${data.name} · InsightVault` : "Shared dashboard · InsightVault";
  }, [data?.name]);

  if (error?.code === "NOT_FOUND") {
    return (
      <Frame>
        <h1 className="mb-4 text-2xl font-semibold">Shared dashboard</h1>
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-4 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {invalidLinkMessage}
        </div>
      </Frame>
    );
  }
  if (!data) {
    return (
      <Frame>
        <h1 className="mb-4 text-2xl font-semibold">Shared dashboard</h1>
        {loading && <Loading />}
        <ErrorMessage error={error} onRetry={() => setGeneration((n) => n + 1)} />
      </Frame>
    );
  }

  return (
    <Frame>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{data.name}</h1>
        <Button variant="secondary" disabled={loading} onClick={() => setGeneration((n) => n + 1)}>
          Refresh
        </Button>
      </div>
      {data.description && <p className="mb-4 text-gray-700 dark:text-gray-300">{data.description}</p>}
      <div className="mb-6 flex flex-wrap items-end gap-3">
        {data.allowRangeChange ? (
          <DashboardRangePicker
            label="Date range"
            noneLabel={shared?.label ? `As shared (${shared.label})` : "As shared (each report's own)"}
            value={range}
            timeZone={data.timezone}
            disabled={loading}
            onChange={setRange}
          />
        ) : (
          <p className="text-sm text-gray-700 dark:text-gray-300">
            {describeRange(data.dateRange, data.timezone) ?? "Each report over its own range"}
          </p>
        )}
        <p role="status" className="pb-2 text-xs text-gray-600 dark:text-gray-400">
          {loading ? "Running the reports…" : `Days in ${data.timezone}.`}
        </p>
      </div>
      <ErrorMessage error={error} onRetry={() => setGeneration((n) => n + 1)} />
      {data.items.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">This dashboard has no reports.</p>
      ) : (
        <div className={`${gridClass} ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          {data.items.map((item, index) => {
            const failed = answer?.errors.get(index);
            return (
              <ItemFrame
                key={item.position}
                title={item.name}
                width={item.width}
                height={item.height}
                note={describeRange(item.definition as ReportRange, data.timezone)}
              >
                {failed ? (
                  <ErrorMessage error={new Error(failed)} />
                ) : (
                  <ResultView
                    kind={item.kind}
                    definition={item.definition}
                    trends={item.trends}
                    funnel={item.funnel}
                    retention={item.retention}
                    timeZone={data.timezone}
                    name={item.name}
                  />
                )}
              </ItemFrame>
            );
          })}
        </div>
      )}
    </Frame>
  );
}
