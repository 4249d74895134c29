// API tokens of an organization: create (INGEST for a project, or PERSONAL with scopes and expiry), the secret
// shown once with a copy button, the list with prefix and last use, revoke.
import { FormEvent, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { ApiToken, ApiTokenKind, ApiTokenScope, CreateApiToken, OrganizationTokens, RevokeApiToken } from "../api/operations";
import { canManage, OrgContext } from "../components/Layout";
import { ConfirmMutation } from "../components/ConfirmButton";
import { SecretOnce } from "../components/SecretOnce";
import {
  Button,
  Card,
  Empty,
  ErrorMessage,
  Loading,
  PageHeader,
  SelectField,
  TextField,
  formatTime,
} from "../components/ui";
import { rememberIngestSecret } from "../session";

const expiryChoices: { label: string; days: number | null }[] = [
  { label: "Never", days: null },
  { label: "In 7 days", days: 7 },
  { label: "In 30 days", days: 30 },
  { label: "In 90 days", days: 90 },
  { label: "In 1 year", days: 365 },
];

function CreateTokenForm(props: {
  projects: { id: string; name: string }[];
  allowIngest: boolean;
  onCreated: (secret: string, token: ApiToken) => void;
}) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<ApiTokenKind>(props.allowIngest ? "INGEST" : "PERSONAL");
  const [projectId, setProjectId] = useState(props.projects[0]?.id ?? "");
  const [scopes, setScopes] = useState<ApiTokenScope[]>(["READ"]);
  const [expiry, setExpiry] = useState("Never");
  const create = useMutation(CreateApiToken);
  const toggleScope = (scope: ApiTokenScope, on: boolean) =>
    setScopes((current) => (on ? [...current.filter((s) => s !== scope), scope] : current.filter((s) => s !== scope)));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const days = expiryChoices.find((choice) => choice.label === expiry)?.days ?? null;
    const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString();
    const data = await create.run({
      input: {
        projectId,
        name: name.trim(),
        kind,
        ...(kind === "PERSONAL" ? { scopes } : {}),
        ...(expiresAt ? { expiresAt } : {}),
      },
    });
    if (data) {
      if (kind === "INGEST") rememberIngestSecret(projectId, data.createApiToken.token);
      setName("");
      props.onCreated(data.createApiToken.token, data.createApiToken.apiToken);
    }
  };
  if (props.projects.length === 0) {
    return <Empty>Create a project first: every token belongs to a project of this organization.</Empty>;
  }
  return (
    <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
      <TextField label="Token name" required value={name} onChange={(e) => setName(e.target.value)} />
      <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as ApiTokenKind)}>
        {props.allowIngest && <option value="INGEST">Ingest: sends events to one project (SDKs)</option>}
        <option value="PERSONAL">Personal: acts for you on the GraphQL API</option>
      </SelectField>
      <SelectField
        label={kind === "INGEST" ? "Project" : "Project (names the organization the token acts in)"}
        value={projectId}
        onChange={(e) => setProjectId(e.target.value)}
      >
        {props.projects.map((project) => (
          <option key={project.id} value={project.id}>
            {project.name}
          </option>
        ))}
      </SelectField>
      <SelectField label="Expires" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
        {expiryChoices.map((choice) => (
          <option key={choice.label} value={choice.label}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      {kind === "PERSONAL" && (
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium">Scopes</legend>
          <div className="mt-1 flex gap-4">
            {(["READ", "WRITE"] as ApiTokenScope[]).map((scope) => (
              <label key={scope} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={(e) => toggleScope(scope, e.target.checked)}
                />
                {scope === "READ" ? "Read" : "Write"}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <div className="sm:col-span-2">
        <ErrorMessage error={create.error} />
      </div>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={create.pending || !projectId}>
          {create.pending ? "Creating…" : "Create token"}
        </Button>
      </div>
    </form>
  );
}

function status(token: ApiToken): string {
  if (token.revokedAt) return `Revoked ${formatTime(token.revokedAt)}`;
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return "Expired";
  return "Active";
}

/** The API tokens page (hidden from VIEWERs). */
export function Tokens(props: { ctx: OrgContext }) {
  const { ctx } = props;
  const query = useQuery(OrganizationTokens, { id: ctx.organizationId });
  const [created, setCreated] = useState<{ secret: string; token: ApiToken } | null>(null);
  const organization = query.data?.organization;
  const manager = canManage(ctx.role);
  const tokens = organization?.apiTokens ?? [];
  return (
    <div>
      <PageHeader title="API tokens" />
      {created && (
        <SecretOnce
          region="New token secret"
          message={`Copy the secret of “${created.token.name}” now: it is shown only this once.`}
          id="new-token-secret"
          label="Token secret"
          value={created.secret}
          copyLabel="Copy secret"
          onDone={() => setCreated(null)}
        />
      )}
      {query.loading && !query.data && <Loading />}
      <ErrorMessage error={query.error} onRetry={query.reload} />
      {organization && (
        <>
          <Card title="Create a token" className="mb-6">
            <CreateTokenForm
              projects={organization.projects}
              allowIngest={manager}
              onCreated={(secret, token) => {
                setCreated({ secret, token });
                query.reload();
              }}
            />
          </Card>
          <Card title="Tokens">
            {tokens.length === 0 ? (
              <Empty>No tokens yet.</Empty>
            ) : (
              <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Token list">
                <table className="w-full text-left text-sm">
                  <thead className="text-xs uppercase text-gray-600 dark:text-gray-400">
                    <tr>
                      <th scope="col" className="py-2 pr-4">Name</th>
                      <th scope="col" className="py-2 pr-4">Kind</th>
                      <th scope="col" className="py-2 pr-4">Project</th>
                      <th scope="col" className="py-2 pr-4">Prefix</th>
                      <th scope="col" className="py-2 pr-4">Scopes</th>
                      <th scope="col" className="py-2 pr-4">Last used</th>
                      <th scope="col" className="py-2 pr-4">Expires</th>
                      <th scope="col" className="py-2 pr-4">Status</th>
                      <th scope="col" className="py-2">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-gray-200 dark:divide-gray-800">
                    {tokens.map((token) => (
                      <tr key={token.id}>
                        <td className="py-2 pr-4 font-medium">{token.name}</td>
                        <td className="py-2 pr-4">{token.kind === "INGEST" ? "Ingest" : "Personal"}</td>
                        <td className="py-2 pr-4">{token.project?.name ?? "—"}</td>
                        <td className="py-2 pr-4 font-mono">{token.prefix}…</td>
                        <td className="py-2 pr-4">{token.kind === "PERSONAL" ? token.scopes.join(", ") : "write events"}</td>
                        <td className="py-2 pr-4">{token.lastUsedAt ? formatTime(token.lastUsedAt) : "Never"}</td>
                        <td className="py-2 pr-4">{token.expiresAt ? formatTime(token.expiresAt) : "Never"}</td>
                        <td className="py-2 pr-4">{status(token)}</td>
                        <td className="py-2">
                          {!token.revokedAt && (manager || token.kind === "PERSONAL") && (
                            <ConfirmMutation
                              label="Revoke"
                              subject={token.name}
                              operation={RevokeApiToken}
                              variables={{ id: token.id }}
                              onDone={query.reload}
                            />
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
