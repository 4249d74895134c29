// React hooks over the GraphQL client: loading, error and data of one query, and a mutation runner.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, Operation, request } from "./client";

/** The state of a query: exactly one of loading, error and data describes it (data stays while reloading). */
export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(error instanceof Error ? error.message : String(error), null);
}

/** Runs `op` with `variables` now and whenever they change; `skip` holds it back. */
export function useQuery<TData, TVariables>(
  op: Operation<TData, TVariables>,
  variables: TVariables,
  options: { skip?: boolean; pollMs?: number } = {},
): QueryState<TData> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: TData | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: !options.skip,
  });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (options.skip) return;
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    request(op, JSON.parse(key) as TVariables).then(
      (data) => !cancelled && setState({ data, error: null, loading: false }),
      (error) => !cancelled && setState({ data: null, error: asApiError(error), loading: false }),
    );
    return () => {
      cancelled = true;
    };
  }, [op, key, generation, options.skip]);

  useEffect(() => {
    if (!options.pollMs || options.skip) return;
    const timer = window.setInterval(reload, options.pollMs);
    return () => window.clearInterval(timer);
  }, [options.pollMs, options.skip, reload]);

  return { ...state, reload };
}

/** A mutation: `run` sends it and returns the data, or null after putting the server's message into `error`. */
export function useMutation<TData, TVariables>(op: Operation<TData, TVariables>) {
  const [state, setState] = useState<{ error: ApiError | null; pending: boolean }>({ error: null, pending: false });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (variables: TVariables): Promise<TData | null> => {
      setState({ error: null, pending: true });
      try {
        const data = await request(op, variables);
        if (mounted.current) setState({ error: null, pending: false });
        return data;
      } catch (error) {
        if (mounted.current) setState({ error: asApiError(error), pending: false });
        return null;
      }
    },
    [op],
  );
  const reset = useCallback(() => setState({ error: null, pending: false }), []);
  return { run, reset, ...state };
}
