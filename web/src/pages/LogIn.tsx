// Log in: email and password for a session token.
import { FormEvent, useState } from "react";
import { useMutation, useQuery } from "../api/hooks";
import { LogIn as LogInOperation, ServerFeatures } from "../api/operations";
import { AuthFrame } from "../components/AuthFrame";
import { Button, ErrorMessage, TextField } from "../components/ui";
import { nextPath } from "../components/next";
import { Link, navigate } from "../router";
import { setSessionToken } from "../session";

/** The log-in page. */
export function LogIn(props: { search: URLSearchParams }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const logIn = useMutation(LogInOperation);
  const features = useQuery(ServerFeatures, {});
  const next = props.search.get("next");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const data = await logIn.run({ input: { email, password } });
    if (data) {
      setSessionToken(data.logIn.token);
      navigate(nextPath(props.search, "/"), true);
    }
  };
  return (
    <AuthFrame title="Log in">
      <form onSubmit={submit} className="space-y-4">
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorMessage error={logIn.error} />
        <Button type="submit" disabled={logIn.pending} className="w-full">
          {logIn.pending ? "Logging in…" : "Log in"}
        </Button>
      </form>
      {features.data?.serverFeatures.passwordReset && (
        <p className="mt-4 text-sm">
          <Link href="/forgot-password" className="font-medium text-indigo-700 underline dark:text-indigo-300">
            Forgot your password?
          </Link>
        </p>
      )}
      <p className="mt-4 text-sm text-gray-700 dark:text-gray-300">
        No account yet?{" "}
        <Link
          href={next ? `/signup?next=${encodeURIComponent(next)}` : "/signup"}
          className="font-medium text-indigo-700 underline dark:text-indigo-300"
        >
          Sign up
        </Link>
      </p>
    </AuthFrame>
  );
}
