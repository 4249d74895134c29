// A small router over the History API: the URL holds the view state, the server answers index.html for every
// path without an extension (SPA fallback).
import { AnchorHTMLAttributes, MouseEvent, useSyncExternalStore } from "react";

const listeners = new Set<() => void>();

/** Goes to `path` (pushing a history entry unless `replace`). */
export function navigate(path: string, replace = false): void {
  if (path === currentPath()) return;
  if (replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  listeners.forEach((listener) => listener());
}

function currentPath(): string {
  return window.location.pathname + window.location.search;
}

window.addEventListener("popstate", () => listeners.forEach((listener) => listener()));

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The current path and query string; re-renders when they change (also when a child navigated first). */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const path = useSyncExternalStore(subscribe, currentPath);
  const url = new URL(path, window.location.origin);
  return { pathname: url.pathname, search: url.searchParams };
}

/** Matches `pathname` against a pattern like `/orgs/:org/projects`; returns the parameters or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = pathname.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

/** An anchor that navigates without reloading the page. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { href, onClick, ...rest } = props;
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={click} {...rest} />;
}
