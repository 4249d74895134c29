// A labelled, copyable block of code.
import { useId } from "react";
import { CopyButton } from "./ui";

/** Code with a title and a copy button; the region is named by the title for screen readers. */
export function CodeBlock(props: { title: string; code: string }) {
  const id = useId();
  return (
    <div role="region" aria-labelledby={id} className="mb-4">
      <div className="mb-1 flex items-center justify-between gap-2">
        <h3 id={id} className="text-sm font-semibold">
          {props.title}
        </h3>
        <CopyButton text={props.code} label={`Copy ${props.title}`} />
      </div>
      <pre
        tabIndex={0}
        className="overflow-x-auto rounded-md bg-gray-900 p-3 text-xs leading-relaxed text-gray-100 dark:bg-black"
      >
        <code>{props.code}</code>
      </pre>
    </div>
  );
}
