// Getting started with a project: ready-to-paste snippets with this server's address and the project's ingest
// token, and the first-run check that ends when the project's first event arrives.
import { useEffect, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { CreateApiToken, FirstEvent, ProjectDetail } from "../api/operations";
import { CodeBlock } from "../components/CodeBlock";
import { canManage, OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { Button, Card, ErrorMessage, Loading, PageHeader, formatTime } from "../components/ui";
import { Link } from "../router";
import { ingestSecret, rememberIngestSecret } from "../session";

const placeholder = "<YOUR_INGEST_TOKEN>";

/** The snippets for `host` (this server, as the browser reaches it) and `token`. */
export function snippets(host: string, token: string): { title: string; code: string }[] {
  const hostOnly = host.replace(/^https?:\/\//, "");
  const protocol = host.startsWith("https:") ? "https" : "http";
  return [
    {
      title: "curl (native API)",
      code: `curl -X POST '${host}/v1/events' \\
  -H 'Authorization: Bearer ${token}' \\
  -H 'Content-Type: application/json' \\
  -d '{"event": "signed_up", "user_id": "user-1", "properties": {"plan": "pro"}}'`,
    },
    {
      title: "PostHog JavaScript",
      code: `posthog.init('${token}', { api_host: '${host}' })
posthog.capture('signed_up', { plan: 'pro' })`,
    },
    {
      title: "PostHog Python",
      code: `from posthog import Posthog

posthog = Posthog('${token}', host='${host}')
posthog.capture('signed_up', distinct_id='user-1', properties={'plan': 'pro'})`,
    },
    {
      title: "Segment analytics.js",
      code: `analytics.load('${token}', {
  integrations: { 'Segment.io': { apiHost: '${hostOnly}/v1', protocol: '${protocol}' } }
})
analytics.track('Signed Up', { plan: 'pro' })`,
    },
    {
      title: "Segment Python",
      code: `from segment import analytics

analytics.write_key = '${token}'
analytics.host = '${host}'
analytics.track('user-1', 'Signed Up', {'plan': 'pro'})`,
    },
    {
      title: "Mixpanel JavaScript",
      code: `mixpanel.init('${token}', { api_host: '${host}' })
mixpanel.track('Signed Up', { plan: 'pro' })`,
    },
    {
      title: "Mixpanel Python",
      code: `import mixpanel

consumer = mixpanel.Consumer(events_url='${host}/track', people_url='${host}/engage', import_url='${host}/import')
mp = mixpanel.Mixpanel('${token}', consumer=consumer)
mp.track('user-1', 'Signed Up', {'plan': 'pro'})`,
    },
  ];
}

function FirstEventStatus(props: { projectId: string }) {
  const [done, setDone] = useState(false);
  const query = useQuery(FirstEvent, { projectId: props.projectId }, { pollMs: done ? undefined : 2000 });
  const first = query.data?.events.edges[0]?.node;
  const arrived = first !== undefined;
  useEffect(() => {
    if (arrived) setDone(true);
  }, [arrived]);
  if (first) {
    return (
      <div
        role="status"
        className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900 dark:border-green-800 dark:bg-green-950 dark:text-green-200"
      >
        Events are arriving. The newest: <strong>{first.event}</strong> at {formatTime(first.timestamp)}.
      </div>
    );
  }
  if (query.error) return <ErrorMessage error={query.error} onRetry={query.reload} />;
  return (
    <div
      role="status"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      Waiting for the first event: send one with a snippet below. This page notices it by itself.
    </div>
  );
}

/** The getting-started page of one project. */
export function GettingStarted(props: { ctx: OrgContext; projectId: string }) {
  const { ctx, projectId } = props;
  const query = useQuery(ProjectDetail, { id: projectId });
  const create = useMutation(CreateApiToken);
  const [secret, setSecret] = useState<string | null>(ingestSecret(projectId));
  const project = query.data?.project;
  const createToken = async () => {
    const data = await create.run({ input: { projectId, name: "Getting started", kind: "INGEST" } });
    if (data) {
      rememberIngestSecret(projectId, data.createApiToken.token);
      setSecret(data.createApiToken.token);
    }
  };
  return (
    <div>
      <PageHeader title={project ? `Getting started with ${project.name}` : "Getting started"} />
      <ProjectTabs organizationId={ctx.organizationId} projectId={projectId} current="start" />
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      {query.data && !project && <ErrorMessage error={new Error("This project was not found.")} />}
      {project && (
        <div className="space-y-6">
          <FirstEventStatus projectId={projectId} />
          <Card title="1. An ingest token">
            {secret ? (
              <p className="text-sm text-gray-700 dark:text-gray-300">
                The snippets below use the ingest token you created in this tab. It can only send events to this
                project.
              </p>
            ) : canManage(ctx.role) ? (
              <div className="space-y-3">
                <p className="text-sm text-gray-700 dark:text-gray-300">
                  SDKs send events with an ingest token: it can only write events to this project. Create one to fill
                  it into the snippets, or manage tokens on the{" "}
                  <Link href={`/orgs/${ctx.organizationId}/tokens`} className="text-indigo-700 underline dark:text-indigo-300">
                    API tokens
                  </Link>{" "}
                  page.
                </p>
                <ErrorMessage error={create.error} />
                <Button onClick={createToken} disabled={create.pending}>
                  {create.pending ? "Creating…" : "Create an ingest token"}
                </Button>
              </div>
            ) : (
              <p className="text-sm text-gray-700 dark:text-gray-300">
                Ask an admin of this organization for an ingest token of this project and put it in place of{" "}
                <code>{placeholder}</code>.
              </p>
            )}
          </Card>
          <Card title="2. Send events">
            {secret && <CodeBlock title="Ingest token" code={secret} />}
            {snippets(window.location.origin, secret ?? placeholder).map((snippet) => (
              <CodeBlock key={snippet.title} title={snippet.title} code={snippet.code} />
            ))}
          </Card>
        </div>
      )}
    </div>
  );
}
