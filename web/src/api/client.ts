// The GraphQL client: every request of the dashboard goes through `request`, to `/graphql` only, with the session
// token as a bearer token. A failed request throws an ApiError carrying the server's message and code; a request
// cancelled through its AbortSignal throws an ApiError with the code CANCELLED (see isCancelled), which callers drop
// quietly.
import { sessionToken, setSessionToken } from "../session";

/** A typed, named GraphQL operation: the name is part of the document and shows in the server's logs. */
export interface Operation<TData, TVariables> {
  readonly name: string;
  readonly document: string;
  /** Phantom fields carrying the types; never set. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

/** Declares an operation; `document` must be `query Name ...` or `mutation Name ...` with the same name. */
export function operation<TData, TVariables = Record<string, never>>(
  name: string,
  document: string,
): Operation<TData, TVariables> {
  return { name, document };
}

/** What the server refused, with its `extensions.code` when it gave one. */
export class ApiError extends Error {
  readonly code: string | null;
  constructor(message: string, code: string | null) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

/** The code of the ApiError a request cancelled by its AbortSignal throws. */
export const cancelledCode = "CANCELLED";

/** Whether `error` is a request cancelled by its caller (not a failure: nothing to show). */
export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.code === cancelledCode;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** An error of one field of an answer that has data otherwise (a GraphQL partial result). */
export interface FieldError {
  message: string;
  code: string | null;
  path: (string | number)[];
}

/** Runs one operation and returns its data, or throws an ApiError with the server's message. Aborting `signal`
 * stops the request (the server then cancels a running report) and throws an ApiError with code CANCELLED.
 * `withoutSession` sends no Authorization header even when signed in (a share link's page acts as anyone would).
 * With `onFieldErrors`, an answer with data whose every error names a field path is returned, its errors passed to
 * it (the fields are null), instead of throwing the first. */
export async function request<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables?: TVariables,
  signal?: AbortSignal,
  options: { withoutSession?: boolean; onFieldErrors?: (errors: FieldError[]) => void } = {},
): Promise<TData> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/graphql-response+json, application/json",
  };
  const token = options.withoutSession ? null : sessionToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ operationName: op.name, query: op.document, variables: variables ?? {} }),
      signal,
    });
  } catch {
    if (signal?.aborted) throw new ApiError("Cancelled.", cancelledCode);
    throw new ApiError("The server cannot be reached. Check your connection and try again.", "NETWORK_ERROR");
  }
  let body: GraphQLResponse<TData>;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    if (signal?.aborted) throw new ApiError("Cancelled.", cancelledCode);
    throw new ApiError(`The server answered ${response.status} ${response.statusText}.`, null);
  }
  const first = body.errors?.[0];
  const errors = body.errors ?? [];
  if (first && options.onFieldErrors && body.data && errors.every((e) => Array.isArray(e.path))) {
    options.onFieldErrors(errors.map((e) => ({ message: e.message, code: e.extensions?.code ?? null, path: e.path ?? [] })));
    return body.data;
  }
  if (first) {
    const code = first.extensions?.code ?? null;
    // An expired or revoked session: back to the log-in page.
    if (code === "UNAUTHENTICATED" && token) setSessionToken(null);
    throw new ApiError(first.message, code);
  }
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`, null);
  return body.data;
}
