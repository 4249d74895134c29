// One event in a list: time, name, distinct id, and its properties on demand.
import { EventNode } from "../api/operations";
import { Link } from "../router";
import { formatTime } from "./ui";

/** A list item for `event`; `expanded` shows the properties as JSON. */
/** With `personBase` (a project's persons path) the distinct id links to the person's page. */
export function EventRow(props: { event: EventNode; expanded: boolean; onToggle: () => void; personBase?: string }) {
  const { event, expanded } = props;
  const detailsId = `event-${event.id}-properties`;
  return (
    <li className="py-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <time
          dateTime={event.timestamp}
          className="basis-full text-gray-600 tabular-nums sm:w-44 sm:shrink-0 sm:basis-auto dark:text-gray-400"
        >
          {formatTime(event.timestamp)}
        </time>
        <span className="min-w-0 flex-1 font-medium wrap-anywhere">{event.event}</span>
        {props.personBase ? (
          <Link
            href={`${props.personBase}/${encodeURIComponent(event.distinctId)}`}
            className="min-w-0 font-mono text-xs wrap-anywhere text-indigo-700 underline dark:text-indigo-300"
            aria-label={`Person ${event.distinctId}`}
          >
            {event.distinctId}
          </Link>
        ) : (
          <span className="min-w-0 font-mono text-xs wrap-anywhere text-gray-700 dark:text-gray-300">{event.distinctId}</span>
        )}
        <button
          type="button"
          onClick={props.onToggle}
          aria-expanded={expanded}
          aria-controls={detailsId}
          aria-label={`${expanded ? "Hide" : "Show"} properties of ${event.event} at ${formatTime(event.timestamp)}`}
          className="rounded-md border border-gray-300 px-2 py-1 text-xs font-medium hover:bg-gray-100 dark:border-gray-600 dark:hover:bg-gray-800"
        >
          {expanded ? "Hide" : "Properties"}
        </button>
      </div>
      {expanded && (
        <pre
          id={detailsId}
          tabIndex={0}
          className="mt-2 overflow-x-auto rounded-md bg-gray-100 p-3 text-xs text-gray-900 dark:bg-gray-950 dark:text-gray-100"
        >
          {JSON.stringify(event.properties, null, 2)}
        </pre>
      )}
    </li>
  );
}
