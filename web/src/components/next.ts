// Where to go after logging in or signing up: a `next` path of this app from the query string, or the default.

/** `next` from `search` when it is a path of this app (starts with one `/`), else `fallback`. */
export function nextPath(search: URLSearchParams, fallback: string): string {
  const next = search.get("next");
  if (next && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\")) return next;
  return fallback;
}
