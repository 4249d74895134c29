// Small shared pieces: buttons, labelled fields, cards and the loading, empty and error states.
import { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, useId, useState } from "react";
import { ApiError } from "../api/client";

const buttonStyles = {
  primary:
    "bg-indigo-600 text-white hover:bg-indigo-700 disabled:bg-indigo-400 dark:bg-indigo-400 dark:text-gray-950 dark:hover:bg-indigo-300 dark:disabled:bg-indigo-700",
  secondary:
    "border border-gray-300 bg-white text-gray-900 hover:bg-gray-100 dark:border-gray-600 dark:bg-gray-900 dark:text-gray-100 dark:hover:bg-gray-800",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-red-400 dark:bg-red-600 dark:hover:bg-red-500",
};

/** A button in one of three looks; `type` defaults to "button" so only submit buttons submit. */
export function Button(
  props: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof buttonStyles },
) {
  const { variant = "primary", className = "", type = "button", ...rest } = props;
  return (
    <button
      type={type}
      className={`inline-flex items-center justify-center rounded-md px-3 py-2 text-sm font-medium disabled:cursor-not-allowed ${buttonStyles[variant]} ${className}`}
      {...rest}
    />
  );
}

const controlStyle =
  "mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm text-gray-900 dark:border-gray-600 dark:bg-gray-900 dark:text-gray-100";

/** A text input with its label (and an optional hint tied to it by aria-describedby). */
export function TextField(props: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  const { label, hint, className = "", ...rest } = props;
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input id={id} className={controlStyle} aria-describedby={hint ? `${id}-hint` : undefined} {...rest} />
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-gray-600 dark:text-gray-400">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A select with its label. */
export function SelectField(
  props: SelectHTMLAttributes<HTMLSelectElement> & { label: string; children: ReactNode },
) {
  const { label, className = "", children, ...rest } = props;
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} className={controlStyle} {...rest}>
        {children}
      </select>
    </div>
  );
}

/** A titled panel. */
export function Card(props: { title?: string; children: ReactNode; className?: string }) {
  return (
    <section
      className={`rounded-lg border border-gray-200 bg-white p-4 shadow-sm sm:p-6 dark:border-gray-800 dark:bg-gray-900 ${props.className ?? ""}`}
    >
      {props.title && <h2 className="mb-4 text-lg font-semibold">{props.title}</h2>}
      {props.children}
    </section>
  );
}

/** The server's message for a failed request (never a blank page). */
export function ErrorMessage(props: { error: ApiError | Error | null; onRetry?: () => void }) {
  if (!props.error) return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <p>{props.error.message}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry} className="mt-2 font-medium underline">
          Try again
        </button>
      )}
    </div>
  );
}

/** The loading state. */
export function Loading(props: { label?: string }) {
  return (
    <p role="status" className="py-6 text-sm text-gray-600 dark:text-gray-400">
      {props.label ?? "Loading…"}
    </p>
  );
}

/** The empty state. */
export function Empty(props: { children: ReactNode }) {
  return (
    <div className="rounded-md border border-dashed border-gray-300 p-6 text-center text-sm text-gray-600 dark:border-gray-700 dark:text-gray-400">
      {props.children}
    </div>
  );
}

/** Copies `text` to the clipboard and says so. */
export function CopyButton(props: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
    window.setTimeout(() => setCopied("idle"), 2000);
  };
  return (
    <Button variant="secondary" onClick={copy} aria-live="polite">
      {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed: select and copy" : props.label ?? "Copy"}
    </Button>
  );
}

/** A page heading with optional actions on the right. */
export function PageHeader(props: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-semibold">{props.title}</h1>
      {props.children && <div className="flex flex-wrap gap-2">{props.children}</div>}
    </div>
  );
}

/** A date-time in the viewer's locale, or a dash. */
export function formatTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
}
