// Read-only links to a dashboard (MEMBER and above): create one (optionally letting its viewers change the range),
// its address shown once with a copy button, and the dashboard's links with revoke (a second click confirms).
import { FormEvent, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { CreateDashboardShare, DashboardShares, RevokeDashboardShare } from "../api/operations";
import { Button, Card, Empty, ErrorMessage, Loading, formatTime } from "../components/ui";
import { ConfirmMutation } from "../components/ConfirmButton";
import { SecretOnce } from "../components/SecretOnce";

/** The address of a share link: the app's `/share/<token>` page on this server. */
export function shareLink(token: string): string {
  return `${window.location.origin}/share/${encodeURIComponent(token)}`;
}

/** The share panel of a dashboard. */
export function SharePanel(props: { id: string; dashboardId: string }) {
  const shares = useQuery(DashboardShares, { id: props.dashboardId });
  const create = useMutation(CreateDashboardShare);
  const [allowRangeChange, setAllowRangeChange] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const data = await create.run({ input: { dashboardId: props.dashboardId, allowRangeChange } });
    if (data) {
      setCreated(shareLink(data.createDashboardShare.token));
      shares.reload();
    }
  };
  const list = shares.data?.dashboard?.shares ?? [];
  return (
    <div id={props.id} className="mb-6">
      <Card title="Share">
        <p className="mb-4 text-sm text-gray-700 dark:text-gray-300">
          A link shows this dashboard's reports, read-only, to anyone who has it, without signing in; nothing else of
          the organization. Revoke it to stop it working at once.
        </p>
        {created && (
          <SecretOnce
            region="New share link"
            message="Copy the link now: it is shown only this once. Anyone holding it sees this dashboard without signing in."
            id="new-share-link"
            label="Share link"
            value={created}
            copyLabel="Copy link"
            onDone={() => setCreated(null)}
          />
        )}
        <form onSubmit={submit} className="mb-6 flex flex-wrap items-center gap-4">
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={allowRangeChange} onChange={(e) => setAllowRangeChange(e.target.checked)} />
            Let viewers change the range
          </label>
          <Button type="submit" disabled={create.pending}>
            {create.pending ? "Creating…" : "Create link"}
          </Button>
          <ErrorMessage error={create.error} />
        </form>
        {shares.loading && !shares.data && <Loading />}
        <ErrorMessage error={shares.error} onRetry={shares.reload} />
        {shares.data && list.length === 0 && <Empty>No links yet.</Empty>}
        {list.length > 0 && (
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Share links">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-gray-600 dark:text-gray-400">
                <tr>
                  <th scope="col" className="py-2 pr-4">Link</th>
                  <th scope="col" className="py-2 pr-4">Created</th>
                  <th scope="col" className="py-2 pr-4">Range change</th>
                  <th scope="col" className="py-2 pr-4">Status</th>
                  <th scope="col" className="py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-gray-200 dark:divide-gray-800">
                {list.map((share) => (
                  <tr key={share.id}>
                    <td className="py-2 pr-4 font-mono">{share.prefix}…</td>
                    <td className="py-2 pr-4">{formatTime(share.createdAt)}</td>
                    <td className="py-2 pr-4">{share.allowRangeChange ? "Allowed" : "Not allowed"}</td>
                    <td className="py-2 pr-4">{share.revokedAt ? `Revoked ${formatTime(share.revokedAt)}` : "Active"}</td>
                    <td className="py-2">{!share.revokedAt && (
                      <ConfirmMutation
                        label="Revoke"
                        subject={`link ${share.prefix}`}
                        operation={RevokeDashboardShare}
                        variables={{ id: share.id }}
                        onDone={shares.reload}
                      />
                    )}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
