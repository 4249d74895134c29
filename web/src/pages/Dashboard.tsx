// A dashboard: its saved reports on a 12-column grid, each run over the dashboard's range or its own; Refresh
// reruns them all. MEMBERs and above set the dashboard-wide range (saved at once), edit it (add, remove, move and
// resize reports, rename, delete; saved with "Save changes") and share it by links (SharePanel).
import { useEffect, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import {
  Dashboard,
  DashboardDetail,
  DeleteDashboard,
  ProjectReports,
  ReportRange,
  SavedReport,
  UpdateDashboard,
} from "../api/operations";
import { OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, SelectField, TextField } from "../components/ui";
import { ConfirmMutation } from "../components/ConfirmButton";
import { DashboardRangePicker } from "../dashboards/DashboardRangePicker";
import { gridClass } from "../dashboards/grid";
import { ItemCard } from "../dashboards/ItemCard";
import { kindName, reportHref } from "../dashboards/reports";
import { canEditDashboards } from "../dashboards/roles";
import { SharePanel } from "../dashboards/SharePanel";
import { Link, navigate } from "../router";

interface DraftItem {
  report: SavedReport;
  width: number;
  height: number;
}

interface Draft {
  name: string;
  description: string;
  items: DraftItem[];
}

function draftOf(dashboard: Dashboard): Draft {
  return {
    name: dashboard.name,
    description: dashboard.description ?? "",
    items: dashboard.items.map((item) => ({ report: item.report, width: item.width, height: item.height })),
  };
}

/** The edit panel: name, description, a saved report to add, save or cancel, delete the dashboard. */
function EditPanel(props: {
  projectId: string;
  dashboard: Dashboard;
  draft: Draft;
  onDraft: (draft: Draft) => void;
  onSaved: (dashboard: Dashboard) => void;
  onCancel: () => void;
  onDeleted: () => void;
}) {
  const { draft, dashboard } = props;
  const reports = useQuery(ProjectReports, { projectId: props.projectId });
  const update = useMutation(UpdateDashboard);
  const shown = new Set(draft.items.map((item) => item.report.id));
  const addable = (reports.data?.reports ?? []).filter((report) => !shown.has(report.id));
  const [adding, setAdding] = useState("");
  const chosen = addable.find((report) => report.id === adding) ?? addable[0] ?? null;
  const save = async () => {
    const description = draft.description.trim();
    const data = await update.run({
      input: {
        id: dashboard.id,
        name: draft.name.trim(),
        description: description === "" ? null : description,
        items: draft.items.map((item) => ({ reportId: item.report.id, width: item.width, height: item.height })),
      },
    });
    if (data) props.onSaved(data.updateDashboard);
  };
  return (
    <Card title="Edit dashboard" className="mb-6">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Dashboard name"
          required
          maxLength={200}
          value={draft.name}
          onChange={(e) => props.onDraft({ ...draft, name: e.target.value })}
        />
        <TextField
          label="Description (optional)"
          maxLength={2000}
          value={draft.description}
          onChange={(e) => props.onDraft({ ...draft, description: e.target.value })}
        />
      </div>
      <div className="mt-4 flex flex-wrap items-end gap-2">
        {reports.loading && !reports.data && <Loading label="Loading saved reports…" />}
        <ErrorMessage error={reports.error} onRetry={reports.reload} />
        {reports.data && addable.length === 0 && (
          <p className="text-sm text-gray-600 dark:text-gray-400">
            {reports.data.reports.length === 0
              ? "This project has no saved reports yet: save one from Trends, Funnels or Retention."
              : "Every saved report of this project is on the dashboard."}
          </p>
        )}
        {chosen && (
          <>
            <SelectField
              label="Saved report to add"
              value={chosen.id}
              onChange={(e) => setAdding(e.target.value)}
              className="min-w-64"
            >
              {addable.map((report) => (
                <option key={report.id} value={report.id}>
                  {report.name} ({kindName(report.kind)})
                </option>
              ))}
            </SelectField>
            <Button
              variant="secondary"
              onClick={() => {
                props.onDraft({ ...draft, items: [...draft.items, { report: chosen, width: 6, height: 4 }] });
                setAdding("");
              }}
            >
              Add report
            </Button>
          </>
        )}
      </div>
      <div className="mt-4">
        <ErrorMessage error={update.error} />
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap gap-2">
          <Button onClick={save} disabled={update.pending || draft.name.trim() === ""}>
            {update.pending ? "Saving…" : "Save changes"}
          </Button>
          <Button variant="secondary" onClick={props.onCancel}>
            Cancel
          </Button>
        </div>
        <ConfirmMutation
          label="Delete"
          subject={`dashboard ${dashboard.name}`}
          operation={DeleteDashboard}
          variables={{ id: dashboard.id }}
          onDone={props.onDeleted}
        />
      </div>
    </Card>
  );
}

function move<T>(list: T[], index: number, by: number): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return list;
  const next = list.slice();
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}

