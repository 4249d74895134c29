// The app shell: the header with the organization switcher, the navigation and log out; the page below it.
import { ReactNode } from "react";
import { Me, Role } from "../api/operations";
import { Link, navigate } from "../router";

/** What a page needs to know about where it is and who is looking. */
export interface OrgContext {
  me: Me;
  organizationId: string;
  role: Role;
}

/** Whether `role` may manage projects, ingest tokens and members (ADMIN and above, as the server enforces). */
export function canManage(role: Role): boolean {
  return role === "OWNER" || role === "ADMIN";
}

function NavLink(props: { href: string; current: boolean; children: ReactNode }) {
  return (
    <Link
      href={props.href}
      aria-current={props.current ? "page" : undefined}
      className={`rounded-md px-3 py-2 text-sm font-medium ${
        props.current
          ? "bg-gray-200 text-gray-900 dark:bg-gray-800 dark:text-white"
          : "text-gray-700 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800"
      }`}
    >
      {props.children}
    </Link>
  );
}

/** The shell around every signed-in page. */
export function Layout(props: {
  me: Me;
  organizationId: string | null;
  role: Role | null;
  pathname: string;
  onLogOut: () => void;
  children: ReactNode;
}) {
  const { me, organizationId, role, pathname } = props;
  const base = organizationId ? `/orgs/${organizationId}` : null;
  const switchOrganization = (value: string) => {
    if (value === "__new") navigate("/organizations/new");
    else navigate(`/orgs/${value}/projects`);
  };
  return (
    <div className="min-h-screen">
      <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
          <Link href="/" className="text-lg font-bold text-indigo-700 dark:text-indigo-300">
            InsightVault
          </Link>
          {me.memberships.length > 0 && (
            <div className="flex items-center gap-2">
              <label htmlFor="org-switcher" className="sr-only">
                Organization
              </label>
              <select
                id="org-switcher"
                value={organizationId ?? ""}
                onChange={(event) => switchOrganization(event.target.value)}
                className="max-w-48 rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm dark:border-gray-600 dark:bg-gray-900"
              >
                {organizationId === null && <option value="">Choose an organization</option>}
                {me.memberships.map((membership) => (
                  <option key={membership.organization.id} value={membership.organization.id}>
                    {membership.organization.name}
                  </option>
                ))}
                <option value="__new">New organization…</option>
              </select>
            </div>
          )}
          <div className="ml-auto flex items-center gap-3">
            <Link
              href="/account"
              aria-current={pathname === "/account" ? "page" : undefined}
              aria-label={`Your account (${me.email})`}
              className="text-sm text-gray-700 underline-offset-2 hover:underline dark:text-gray-300"
            >
              <span className="hidden sm:inline">{me.email}</span>
              <span className="sm:hidden">Account</span>
            </Link>
            <button
              type="button"
              onClick={props.onLogOut}
              className="rounded-md border border-gray-300 px-3 py-1.5 text-sm font-medium hover:bg-gray-100 dark:border-gray-600 dark:hover:bg-gray-800"
            >
              Log out
            </button>
          </div>
        </div>
        {base && (
          <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap gap-1 px-4 pb-2">
            <NavLink href={`${base}/projects`} current={pathname.startsWith(`${base}/projects`)}>
              Projects
            </NavLink>
            {role !== "VIEWER" && (
              <NavLink href={`${base}/tokens`} current={pathname === `${base}/tokens`}>
                API tokens
              </NavLink>
            )}
            <NavLink href={`${base}/members`} current={pathname === `${base}/members`}>
              Members
            </NavLink>
          </nav>
        )}
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{props.children}</main>
    </div>
  );
}
