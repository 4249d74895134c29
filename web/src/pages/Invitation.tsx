// Accepting an invitation from its link (/invite/<token>): signed out, log in or sign up first (the way back is kept
// in `next`); signed in, accept it as the address it was sent to.
import { useMutation } from "../api/hooks";
import { AcceptInvitation as AcceptInvitationOperation } from "../api/operations";
import { AuthFrame } from "../components/AuthFrame";
import { Button, Card, ErrorMessage, PageHeader } from "../components/ui";
import { Link } from "../router";

const linkStyle = "font-medium text-indigo-700 underline dark:text-indigo-300";

/** The invitation page for a signed-out visitor. */
export function InvitationSignedOut(props: { token: string }) {
  const next = encodeURIComponent(`/invite/${props.token}`);
  return (
    <AuthFrame title="You are invited">
      <p className="text-sm text-gray-700 dark:text-gray-300">
        Log in, or sign up, with the email address this invitation was sent to; then accept it.
      </p>
      <div className="mt-4 flex gap-4 text-sm">
        <Link href={`/login?next=${next}`} className={linkStyle}>
          Log in to accept
        </Link>
        <Link href={`/signup?next=${next}`} className={linkStyle}>
          Sign up to accept
        </Link>
      </div>
    </AuthFrame>
  );
}

/** The invitation page for a signed-in user. */
export function AcceptInvitation(props: { token: string; onAccepted: (organizationId: string) => void }) {
  const accept = useMutation(AcceptInvitationOperation);
  const run = async () => {
    const data = await accept.run({ token: props.token });
    if (data) props.onAccepted(data.acceptInvitation.organization.id);
  };
  return (
    <div>
      <PageHeader title="Join an organization" />
      <Card>
        <p className="mb-4 text-sm text-gray-700 dark:text-gray-300">
          Accepting makes you a member of the organization that invited you, with the role the invitation names.
        </p>
        <ErrorMessage error={accept.error} />
        <Button onClick={run} disabled={accept.pending} className="mt-2">
          {accept.pending ? "Accepting…" : "Accept invitation"}
        </Button>
      </Card>
    </div>
  );
}