/** The dashboard page. */
export function DashboardPage(props: { ctx: OrgContext; projectId: string; dashboardId: string; search: URLSearchParams }) {
  const { ctx, projectId, dashboardId } = props;
  const query = useQuery(DashboardDetail, { id: dashboardId });
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [range, setRange] = useState<ReportRange | null>(null);
  const [refresh, setRefresh] = useState(0);
  const canEdit = canEditDashboards(ctx.role);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [sharing, setSharing] = useState(false);
  const saveRange = useMutation(UpdateDashboard);
  const [rangeSaved, setRangeSaved] = useState(false);
  const loaded = query.data?.dashboard ?? null;
  const base = `/orgs/${ctx.organizationId}/projects/${projectId}/dashboards`;
  const timeZone = loaded?.project.timezone ?? "UTC";

  useEffect(() => {
    if (!loaded) return;
    setDashboard(loaded);
    setRange(loaded.dateRange);
    // A new dashboard opens in edit mode (?edit=1), for its first reports.
    if (canEdit && props.search.get("edit") === "1") {
      setDraft(draftOf(loaded));
      navigate(window.location.pathname, true);
    }
  }, [loaded]);

  if (!dashboard) {
    return (
      <div>
        <PageHeader title="Dashboard" />
        <ProjectTabs organizationId={ctx.organizationId} projectId={projectId} current="dashboards" />
        {query.loading && <Loading />}
        <ErrorMessage error={query.error} onRetry={query.reload} />
        {query.data && !loaded && <ErrorMessage error={new Error("This dashboard does not exist or was deleted.")} />}
      </div>
    );
  }

  const changeRange = async (next: ReportRange | null) => {
    setRange(next);
    setRangeSaved(false);
    if (!canEdit) return;
    const data = await saveRange.run({ input: { id: dashboard.id, dateRange: next } });
    if (data) {
      setDashboard((current) => (current ? { ...current, dateRange: data.updateDashboard.dateRange } : current));
      setRangeSaved(true);
    }
  };
  const items = draft ? draft.items : dashboard.items;

  return (
    <div>
      <PageHeader title={dashboard.name}>
        <Button variant="secondary" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </Button>
        {canEdit && !draft && (
          <Button variant="secondary" onClick={() => setDraft(draftOf(dashboard))}>
            Edit dashboard
          </Button>
        )}
        {canEdit && (
          <Button
            variant="secondary"
            aria-expanded={sharing}
            aria-controls="dashboard-share"
            onClick={() => setSharing((open) => !open)}
          >
            Share
          </Button>
        )}
      </PageHeader>
      <ProjectTabs organizationId={ctx.organizationId} projectId={projectId} current="dashboards" />
      <p className="mb-4 text-sm">
        <Link href={base} className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">
          All dashboards
        </Link>
      </p>
      {dashboard.description && <p className="mb-4 text-gray-700 dark:text-gray-300">{dashboard.description}</p>}
      <div className="mb-6 flex flex-wrap items-end gap-3">
        <DashboardRangePicker
          label="Dashboard date range"
          noneLabel="Each report's own"
          value={range}
          timeZone={timeZone}
          onChange={changeRange}
        />
        <p role="status" className="pb-2 text-xs text-gray-600 dark:text-gray-400">
          {canEdit
            ? saveRange.pending
              ? "Saving the range…"
              : rangeSaved
                ? "Range saved for everyone."
                : `Days in ${timeZone}, the project's time zone.`
            : "Only for this view: viewers cannot save the dashboard's range."}
        </p>
      </div>
      <div className="mb-6 empty:hidden">
        <ErrorMessage error={saveRange.error} />
      </div>
      {sharing && canEdit && <SharePanel id="dashboard-share" dashboardId={dashboard.id} />}
      {draft && (
        <EditPanel
          projectId={projectId}
          dashboard={dashboard}
          draft={draft}
          onDraft={setDraft}
          onSaved={(saved) => {
            setDashboard(saved);
            setDraft(null);
          }}
          onCancel={() => setDraft(null)}
          onDeleted={() => navigate(base, true)}
        />
      )}
      {items.length === 0 ? (
        <Empty>
          {canEdit
            ? draft
              ? "No reports on this dashboard yet: add saved reports above, then save the changes."
              : "No reports on this dashboard yet: edit it to add saved reports."
            : "No reports on this dashboard yet."}
        </Empty>
      ) : (
        <div className={gridClass}>
          {items.map((item, index) => (
            <ItemCard
              key={item.report.id}
              report={item.report}
              width={item.width}
              height={item.height}
              range={range}
              projectId={projectId}
              timeZone={timeZone}
              refresh={refresh}
              reportHref={reportHref(ctx.organizationId, projectId, item.report)}
              editing={
                draft
                  ? {
                      index,
                      count: draft.items.length,
                      onMove: (by) => setDraft({ ...draft, items: move(draft.items, index, by) }),
                      onResize: (width, height) =>
                        setDraft({ ...draft, items: draft.items.map((it, i) => (i === index ? { ...it, width, height } : it)) }),
                      onRemove: () => setDraft({ ...draft, items: draft.items.filter((_, i) => i !== index) }),
                    }
                  : undefined
              }
            />
          ))}
        </div>
      )}
    </div>
  );
}
