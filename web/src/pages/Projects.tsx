// Projects of an organization: the list, and a form to create one (ADMIN and above).
import { FormEvent, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { CreateProject, OrganizationProjects } from "../api/operations";
import { canManage, OrgContext } from "../components/Layout";
import { browserTimeZone, timeZones } from "../components/timezones";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, SelectField, TextField, formatTime } from "../components/ui";
import { Link, navigate } from "../router";

function CreateProjectForm(props: { organizationId: string; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [timezone, setTimezone] = useState(browserTimeZone());
  const create = useMutation(CreateProject);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const data = await create.run({ input: { organizationId: props.organizationId, name: name.trim(), timezone } });
    if (data) navigate(`/orgs/${props.organizationId}/projects/${data.createProject.id}/start`);
  };
  return (
    <Card title="New project" className="mb-6">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
        <TextField label="Project name" required value={name} onChange={(e) => setName(e.target.value)} />
        <SelectField label="Time zone" value={timezone} onChange={(e) => setTimezone(e.target.value)}>
          {timeZones(timezone).map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </SelectField>
        <div className="sm:col-span-2">
          <ErrorMessage error={create.error} />
        </div>
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" disabled={create.pending}>
            {create.pending ? "Creating…" : "Create project"}
          </Button>
          <Button variant="secondary" onClick={props.onCancel}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** The projects page. */
export function Projects(props: { ctx: OrgContext; startCreating: boolean }) {
  const { organizationId, role } = props.ctx;
  const query = useQuery(OrganizationProjects, { id: organizationId });
  const [creating, setCreating] = useState(props.startCreating);
  const manager = canManage(role);
  const projects = query.data?.organization?.projects ?? [];
  return (
    <div>
      <PageHeader title="Projects">
        {manager && !creating && <Button onClick={() => setCreating(true)}>New project</Button>}
      </PageHeader>
      {manager && creating && <CreateProjectForm organizationId={organizationId} onCancel={() => setCreating(false)} />}
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      {query.data && !query.data.organization && <ErrorMessage error={new Error("This organization was not found.")} />}
      {query.data?.organization && projects.length === 0 && !creating && (
        <Empty>
          No projects yet.{" "}
          {manager ? "Create one to get an ingest token and start sending events." : "An admin can create one."}
        </Empty>
      )}
      {projects.length > 0 && (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {projects.map((project) => (
            <li key={project.id}>
              <Card>
                <h2 className="text-lg font-semibold">{project.name}</h2>
                <p className="mt-1 text-sm text-gray-700 dark:text-gray-300">
                  {project.timezone} · {project.retentionDays ? `kept ${project.retentionDays} days` : "kept forever"}
                </p>
                <p className="text-xs text-gray-600 dark:text-gray-400">Created {formatTime(project.createdAt)}</p>
                <div className="mt-4 flex flex-wrap gap-3 text-sm font-medium">
                  <Link
                    href={`/orgs/${organizationId}/projects/${project.id}/live`}
                    className="text-indigo-700 underline dark:text-indigo-300"
                    aria-label={`Live events of ${project.name}`}
                  >
                    Live events
                  </Link>
                  <Link
                    href={`/orgs/${organizationId}/projects/${project.id}/events`}
                    className="text-indigo-700 underline dark:text-indigo-300"
                    aria-label={`Explore events of ${project.name}`}
                  >
                    Explorer
                  </Link>
                  <Link
                    href={`/orgs/${organizationId}/projects/${project.id}/start`}
                    className="text-indigo-700 underline dark:text-indigo-300"
                    aria-label={`Getting started with ${project.name}`}
                  >
                    Getting started
                  </Link>
                  <Link
                    href={`/orgs/${organizationId}/projects/${project.id}/settings`}
                    className="text-indigo-700 underline dark:text-indigo-300"
                    aria-label={`Settings of ${project.name}`}
                  >
                    Settings
                  </Link>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
