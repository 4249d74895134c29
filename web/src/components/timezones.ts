// IANA time zones for the project forms: the browser's list, UTC first.

/** Every time zone the browser knows, UTC first; `current` is kept even when the browser does not list it. */
export function timeZones(current?: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  let zones: string[] = [];
  try {
    zones = intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    zones = [];
  }
  const result = ["UTC", ...zones.filter((zone) => zone !== "UTC")];
  if (current && !result.includes(current)) result.push(current);
  return result;
}

/** The viewer's own time zone (a sensible default for a new project). */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
