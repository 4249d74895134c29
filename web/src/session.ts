// The session store: the session token (a JWT from signUp/logIn) lives in memory and in sessionStorage, so a reload
// keeps the user signed in while the tab lives; it never goes into a URL or localStorage.

const storageKey = "insightvault.session";

type Listener = () => void;

let token: string | null = readStoredToken();
const listeners = new Set<Listener>();

function readStoredToken(): string | null {
  try {
    return window.sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

/** The current session token, or null when signed out. */
export function sessionToken(): string | null {
  return token;
}

/** Stores a new session token (after sign-up or log-in), or clears it (log out, expired session). */
export function setSessionToken(next: string | null): void {
  token = next;
  try {
    if (next) window.sessionStorage.setItem(storageKey, next);
    else window.sessionStorage.removeItem(storageKey);
  } catch {
    // Storage disabled: the token stays in memory only.
  }
  listeners.forEach((listener) => listener());
}

/** Calls `listener` whenever the token changes; returns the unsubscribe function. */
export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

// Ingest token secrets created in this tab, by project, so the getting-started snippets can show the real token.
// Memory only: gone on reload and on log out (the server shows a secret once and keeps only its hash).
const ingestSecrets = new Map<string, string>();

/** Remembers the secret of an ingest token just created for `projectId`. */
export function rememberIngestSecret(projectId: string, secret: string): void {
  ingestSecrets.set(projectId, secret);
}

/** The secret of an ingest token created for `projectId` in this tab, if any. */
export function ingestSecret(projectId: string): string | null {
  return ingestSecrets.get(projectId) ?? null;
}

subscribeSession(() => {
  if (!token) ingestSecrets.clear();
});
