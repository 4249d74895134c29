// Members of an organization and their roles; ADMINs and OWNERs add, change and remove members.
import { FormEvent, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { AddMember, ChangeMemberRole, Member, OrganizationMembers, RemoveMember, Role } from "../api/operations";
import { canManage, OrgContext } from "../components/Layout";
import { Button, Card, Empty, ErrorMessage, Loading, PageHeader, SelectField, TextField } from "../components/ui";
import { navigate } from "../router";

const roles: Role[] = ["OWNER", "ADMIN", "MEMBER", "VIEWER"];
const roleNames: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", VIEWER: "Viewer" };

/** Roles `actor` may hand out: an OWNER any, an ADMIN MEMBER and VIEWER (as the server enforces). */
function grantable(actor: Role): Role[] {
  return actor === "OWNER" ? roles : roles.filter((role) => role === "MEMBER" || role === "VIEWER");
}

function AddMemberForm(props: { ctx: OrgContext; onAdded: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("MEMBER");
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation(AddMember);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    if (await add.run({ input: { organizationId: props.ctx.organizationId, email: address, role } })) {
      setAdded(address);
      setEmail("");
      props.onAdded();
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
        {add.pending ? "Adding…" : "Add member"}
      </Button>
      <div className="sm:col-span-3">
        <ErrorMessage error={add.error} />
        {added && (
          <p role="status" className="text-sm text-green-800 dark:text-green-300">
            Added {added}.
          </p>
        )}
      </div>
    </form>
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
            <Button variant="danger" disabled={remove.pending} onClick={removeMember}>
              {isSelf ? "Confirm leaving" : `Confirm removing ${member.user.email}`}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </span>
        ) : (
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            {isSelf ? "Leave organization" : `Remove ${member.user.email}`}
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
  const members = query.data?.organization?.members ?? [];
  return (
    <div>
      <PageHeader title="Members" />
      {canManage(ctx.role) && (
        <Card title="Add a member" className="mb-6">
          <AddMemberForm ctx={ctx} onAdded={query.reload} />
        </Card>
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
