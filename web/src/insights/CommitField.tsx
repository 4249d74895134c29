// A labelled text or number input that hands its value over only when the user is done with it (Enter or leaving
// the field), so a report does not run on every keystroke.
import { InputHTMLAttributes, KeyboardEvent, useEffect, useState } from "react";
import { TextField } from "../components/ui";

/** A text field whose `onCommit` runs on Enter and on blur, when the text changed. */
export function CommitField(
  props: Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> & {
    label: string;
    value: string;
    hint?: string;
    onCommit: (value: string) => void;
  },
) {
  const { value, onCommit, onBlur, onKeyDown, ...rest } = props;
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text !== value) onCommit(text);
  };
  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    onKeyDown?.(event);
    if (event.key === "Enter") {
      event.preventDefault();
      commit();
    }
  };
  return (
    <TextField
      {...rest}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={keyDown}
      onBlur={(event) => {
        onBlur?.(event);
        commit();
      }}
    />
  );
}

/** A whole number between `min` and `max`, committed like CommitField; anything else goes back to the value. */
export function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  onCommit: (value: number) => void;
  className?: string;
}) {
  const { value, min, max, onCommit, ...rest } = props;
  // A new key puts the field back to the value after a bad entry.
  const [revision, setRevision] = useState(0);
  return (
    <CommitField
      key={revision}
      {...rest}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={1}
      value={String(value)}
      onCommit={(text) => {
        const number = Number(text);
        if (text.trim() !== "" && Number.isInteger(number) && number >= min && number <= max) onCommit(number);
        else setRevision((r) => r + 1);
      }}
    />
  );
}
