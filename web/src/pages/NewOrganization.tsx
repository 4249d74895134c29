// Creating another organization (the caller becomes its OWNER).
import { FormEvent, useState } from "react";
import { useMutation } from "../api/hooks";
import { CreateOrganization } from "../api/operations";
import { Button, Card, ErrorMessage, PageHeader, TextField } from "../components/ui";

/** The new-organization page; `onCreated` reloads the user's memberships and opens the organization. */
export function NewOrganization(props: { onCreated: (organizationId: string) => void }) {
  const [name, setName] = useState("");
  const create = useMutation(CreateOrganization);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const data = await create.run({ input: { name: name.trim() } });
    if (data) props.onCreated(data.createOrganization.id);
  };
  return (
    <div>
      <PageHeader title="New organization" />
      <Card>
        <form onSubmit={submit} className="space-y-4">
          <TextField label="Organization name" required value={name} onChange={(e) => setName(e.target.value)} />
          <ErrorMessage error={create.error} />
          <Button type="submit" disabled={create.pending}>
            {create.pending ? "Creating…" : "Create organization"}
          </Button>
        </form>
      </Card>
    </div>
  );
}
