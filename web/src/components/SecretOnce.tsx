// A secret shown once after it was created (a token, a share link), with a copy button and "Done".
import { Button, CopyButton } from "./ui";

/** The secret `value` in a read-only field labelled `label`, under `message`, in a region named `region`. */
export function SecretOnce(props: {
  region: string;
  message: string;
  id: string;
  label: string;
  value: string;
  copyLabel: string;
  onDone: () => void;
}) {
  return (
    <div
      role="region"
      aria-label={props.region}
      className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
    >
      <p className="text-sm font-medium text-amber-900 dark:text-amber-100">{props.message}</p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor={props.id} className="sr-only">
          {props.label}
        </label>
        <input
          id={props.id}
          readOnly
          value={props.value}
          onFocus={(e) => e.target.select()}
          className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-3 py-2 font-mono text-sm text-gray-900 dark:border-gray-600 dark:bg-gray-900 dark:text-gray-100"
        />
        <CopyButton text={props.value} label={props.copyLabel} />
        <Button variant="secondary" onClick={props.onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
