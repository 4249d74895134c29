// A project's settings: name, time zone, retention; deleting it after typing its name.
import { FormEvent, useEffect, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { DeleteProject, Project, ProjectDetail, UpdateProject } from "../api/operations";
import { canManage, OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { timeZones } from "../components/timezones";
import { Button, Card, ErrorMessage, Loading, PageHeader, SelectField, TextField } from "../components/ui";
import { navigate } from "../router";

function SettingsForm(props: { project: Project; editable: boolean; onSaved: () => void }) {
  const { project, editable } = props;
  const [name, setName] = useState(project.name);
  const [timezone, setTimezone] = useState(project.timezone);
  const [retention, setRetention] = useState(project.retentionDays ? String(project.retentionDays) : "");
  const [saved, setSaved] = useState(false);
  const update = useMutation(UpdateProject);
  useEffect(() => setSaved(false), [name, timezone, retention]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const retentionDays = retention.trim() === "" ? null : Number(retention);
    const data = await update.run({ input: { id: project.id, name: name.trim(), timezone, retentionDays } });
    if (data) {
      setSaved(true);
      props.onSaved();
    }
  };
  return (
    <Card title="Settings" className="mb-6">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
        <TextField label="Project name" required disabled={!editable} value={name} onChange={(e) => setName(e.target.value)} />
        <SelectField label="Time zone" disabled={!editable} value={timezone} onChange={(e) => setTimezone(e.target.value)}>
          {timeZones(timezone).map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Retention (days)"
          type="number"
          min={1}
          inputMode="numeric"
          disabled={!editable}
          value={retention}
          onChange={(e) => setRetention(e.target.value)}
          hint="Events older than this are deleted every day. Leave empty to keep events forever."
        />
        <div className="sm:col-span-2">
          <ErrorMessage error={update.error} />
          {saved && (
            <p role="status" className="text-sm text-green-800 dark:text-green-300">
              Saved.
            </p>
          )}
        </div>
        {editable && (
          <div className="sm:col-span-2">
            <Button type="submit" disabled={update.pending}>
              {update.pending ? "Saving…" : "Save settings"}
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}

function DeleteProjectCard(props: { project: Project; organizationId: string }) {
  const [confirmation, setConfirmation] = useState("");
  const remove = useMutation(DeleteProject);
  const matches = confirmation === props.project.name;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    if (await remove.run({ id: props.project.id })) navigate(`/orgs/${props.organizationId}/projects`, true);
  };
  return (
    <Card title="Delete project">
      <form onSubmit={submit} className="space-y-4">
        <p className="text-sm text-gray-700 dark:text-gray-300">
          Deleting a project deletes all its events, tokens, reports and dashboards. It cannot be undone.
        </p>
        <TextField
          label={`Type the project name (${props.project.name}) to confirm`}
          autoComplete="off"
          value={confirmation}
          onChange={(e) => setConfirmation(e.target.value)}
        />
        <ErrorMessage error={remove.error} />
        <Button type="submit" variant="danger" disabled={!matches || remove.pending}>
          {remove.pending ? "Deleting…" : "Delete this project"}
        </Button>
      </form>
    </Card>
  );
}

/** The project settings page. */
export function ProjectSettings(props: { ctx: OrgContext; projectId: string }) {
  const query = useQuery(ProjectDetail, { id: props.projectId });
  const project = query.data?.project;
  const editable = canManage(props.ctx.role);
  return (
    <div>
      <PageHeader title={project ? `${project.name}: settings` : "Project settings"} />
      <ProjectTabs organizationId={props.ctx.organizationId} projectId={props.projectId} current="settings" />
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      {query.data && !project && <ErrorMessage error={new Error("This project was not found.")} />}
      {project && (
        <>
          <SettingsForm key={project.id} project={project} editable={editable} onSaved={query.reload} />
          {editable ? (
            <DeleteProjectCard project={project} organizationId={props.ctx.organizationId} />
          ) : (
            <p className="text-sm text-gray-700 dark:text-gray-300">Only admins and owners can change a project.</p>
          )}
        </>
      )}
    </div>
  );
}
