// Members of an organization and their roles; ADMINs and OWNERs invite (a link the invitee accepts), see and revoke
// pending invitations, change roles and remove members.
import { FormEvent, useEffect, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import {
  AddMember,
  ChangeMemberRole,
  Invitation,
  Member,
  OrganizationInvitations,
  OrganizationMembers,
  RemoveMember,
  RevokeInvitation,
  Role,
} from "../api/operations";
import { canManage, OrgContext } from "../components/Layout";
import {
  Button,
  Card,
  CopyButton,
  Empty,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
  TextField,
  formatTime,
} from "../components/ui";
import { navigate } from "../router";

const roles: Role[] = ["OWNER", "ADMIN", "MEMBER", "VIEWER"];
const roleNames: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", VIEWER: "Viewer" };

/** Roles `actor` may hand out: an OWNER any, an ADMIN MEMBER and VIEWER (as the server enforces). */
function grantable(actor: Role): Role[] {
  return actor === "OWNER" ? roles : roles.filter((role) => role === "MEMBER" || role === "VIEWER");
}

function InviteForm(props: { ctx: OrgContext; onInvited: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("MEMBER");
  const [invited, setInvited] = useState<{ email: string; link: string | null } | null>(null);
  const add = useMutation(AddMember);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const data = await add.run({ input: { organizationId: props.ctx.organizationId, email: email.trim(), role } });
    if (data) {
      setInvited({ email: data.addMember.email, link: data.addMember.link });
      setEmail("");
      props.onInvited();
    }
  };
  return (
    <form onSubmit={submit} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
      <TextField label="Email address" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {grantable(props.ctx.role).map((r) => (
          <option key={r} value={r}>
            {roleNames[r]}
          </option>
        ))}
      </SelectField>
      <Button type="submit" disabled={add.pending}>
        {add.pending ? "Inviting…" : "Invite"}
      </Button>
      <div className="sm:col-span-3">
        <ErrorMessage error={add.error} />
        {invited && (
          <div role="status" className="space-y-2 text-sm">
            <p className="text-green-800 dark:text-green-300">
              Invited {invited.email}. They join when they open this link and sign in with that address.
            </p>
            {invited.link && (
              <div className="flex flex-wrap items-center gap-2">
                <label htmlFor="invitation-link" className="sr-only">
                  Invitation link
                </label>
                <input
                  id="invitation-link"
                  readOnly
                  value={invited.link}
                  onFocus={(e) => e.target.select()}
                  className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-3 py-2 font-mono text-xs dark:border-gray-600 dark:bg-gray-900"
                />
                <CopyButton text={invited.link} label="Copy link" />
              </div>
            )}
          </div>
        )}
      </div>
    </form>
  );
}

function PendingInvitation(props: { ctx: OrgContext; invitation: Invitation; onRevoked: () => void }) {
  const { invitation } = props;
  const revoke = useMutation(RevokeInvitation);
  const mayRevoke = props.ctx.role === "OWNER" || (invitation.role !== "OWNER" && invitation.role !== "ADMIN");
  return (
    <li className="flex flex-wrap items-center gap-3 py-3">
      <span className="min-w-0 flex-1 break-words">
        {invitation.email}
        <span className="block text-xs text-gray-600 dark:text-gray-400">
          {roleNames[invitation.role]} · expires {formatTime(invitation.expiresAt)}
          {invitation.invitedBy ? ` · invited by ${invitation.invitedBy.email}` : ""}
        </span>
      </span>
      {mayRevoke && (
        <Button
          variant="secondary"
          disabled={revoke.pending}
          onClick={async () => {
            if (await revoke.run({ id: invitation.id })) props.onRevoked();
          }}
          aria-label={`Revoke invitation for ${invitation.email}`}
        >
          Revoke
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

function PendingInvitations(props: { ctx: OrgContext; generation: number }) {
  const query = useQuery(OrganizationInvitations, { organizationId: props.ctx.organizationId });
  const { reload } = query;
  useEffect(() => {
    if (props.generation > 0) reload();
  }, [props.generation, reload]);
  const pending = (query.data?.invitations ?? []).filter((invitation) => invitation.status === "PENDING");
  return (
    <Card title="Pending invitations" className="mb-6">
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      {query.data && pending.length === 0 && <Empty>No pending invitations.</Empty>}
      {pending.length > 0 && (
        <ul className="divide-y divide-gray-200 dark:divide-gray-800">
          {pending.map((invitation) => (
            <PendingInvitation key={invitation.id} ctx={props.ctx} invitation={invitation} onRevoked={query.reload} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function MemberRow(props: { ctx: OrgContext; member: Member; onChanged: () => void }) {
  const { ctx, member } = props;
  const change = useMutation(ChangeMemberRole);
  const remove = useMutation(RemoveMember);
  const [confirming, setConfirming] = useState(false);
  const isSelf = member.user.id === ctx.me.id;
  const manager = canManage(ctx.role);
  const mayEdit = manager && !isSelf && (ctx.role === "OWNER" || (member.role !== "OWNER" && member.role !== "ADMIN"));
  const label = member.user.name ? `${member.user.name} (${member.user.email})` : member.user.email;
  const setRole = async (role: Role) => {
    if (await change.run({ input: { organizationId: ctx.organizationId, userId: member.user.id, role } })) props.onChanged();
  };
  const removeMember = async () => {
    if (await remove.run({ organizationId: ctx.organizationId, userId: member.user.id })) {
      if (isSelf) navigate("/", true);
      else props.onChanged();
    }
  };
  return (
    <li className="flex flex-wrap items-center gap-3 py-3">
      <span className="min-w-0 flex-1 break-words">
        {label}
        {isSelf && <span className="text-gray-600 dark:text-gray-400"> (you)</span>}
      </span>
      {mayEdit ? (
        <div className="w-36">
          <label htmlFor={`role-${member.user.id}`} className="sr-only">
            Role of {member.user.email}
          </label>
          <select
            id={`role-${member.user.id}`}
            value={member.role}
            disabled={change.pending}
            onChange={(e) => setRole(e.target.value as Role)}
            className="block w-full rounded-md border border-gray-300 bg-white px-2 py-1.5 text-sm dark:border-gray-600 dark:bg-gray-900"
          >
            {grantable(ctx.role).map((r) => (
              <option key={r} value={r}>
                {roleNames[r]}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <span className="text-sm text-gray-700 dark:text-gray-300">{roleNames[member.role]}</span>
      )}
      {(mayEdit || isSelf) &&
        (confirming ? (
          <span className="flex gap-2">
            <Button
              variant="danger"
              disabled={remove.pending}
              onClick={removeMember}
              aria-label={isSelf ? "Confirm leaving" : `Confirm removing ${member.user.email}`}
            >
              {isSelf ? "Confirm leaving" : "Confirm"}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </span>
        ) : (
          <Button
            variant="secondary"
            onClick={() => setConfirming(true)}
            aria-label={isSelf ? "Leave organization" : `Remove ${member.user.email}`}
          >
            {isSelf ? "Leave organization" : "Remove"}
          </Button>
        ))}
      {(change.error || remove.error) && (
        <div className="w-full">
          <ErrorMessage error={change.error ?? remove.error} />
        </div>
      )}
    </li>
  );
}

/** The members page. */
export function Members(props: { ctx: OrgContext }) {
  const { ctx } = props;
  const query = useQuery(OrganizationMembers, { id: ctx.organizationId });
  const [invitations, setInvitations] = useState(0);
  const members = query.data?.organization?.members ?? [];
  const manager = canManage(ctx.role);
  return (
    <div>
      <PageHeader title="Members" />
      {manager && (
        <>
          <Card title="Invite someone" className="mb-6">
            <InviteForm ctx={ctx} onInvited={() => setInvitations((n) => n + 1)} />
          </Card>
          <PendingInvitations ctx={ctx} generation={invitations} />
        </>
      )}
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      {query.data?.organization && (
        <Card title="People in this organization">
          {members.length === 0 ? (
            <Empty>No members.</Empty>
          ) : (
            <ul className="divide-y divide-gray-200 dark:divide-gray-800">
              {members.map((member) => (
                <MemberRow key={member.user.id} ctx={ctx} member={member} onChanged={query.reload} />
              ))}
            </ul>
          )}
        </Card>
      )}
    </div>
  );
}
