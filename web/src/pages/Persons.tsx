// Persons of a project: search by distinct id or property value (kept in the URL), and a person's page with their
// properties, distinct ids and events, newest first.
import { FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, request } from "../api/client";
import { useQuery } from "../api/hooks";
import { EventNode, ExploreEvents, Person, PersonDetail, Persons as PersonsOperation } from "../api/operations";
import { EventRow } from "../components/EventRow";
import { OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, TextField, formatTime } from "../components/ui";
import { Link, navigate } from "../router";

/** A person's name for people: a name or email property, else the first distinct id. */
function displayName(person: Person): string {
  for (const key of ["name", "$name", "email", "$email"]) {
    const value = person.properties[key];
    if (typeof value === "string" && value.trim()) return value;
  }
  return person.distinctIds[0] ?? person.id;
}

/** The persons list page. */
export function Persons(props: { ctx: OrgContext; projectId: string; search: URLSearchParams }) {
  const { ctx, projectId } = props;
  const current = props.search.get("search") ?? "";
  const [text, setText] = useState(current);
  const query = useQuery(PersonsOperation, { projectId, search: current || null });
  const base = `/orgs/${ctx.organizationId}/projects/${projectId}/persons`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    navigate(value ? `${base}?search=${encodeURIComponent(value)}` : base, true);
  };
  const persons = query.data?.persons ?? [];
  return (
    <div>
      <PageHeader title="Persons" />
      <ProjectTabs organizationId={ctx.organizationId} projectId={projectId} current="persons" />
      <form onSubmit={submit} role="search" className="mb-6 flex flex-wrap items-end gap-2">
        <TextField
          label="Search by distinct id or property value"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className="min-w-0 flex-1"
        />
        <Button type="submit">Search</Button>
      </form>
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      <Card>
        {query.data && persons.length === 0 && (
          <Empty>{current ? `Nobody matches “${current}”.` : "No persons yet: they appear with the project's events."}</Empty>
        )}
        {persons.length > 0 && (
          <>
            <p className="mb-2 text-xs text-gray-600 dark:text-gray-400">
              {current ? "Matching persons, most recently seen first." : "Most recently seen first."}
            </p>
            <ul className="divide-y divide-gray-200 dark:divide-gray-800">
              {persons.map((person) => (
                <li key={person.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2 text-sm">
                  <Link
                    href={`${base}/${encodeURIComponent(person.distinctIds[0] ?? person.id)}`}
                    className="min-w-0 flex-1 font-medium text-indigo-700 underline wrap-anywhere dark:text-indigo-300"
                  >
                    {displayName(person)}
                  </Link>
                  <span className="font-mono text-xs wrap-anywhere text-gray-700 dark:text-gray-300">
                    {person.distinctIds.slice(0, 3).join(", ")}
                    {person.distinctIds.length > 3 ? ` +${person.distinctIds.length - 3}` : ""}
                  </span>
                  <span className="text-gray-600 dark:text-gray-400">last seen {formatTime(person.lastSeen)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
    </div>
  );
}

function PersonEvents(props: { projectId: string; distinctIds: string[] }) {
  const [events, setEvents] = useState<EventNode[]>([]);
  const [page, setPage] = useState<{ hasNext: boolean; cursor: string | null }>({ hasNext: false, cursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const generation = useRef(0);
  const key = JSON.stringify(props.distinctIds);
  const load = async (after: string | null) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const data = await request(ExploreEvents, {
        projectId: props.projectId,
        filter: { distinctIds: JSON.parse(key) as string[] },
        first: 50,
        after,
      });
      if (mine !== generation.current) return;
      const nodes = data.events.edges.map((edge) => edge.node);
      setEvents((current) => (after ? [...current, ...nodes] : nodes));
      setPage({ hasNext: data.events.pageInfo.hasNextPage, cursor: data.events.pageInfo.endCursor });
      setError(null);
    } catch (caught) {
      if (mine === generation.current) setError(caught instanceof ApiError ? caught : new ApiError(String(caught), null));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };
  useEffect(() => {
    load(null);
  }, [props.projectId, key]);
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Card title="Events, newest first">
      {events.length === 0 && loading && <Loading />}
      <ErrorMessage error={error} onRetry={() => load(events.length ? page.cursor : null)} />
      {events.length === 0 && !loading && !error && <Empty>No events.</Empty>}
      {events.length > 0 && (
        <ul aria-label="Events of this person" className="divide-y divide-gray-200 dark:divide-gray-800">
          {events.map((event) => (
            <EventRow key={event.id} event={event} expanded={expanded.has(event.id)} onToggle={() => toggle(event.id)} />
          ))}
        </ul>
      )}
      {page.hasNext && (
        <Button variant="secondary" className="mt-4" disabled={loading} onClick={() => load(page.cursor)}>
          {loading ? "Loading…" : "Load more"}
        </Button>
      )}
    </Card>
  );
}

/** A person's page, reached by any of their distinct ids. */
export function PersonPage(props: { ctx: OrgContext; projectId: string; distinctId: string }) {
  const { ctx, projectId } = props;
  const query = useQuery(PersonDetail, { projectId, distinctId: props.distinctId });
  const person = query.data?.person;
  const properties = person ? Object.entries(person.properties) : [];
  return (
    <div>
      <PageHeader title={person ? displayName(person) : "Person"} />
      <ProjectTabs organizationId={ctx.organizationId} projectId={projectId} current="persons" />
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      {query.data && !person && (
        <ErrorMessage error={new Error(`No events or merges name the distinct id “${props.distinctId}” in this project.`)} />
      )}
      {person && (
        <div className="grid gap-6 lg:grid-cols-[20rem_1fr]">
          <div className="space-y-6">
            <Card title="Properties">
              {properties.length === 0 ? (
                <Empty>No properties set.</Empty>
              ) : (
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
                  {properties.map(([key, value]) => (
                    <div key={key} className="contents">
                      <dt className="font-medium wrap-anywhere">{key}</dt>
                      <dd className="font-mono text-xs wrap-anywhere text-gray-700 dark:text-gray-300">
                        {typeof value === "string" ? value : JSON.stringify(value)}
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </Card>
            <Card title="Distinct ids">
              <ul className="space-y-1 font-mono text-xs wrap-anywhere">
                {person.distinctIds.map((id) => (
                  <li key={id}>{id}</li>
                ))}
              </ul>
              <p className="mt-3 text-xs text-gray-600 dark:text-gray-400">Last seen {formatTime(person.lastSeen)}</p>
            </Card>
          </div>
          <PersonEvents projectId={projectId} distinctIds={person.distinctIds} />
        </div>
      )}
    </div>
  );
}
