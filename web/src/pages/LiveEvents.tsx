// Live events: the newest events of a project, new ones appearing without reload (liveEvents polled every second
// from its cursor), with pause, a filter by event name and properties on demand.
import { useEffect, useRef, useState } from "react";
import { ApiError, request } from "../api/client";
import { useQuery } from "../api/hooks";
import { EventNames, EventNode, LiveEvents as LiveEventsOperation } from "../api/operations";
import { EventRow } from "../components/EventRow";
import { OrgContext } from "../components/Layout";
import { ProjectTabs } from "../components/ProjectTabs";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, SelectField } from "../components/ui";

/** How often the page asks for newer events. */
const pollMs = 1000;
/** Most events the page keeps (the oldest drop off). */
const keep = 500;

/** The live events page. */
export function LiveEvents(props: { ctx: OrgContext; projectId: string }) {
  const { projectId } = props;
  const [events, setEvents] = useState<EventNode[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [paused, setPaused] = useState(false);
  const [eventName, setEventName] = useState("");
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const cursor = useRef<string | null>(null);
  const names = useQuery(EventNames, { projectId });

  useEffect(() => {
    if (paused) return;
    let stopped = false;
    let timer = 0;
    const poll = async () => {
      try {
        const data = await request(LiveEventsOperation, { projectId, after: cursor.current, limit: 100 });
        if (stopped) return;
        cursor.current = data.liveEvents.cursor ?? cursor.current;
        const fresh = data.liveEvents.events;
        // The answer is oldest first; the page shows newest first.
        if (fresh.length > 0) setEvents((current) => [...fresh.slice().reverse(), ...current].slice(0, keep));
        setError(null);
        setLoaded(true);
      } catch (caught) {
        if (stopped) return;
        setError(caught instanceof ApiError ? caught : new ApiError(String(caught), null));
      }
      if (!stopped) timer = window.setTimeout(poll, pollMs);
    };
    poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [projectId, paused]);

  // The picker offers the project's known names and every name seen since the page opened.
  const nameOptions = Array.from(new Set([...(names.data?.eventNames ?? []), ...events.map((event) => event.event)]));
  const shown = eventName ? events.filter((event) => event.event === eventName) : events;
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div>
      <PageHeader title="Live events">
        <Button variant="secondary" onClick={() => setPaused((p) => !p)} aria-pressed={paused}>
          {paused ? "Resume" : "Pause"}
        </Button>
      </PageHeader>
      <ProjectTabs organizationId={props.ctx.organizationId} projectId={projectId} current="live" />
      <div className="mb-4 flex flex-wrap items-end gap-4">
        <SelectField label="Event name" value={eventName} onChange={(e) => setEventName(e.target.value)} className="w-64">
          <option value="">All events</option>
          {nameOptions.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </SelectField>
        <p className="pb-2 text-sm text-gray-700 dark:text-gray-300">
          {paused ? "Paused: new events wait until you resume." : "Live: new events appear within about two seconds."}
        </p>
      </div>
      <ErrorMessage error={error} />
      <Card>
        {!loaded && !error && <Loading />}
        {loaded && shown.length === 0 && (
          <Empty>{eventName ? `No ${eventName} events yet.` : "No events yet: they appear here as they arrive."}</Empty>
        )}
        {shown.length > 0 && (
          <ul aria-label="Events, newest first" className="divide-y divide-gray-200 dark:divide-gray-800">
            {shown.map((event) => (
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
      </Card>
    </div>
  );
}
