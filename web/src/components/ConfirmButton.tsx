// A destructive action that takes two clicks: the first asks, the second does it (or Cancel).
import { useState } from "react";
import { ApiError, Operation } from "../api/client";
import { useMutation } from "../api/hooks";
import { Button, ErrorMessage } from "./ui";

/** `label` (e.g. "Delete") names the action on `subject`; the second click runs `onConfirm`, whose ApiError is shown. */
export function ConfirmButton(props: {
  label: string;
  subject: string;
  pending?: boolean;
  error?: ApiError | null;
  onConfirm: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <Button variant="secondary" onClick={() => setConfirming(true)} aria-label={`${props.label} ${props.subject}`}>
        {props.label}
      </Button>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        variant="danger"
        disabled={props.pending}
        onClick={props.onConfirm}
        aria-label={`Confirm: ${props.label.toLowerCase()} ${props.subject}`}
      >
        {props.pending ? "Working…" : `Confirm ${props.label.toLowerCase()}`}
      </Button>
      <Button variant="secondary" onClick={() => setConfirming(false)} aria-label={`Keep ${props.subject}`}>
        Cancel
      </Button>
      <ErrorMessage error={props.error ?? null} />
    </div>
  );
}

/** A ConfirmButton whose second click sends `operation` with `variables`; `onDone` runs once the server accepted it. */
export function ConfirmMutation<TData, TVariables>(props: {
  label: string;
  subject: string;
  operation: Operation<TData, TVariables>;
  variables: TVariables;
  onDone: () => void;
}) {
  const mutation = useMutation(props.operation);
  return (
    <ConfirmButton
      label={props.label}
      subject={props.subject}
      pending={mutation.pending}
      error={mutation.error}
      onConfirm={async () => {
        if (await mutation.run(props.variables)) props.onDone();
      }}
    />
  );
}
