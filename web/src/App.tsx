// The app: signed-out pages without a session; with one, the current user and the page the URL names.
import { useEffect, useState, useSyncExternalStore } from "react";
import { useQuery } from "./api/hooks";
import { request } from "./api/client";
import { CurrentUser, LogOut } from "./api/operations";
import { Layout, OrgContext } from "./components/Layout";
import { nextPath } from "./components/next";
import { Button, ErrorMessage, Loading } from "./components/ui";
import { Account } from "./pages/Account";
import { DashboardPage } from "./pages/Dashboard";
import { Dashboards } from "./pages/Dashboards";
import { Explorer } from "./pages/Explorer";
import { FunnelBuilder } from "./pages/FunnelBuilder";
import { GettingStarted } from "./pages/GettingStarted";
import { AcceptInvitation, InvitationSignedOut } from "./pages/Invitation";
import { LiveEvents } from "./pages/LiveEvents";
import { LogIn } from "./pages/LogIn";
import { Members } from "./pages/Members";
import { NewOrganization } from "./pages/NewOrganization";
import { NotFound } from "./pages/NotFound";
import { PersonPage, Persons } from "./pages/Persons";
import { ForgotPassword, ResetPassword, VerifyEmail } from "./pages/PasswordReset";
import { ProjectSettings } from "./pages/ProjectSettings";
import { Projects } from "./pages/Projects";
import { RetentionBuilder } from "./pages/RetentionBuilder";
import { SharedDashboard } from "./pages/SharedDashboard";
import { SignUp } from "./pages/SignUp";
import { Tokens } from "./pages/Tokens";
import { TrendsBuilder } from "./pages/TrendsBuilder";
import { matchPath, navigate, useLocation } from "./router";
import { sessionToken, setSessionToken, subscribeSession } from "./session";

function Redirect(props: { to: string }) {
  useEffect(() => navigate(props.to, true), [props.to]);
  return null;
}

function SignedOut(props: { pathname: string; search: URLSearchParams }) {
  const invitation = matchPath("/invite/:token", props.pathname);
  if (invitation) return <InvitationSignedOut token={invitation.token} />;
  if (props.pathname === "/signup") return <SignUp search={props.search} />;
  if (props.pathname === "/forgot-password") return <ForgotPassword />;
  if (props.pathname !== "/login") return <Redirect to="/login" />;
  return <LogIn search={props.search} />;
}

