// The GraphQL client: every request of the dashboard goes through `request`, to `/graphql` only, with the session
// token as a bearer token. A failed request throws an ApiError carrying the server's message and code.
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

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs one operation and returns its data, or throws an ApiError with the server's message. */
export async function request<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables?: TVariables,
): Promise<TData> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/graphql-response+json, application/json",
  };
  const token = sessionToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ operationName: op.name, query: op.document, variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError("The server cannot be reached. Check your connection and try again.", "NETWORK_ERROR");
  }
  let body: GraphQLResponse<TData>;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    throw new ApiError(`The server answered ${response.status} ${response.statusText}.`, null);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? null;
    // An expired or revoked session: back to the log-in page.
    if (code === "UNAUTHENTICATED" && token) setSessionToken(null);
    throw new ApiError(first.message, code);
  }
  if (!body.data) throw new ApiError(`The server answered ${response.status} without data.`, null);
  return body.data;
}
