// The signed-in user's account: where they are signed in (sessions, each revocable; log out everywhere) and their
// password (changing it signs out every session, this one included).
import { FormEvent, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { ChangePassword, LogOutEverywhere, Me, RevokeSession, Session, Sessions } from "../api/operations";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, TextField, formatTime } from "../components/ui";
import { navigate } from "../router";
import { setSessionToken } from "../session";

function signedOut(): void {
  setSessionToken(null);
  navigate("/login", true);
}

/** A short description of a browser from its User-Agent. */
function device(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Firefox\//.test(userAgent)
    ? "Firefox"
    : /Edg\//.test(userAgent)
      ? "Edge"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : userAgent.split(" ")[0];
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Mac OS X/.test(userAgent)
        ? "macOS"
        : /Windows/.test(userAgent)
          ? "Windows"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "";
  return system ? `${browser} on ${system}` : browser;
}

function SessionRow(props: { session: Session; onRevoked: () => void }) {
  const { session } = props;
  const revoke = useMutation(RevokeSession);
  return (
    <li className="flex flex-wrap items-center gap-3 py-3">
      <span className="min-w-0 flex-1">
        {device(session.userAgent)}
        {session.current && <span className="font-medium text-green-800 dark:text-green-300"> (this browser)</span>}
        <span className="block text-xs text-gray-600 dark:text-gray-400">
          {session.ip ?? "unknown address"} · signed in {formatTime(session.createdAt)} · last seen{" "}
          {formatTime(session.lastSeenAt)}
        </span>
      </span>
      {!session.current && (
        <Button
          variant="secondary"
          disabled={revoke.pending}
          aria-label={`Sign out ${device(session.userAgent)} signed in ${formatTime(session.createdAt)}`}
          onClick={async () => {
            if (await revoke.run({ id: session.id })) props.onRevoked();
          }}
        >
          Sign out
        </Button>
      )}
      {revoke.error && (
        <div className="w-full">
          <ErrorMessage error={revoke.error} />
        </div>
      )}
    </li>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation(ChangePassword);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await change.run({ input: { currentPassword: current, newPassword: next } })) signedOut();
  };
  return (
    <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        value={next}
        onChange={(e) => setNext(e.target.value)}
        hint="At least 10 characters. Every session is signed out; log in again with the new password."
      />
      <div className="sm:col-span-2">
        <ErrorMessage error={change.error} />
      </div>
      <div>
        <Button type="submit" disabled={change.pending}>
          {change.pending ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}

/** The account page. */
export function Account(props: { me: Me }) {
  const sessions = useQuery(Sessions, {});
  const everywhere = useMutation(LogOutEverywhere);
  const list = sessions.data?.sessions ?? [];
  return (
    <div>
      <PageHeader title="Your account">
        <Button
          variant="secondary"
          disabled={everywhere.pending}
          onClick={async () => {
            if (await everywhere.run({})) signedOut();
          }}
        >
          Log out everywhere
        </Button>
      </PageHeader>
      <p className="mb-6 text-sm text-gray-700 dark:text-gray-300">
        Signed in as <strong>{props.me.email}</strong>
        {props.me.name ? ` (${props.me.name})` : ""}.
      </p>
      <ErrorMessage error={everywhere.error} />
      <Card title="Where you are signed in" className="mb-6">
        {sessions.loading && !sessions.data && <Loading />}
        <ErrorMessage error={sessions.error} onRetry={sessions.reload} />
        {sessions.data && list.length === 0 && <Empty>No sessions.</Empty>}
        {list.length > 0 && (
          <ul className="divide-y divide-gray-200 dark:divide-gray-800">
            {list.map((session) => (
              <SessionRow key={session.id} session={session} onRevoked={sessions.reload} />
            ))}
          </ul>
        )}
      </Card>
      <Card title="Password">
        <PasswordForm />
      </Card>
    </div>
  );
}
