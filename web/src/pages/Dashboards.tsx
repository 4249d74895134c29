// A project's dashboards (name, description, how many reports) with a form to create one, and its saved reports,
// each opening in its builder, with delete. VIEWERs see the lists only.
import { FormEvent, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import {
  CreateDashboard,
  DeleteReport,
  ProjectDashboards,
  ProjectDetail,
  ProjectReports,
} from "../api/operations";
import { OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, TextField, formatTime } from "../components/ui";
import { ConfirmMutation } from "../components/ConfirmButton";
import { kindName, reportHref } from "../dashboards/reports";
import { canEditDashboards } from "../dashboards/roles";
import { Link, navigate } from "../router";

const linkStyle = "font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300";

function CreateDashboardForm(props: { projectId: string; onCreated: (id: string) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(CreateDashboard);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = description.trim();
    const data = await create.run({
      input: { projectId: props.projectId, name: name.trim(), ...(text ? { description: text } : {}) },
    });
    if (data) props.onCreated(data.createDashboard.id);
  };
  return (
    <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
      <TextField label="Dashboard name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      <TextField
        label="Description (optional)"
        maxLength={2000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <div className="sm:col-span-2">
        <ErrorMessage error={create.error} />
      </div>
      <div className="flex flex-wrap gap-2 sm:col-span-2">
        <Button type="submit" disabled={create.pending || name.trim() === ""}>
          {create.pending ? "Creating…" : "Create dashboard"}
        </Button>
        <Button variant="secondary" onClick={props.onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function SavedReports(props: { ctx: OrgContext; projectId: string; canEdit: boolean; onDeleted: () => void }) {
  const { ctx, projectId } = props;
  const reports = useQuery(ProjectReports, { projectId });
  const base = `/orgs/${ctx.organizationId}/projects/${projectId}/insights`;
  const list = reports.data?.reports ?? [];
  return (
    <Card title="Saved reports">
      {reports.loading && !reports.data && <Loading />}
      <ErrorMessage error={reports.error} onRetry={reports.reload} />
      {reports.data && list.length === 0 && (
        <Empty>
          No saved reports yet. Build one in{" "}
          <Link href={`${base}/trends`} className={linkStyle}>
            Trends
          </Link>
          ,{" "}
          <Link href={`${base}/funnels`} className={linkStyle}>
            Funnels
          </Link>{" "}
          or{" "}
          <Link href={`${base}/retention`} className={linkStyle}>
            Retention
          </Link>{" "}
          and save it.
        </Empty>
      )}
      {list.length > 0 && (
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Saved report list">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-gray-600 dark:text-gray-400">
              <tr>
                <th scope="col" className="py-2 pr-4">Name</th>
                <th scope="col" className="py-2 pr-4">Kind</th>
                <th scope="col" className="py-2 pr-4">Updated</th>
                {props.canEdit && (
                  <th scope="col" className="py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-gray-200 dark:divide-gray-800">
              {list.map((report) => (
                <tr key={report.id}>
                  <td className="py-2 pr-4">
                    <Link href={reportHref(ctx.organizationId, projectId, report)} className={linkStyle}>
                      {report.name}
                    </Link>
                  </td>
                  <td className="py-2 pr-4">{kindName(report.kind)}</td>
                  <td className="py-2 pr-4">{formatTime(report.updatedAt)}</td>
                  {props.canEdit && (
                    <td className="py-2">
                      <ConfirmMutation
                        label="Delete"
                        subject={`report ${report.name}`}
                        operation={DeleteReport}
                        variables={{ id: report.id }}
                        onDone={() => {
                          reports.reload();
                          props.onDeleted();
                        }}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

/** The dashboards page of a project. */
export function Dashboards(props: { ctx: OrgContext; projectId: string }) {
  const { ctx, projectId } = props;
  const project = useQuery(ProjectDetail, { id: projectId });
  const dashboards = useQuery(ProjectDashboards, { projectId });
  const [creating, setCreating] = useState(false);
  const canEdit = canEditDashboards(ctx.role);
  const list = dashboards.data?.dashboards ?? [];
  const base = `/orgs/${ctx.organizationId}/projects/${projectId}/dashboards`;
  return (
    <div>
      <PageHeader title={project.data?.project ? `Dashboards of ${project.data.project.name}` : "Dashboards"}>
        {canEdit && !creating && <Button onClick={() => setCreating(true)}>New dashboard</Button>}
      </PageHeader>
      <ProjectTabs organizationId={ctx.organizationId} projectId={projectId} current="dashboards" />
      {creating && (
        <Card title="New dashboard" className="mb-6">
          <CreateDashboardForm
            projectId={projectId}
            onCreated={(id) => navigate(`${base}/${encodeURIComponent(id)}?edit=1`)}
            onCancel={() => setCreating(false)}
          />
        </Card>
      )}
      <Card title="Dashboards" className="mb-6">
        {dashboards.loading && !dashboards.data && <Loading />}
        <ErrorMessage error={dashboards.error} onRetry={dashboards.reload} />
        {dashboards.data && list.length === 0 && (
          <Empty>{canEdit ? "No dashboards yet: create one and put saved reports on it." : "No dashboards yet."}</Empty>
        )}
        {list.length > 0 && (
          <ul aria-label="Dashboards" className="divide-y divide-gray-200 dark:divide-gray-800">
            {list.map((dashboard) => (
              <li key={dashboard.id} className="flex flex-wrap items-baseline justify-between gap-2 py-3">
                <div className="min-w-0">
                  <Link href={`${base}/${encodeURIComponent(dashboard.id)}`} className={`${linkStyle} text-base`}>
                    {dashboard.name}
                  </Link>
                  {dashboard.description && (
                    <p className="text-sm break-words text-gray-700 dark:text-gray-300">{dashboard.description}</p>
                  )}
                </div>
                <span className="text-sm text-gray-600 dark:text-gray-400">
                  {dashboard.items.length === 1 ? "1 report" : `${dashboard.items.length} reports`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <SavedReports ctx={ctx} projectId={projectId} canEdit={canEdit} onDeleted={dashboards.reload} />
    </div>
  );
}