function SignedIn(props: { pathname: string; search: URLSearchParams }) {
  const { pathname } = props;
  const me = useQuery(CurrentUser, {});
  const [title, setTitle] = useState("InsightVault");
  const logOut = async () => {
    // End the session on the server too; the token is dropped here whatever the answer.
    await request(LogOut, {}).catch(() => null);
    setSessionToken(null);
    navigate("/login", true);
  };
  const segments = pathname.split("/");
  const organizationId = segments[1] === "orgs" && segments[2] ? decodeURIComponent(segments[2]) : null;
  const membership = me.data?.me.memberships.find((m) => m.organization.id === organizationId) ?? null;

  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => setTitle(membership ? `${membership.organization.name} · InsightVault` : "InsightVault"), [membership]);

  if (!me.data) {
    return (
      <main className="mx-auto max-w-md px-4 py-12">
        {me.loading && <Loading />}
        {me.error && (
          <div className="space-y-4">
            <ErrorMessage error={me.error} onRetry={me.reload} />
            <Button variant="secondary" onClick={logOut}>
              Log out
            </Button>
          </div>
        )}
      </main>
    );
  }

  const user = me.data.me;
  if (pathname === "/" || pathname === "/login" || pathname === "/signup" || pathname === "/forgot-password") {
    const first = user.memberships[0];
    return <Redirect to={nextPath(props.search, first ? `/orgs/${first.organization.id}/projects` : "/organizations/new")} />;
  }

  let page: JSX.Element;
  const invitation = matchPath("/invite/:token", pathname);
  if (invitation) {
    page = (
      <AcceptInvitation
        token={invitation.token}
        onAccepted={(id) => {
          me.reload();
          navigate(`/orgs/${id}/projects`, true);
        }}
      />
    );
  } else if (pathname === "/account") {
    page = <Account me={user} />;
  } else if (pathname === "/organizations/new") {
    page = (
      <NewOrganization
        onCreated={(id) => {
          me.reload();
          navigate(`/orgs/${id}/projects?new=1`);
        }}
      />
    );
  } else if (organizationId && !membership) {
    page = <ErrorMessage error={new Error("This organization does not exist or you are not a member of it.")} />;
  } else if (organizationId && membership) {
    const ctx: OrgContext = { me: user, organizationId, role: membership.role };
    const base = `/orgs/${organizationId}`;
    const projectPage = (suffix: string) => matchPath(`${base}/projects/:project/${suffix}`, pathname)?.project;
    let projectId: string | undefined;
    if (pathname === `${base}/projects`) page = <Projects ctx={ctx} startCreating={props.search.get("new") === "1"} />;
    else if ((projectId = projectPage("settings"))) page = <ProjectSettings key={projectId} ctx={ctx} projectId={projectId} />;
    else if ((projectId = projectPage("start"))) page = <GettingStarted key={projectId} ctx={ctx} projectId={projectId} />;
    else if ((projectId = projectPage("live"))) page = <LiveEvents key={projectId} ctx={ctx} projectId={projectId} />;
    else if ((projectId = projectPage("persons")))
      page = <Persons key={projectId} ctx={ctx} projectId={projectId} search={props.search} />;
    else if (matchPath(`${base}/projects/:project/persons/:distinctId`, pathname)) {
      const match = matchPath(`${base}/projects/:project/persons/:distinctId`, pathname) ?? {};
      page = <PersonPage key={pathname} ctx={ctx} projectId={match.project} distinctId={match.distinctId} />;
    } else if ((projectId = projectPage("events")))
      page = <Explorer key={projectId} ctx={ctx} projectId={projectId} search={props.search} />;
    else if ((projectId = projectPage("insights/trends")))
      page = <TrendsBuilder key={projectId} ctx={ctx} projectId={projectId} search={props.search} />;
    else if ((projectId = projectPage("insights/funnels")))
      page = <FunnelBuilder key={projectId} ctx={ctx} projectId={projectId} search={props.search} />;
    else if ((projectId = projectPage("insights/retention")))
      page = <RetentionBuilder key={projectId} ctx={ctx} projectId={projectId} search={props.search} />;
    else if ((projectId = projectPage("dashboards"))) page = <Dashboards key={projectId} ctx={ctx} projectId={projectId} />;
    else if (matchPath(`${base}/projects/:project/dashboards/:dashboard`, pathname)) {
      const match = matchPath(`${base}/projects/:project/dashboards/:dashboard`, pathname) ?? {};
      page = <DashboardPage key={pathname} ctx={ctx} projectId={match.project} dashboardId={match.dashboard} search={props.search} />;
    } else if (pathname === `${base}/tokens` && ctx.role !== "VIEWER") page = <Tokens ctx={ctx} />;
    else if (pathname === `${base}/members`) page = <Members ctx={ctx} />;
    else page = <NotFound />;
  } else {
    page = <NotFound />;
  }

  return (
    <Layout
      me={user}
      organizationId={membership ? organizationId : null}
      role={membership?.role ?? null}
      pathname={pathname}
      onLogOut={logOut}
    >
      {page}
    </Layout>
  );
}

/** The root component. */
export function App() {
  const token = useSyncExternalStore(subscribeSession, sessionToken);
  const { pathname, search } = useLocation();
  // Links from mails work signed in or out.
  const reset = matchPath("/reset-password/:token", pathname);
  if (reset) return <ResetPassword token={reset.token} />;
  const verification = matchPath("/verify-email/:token", pathname);
  if (verification) return <VerifyEmail token={verification.token} />;
  // A dashboard's share link needs no session (and sends none).
  const share = matchPath("/share/:token", pathname);
  if (share) return <SharedDashboard key={share.token} token={share.token} />;
  // A new session (log in as someone else) starts from a fresh user query.
  return token ? (
    <SignedIn key={token} pathname={pathname} search={search} />
  ) : (
    <SignedOut pathname={pathname} search={search} />
  );
}
