// The tabs of a project's pages: live events, explorer, the insight builders, persons, dashboards, getting started, settings.
import { Link } from "../router";

const tabs: { suffix: string; label: string }[] = [
  { suffix: "live", label: "Live events" },
  { suffix: "events", label: "Explorer" },
  { suffix: "insights/trends", label: "Trends" },
  { suffix: "insights/funnels", label: "Funnels" },
  { suffix: "insights/retention", label: "Retention" },
  { suffix: "persons", label: "Persons" },
  { suffix: "dashboards", label: "Dashboards" },
  { suffix: "start", label: "Getting started" },
  { suffix: "settings", label: "Settings" },
];

/** The tab bar under a project page's title. */
export function ProjectTabs(props: { organizationId: string; projectId: string; current: string }) {
  const base = `/orgs/${props.organizationId}/projects/${props.projectId}`;
  return (
    <nav aria-label="Project" className="mb-6 flex flex-wrap gap-1 border-b border-gray-200 dark:border-gray-800">
      {tabs.map((tab) => (
        <Link
          key={tab.suffix}
          href={`${base}/${tab.suffix}`}
          aria-current={props.current === tab.suffix ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
            props.current === tab.suffix
              ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
              : "border-transparent text-gray-700 hover:text-gray-900 dark:text-gray-300 dark:hover:text-white"
          }`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
