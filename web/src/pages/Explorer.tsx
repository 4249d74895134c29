// The event explorer: filters (event name, distinct id, property filters) kept in the URL, newest events first with
// infinite scroll over the keyset cursor, and a CSV export of what is loaded.
import { FormEvent, useEffect, useRef, useState } from "react";
import { ApiError, request } from "../api/client";
import { useQuery } from "../api/hooks";
import { EventFilter, EventNames, EventNode, ExploreEvents, PropertyKeys, PropertyOperator } from "../api/operations";
import { download, eventsToCSV } from "../components/csv";
import { EventRow } from "../components/EventRow";
import { OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, SelectField, TextField } from "../components/ui";
import { FilterDraft, operators, readDrafts, toFilter } from "../insights/filters";
import { navigate } from "../router";

const pageSize = 50;

/** The view state in the URL: `event`, `distinctId` and `filters` (JSON of the drafts). */
function readView(search: URLSearchParams): { event: string; distinctId: string; filters: FilterDraft[] } {
  let filters: FilterDraft[] = [];
  try {
    filters = readDrafts(JSON.parse(search.get("filters") ?? "[]"));
  } catch {
    filters = [];
  }
  return { event: search.get("event") ?? "", distinctId: search.get("distinctId") ?? "", filters };
}

function FilterForm(props: {
  eventNames: string[];
  propertyKeys: string[];
  view: ReturnType<typeof readView>;
  onApply: (view: ReturnType<typeof readView>) => void;
}) {
  const [event, setEvent] = useState(props.view.event);
  const [distinctId, setDistinctId] = useState(props.view.distinctId);
  const [filters, setFilters] = useState<FilterDraft[]>(props.view.filters);
  const update = (index: number, change: Partial<FilterDraft>) =>
    setFilters((current) => current.map((f, i) => (i === index ? { ...f, ...change } : f)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onApply({ event, distinctId: distinctId.trim(), filters: filters.filter((f) => f.key.trim() !== "") });
  };
  return (
    <form onSubmit={submit} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Event name" value={event} onChange={(e) => setEvent(e.target.value)}>
          <option value="">All events</option>
          {props.eventNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
          {event && !props.eventNames.includes(event) && <option value={event}>{event}</option>}
        </SelectField>
        <TextField label="Distinct id" value={distinctId} onChange={(e) => setDistinctId(e.target.value)} />
      </div>
      <datalist id="property-keys">
        {props.propertyKeys.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      {filters.map((filter, index) => (
        <fieldset key={index} className="grid gap-2 sm:grid-cols-[1fr_12rem_1fr_auto] sm:items-end">
          <legend className="sr-only">Property filter {index + 1}</legend>
          <TextField
            label={`Property ${index + 1}`}
            list="property-keys"
            value={filter.key}
            onChange={(e) => update(index, { key: e.target.value })}
          />
          <SelectField
            label={`Operator ${index + 1}`}
            value={filter.operator}
            onChange={(e) => update(index, { operator: e.target.value as PropertyOperator })}
          >
            {operators.map((op) => (
              <option key={op.value} value={op.value}>
                {op.label}
              </option>
            ))}
          </SelectField>
          <TextField
            label={`Value ${index + 1}`}
            value={filter.value}
            disabled={filter.operator === "IS_SET" || filter.operator === "IS_NOT_SET"}
            onChange={(e) => update(index, { value: e.target.value })}
          />
          <Button variant="secondary" onClick={() => setFilters((current) => current.filter((_, i) => i !== index))}>
            Remove filter {index + 1}
          </Button>
        </fieldset>
      ))}
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => setFilters((current) => [...current, { key: "", operator: "EQ", value: "" }])}>
          Add property filter
        </Button>
        <Button type="submit">Apply filters</Button>
      </div>
    </form>
  );
}

/** The explorer page. */
export function Explorer(props: { ctx: OrgContext; projectId: string; search: URLSearchParams }) {
  const { projectId } = props;
  const searchText = props.search.toString();
  const view = readView(new URLSearchParams(searchText));
  const [events, setEvents] = useState<EventNode[]>([]);
  const [page, setPage] = useState<{ hasNext: boolean; cursor: string | null }>({ hasNext: false, cursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);
  const names = useQuery(EventNames, { projectId });
  const keys = useQuery(PropertyKeys, { projectId });
  const sentinel = useRef<HTMLDivElement | null>(null);

  const filter: EventFilter = {
    ...(view.event ? { event: view.event } : {}),
    ...(view.distinctId ? { distinctId: view.distinctId } : {}),
    ...(view.filters.length ? { properties: view.filters.map(toFilter) } : {}),
  };
  const filterKey = JSON.stringify(filter);

  const load = async (after: string | null, replace: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const data = await request(ExploreEvents, { projectId, filter: JSON.parse(filterKey), first: pageSize, after });
      if (mine !== generation.current) return;
      const nodes = data.events.edges.map((edge) => edge.node);
      setEvents((current) => (replace ? nodes : [...current, ...nodes]));
      setPage({ hasNext: data.events.pageInfo.hasNextPage, cursor: data.events.pageInfo.endCursor });
      setError(null);
    } catch (caught) {
      if (mine !== generation.current) return;
      setError(caught instanceof ApiError ? caught : new ApiError(String(caught), null));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    setEvents([]);
    load(null, true);
  }, [projectId, filterKey]);

  // Infinite scroll: the next page loads when the end of the list comes into view.
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !page.hasNext || loading || error) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load(page.cursor, false);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [page, loading, error]);

  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const apply = (next: ReturnType<typeof readView>) => {
    const params = new URLSearchParams();
    if (next.event) params.set("event", next.event);
    if (next.distinctId) params.set("distinctId", next.distinctId);
    if (next.filters.length) params.set("filters", JSON.stringify(next.filters));
    const query = params.toString();
    navigate(`${window.location.pathname}${query ? `?${query}` : ""}`, true);
  };

  return (
    <div>
      <PageHeader title="Event explorer">
        <Button
          variant="secondary"
          disabled={events.length === 0}
          onClick={() => download(`events-${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}.csv`, eventsToCSV(events))}
        >
          Export {events.length} loaded events as CSV
        </Button>
      </PageHeader>
      <ProjectTabs organizationId={props.ctx.organizationId} projectId={projectId} current="events" />
      <Card className="mb-6">
        <FilterForm
          key={searchText}
          eventNames={names.data?.eventNames ?? []}
          propertyKeys={keys.data?.propertyKeys ?? []}
          view={view}
          onApply={apply}
        />
      </Card>
      <ErrorMessage error={error} onRetry={() => load(events.length ? page.cursor : null, events.length === 0)} />
      <Card>
        {events.length === 0 && loading && <Loading />}
        {events.length === 0 && !loading && !error && <Empty>No events match these filters.</Empty>}
        {events.length > 0 && (
          <ul aria-label="Events, newest first" className="divide-y divide-gray-200 dark:divide-gray-800">
            {events.map((event) => (
              <EventRow
                key={event.id}
                event={event}
                expanded={expanded.has(event.id)}
                onToggle={() => toggle(event.id)}
                personBase={`/orgs/${props.ctx.organizationId}/projects/${projectId}/persons`}
              />
            ))}
          </ul>
        )}
        <div ref={sentinel} />
        {events.length > 0 && page.hasNext && (
          <div className="mt-4">
            <Button variant="secondary" disabled={loading} onClick={() => load(page.cursor, false)}>
              {loading ? "Loading…" : "Load more"}
            </Button>
          </div>
        )}
        {events.length > 0 && !page.hasNext && (
          <p className="mt-4 text-sm text-gray-600 dark:text-gray-400">All {events.length} matching events are loaded.</p>
        )}
      </Card>
    </div>
  );
}
