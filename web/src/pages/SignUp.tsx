// Sign up: a user, their first organization (as OWNER) and a session.
import { FormEvent, useState } from "react";
import { useMutation } from "../api/hooks";
import { SignUp as SignUpOperation } from "../api/operations";
import { AuthFrame } from "../components/AuthFrame";
import { Button, ErrorMessage, TextField } from "../components/ui";
import { nextPath } from "../components/next";
import { Link, navigate } from "../router";
import { setSessionToken } from "../session";

/** The sign-up page. */
export function SignUp(props: { search: URLSearchParams }) {
  const next = props.search.get("next");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [organizationName, setOrganizationName] = useState("");
  const signUp = useMutation(SignUpOperation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const data = await signUp.run({
      input: { email, password, organizationName, ...(name.trim() ? { name: name.trim() } : {}) },
    });
    if (data) {
      setSessionToken(data.signUp.token);
      const org = data.signUp.organization;
      // First run: straight to creating the first project.
      navigate(nextPath(props.search, org ? `/orgs/${org.id}/projects?new=1` : "/"), true);
    }
  };
  return (
    <AuthFrame title="Create your account">
      <form onSubmit={submit} className="space-y-4">
        <TextField label="Name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          hint="At least 10 characters."
        />
        <TextField
          label="Organization name"
          autoComplete="organization"
          required
          value={organizationName}
          onChange={(e) => setOrganizationName(e.target.value)}
          hint="Your company or team; you can invite others to it later."
        />
        <ErrorMessage error={signUp.error} />
        <Button type="submit" disabled={signUp.pending} className="w-full">
          {signUp.pending ? "Creating account…" : "Sign up"}
        </Button>
      </form>
      <p className="mt-4 text-sm text-gray-700 dark:text-gray-300">
        Already have an account?{" "}
        <Link
          href={next ? `/login?next=${encodeURIComponent(next)}` : "/login"}
          className="font-medium text-indigo-700 underline dark:text-indigo-300"
        >
          Log in
        </Link>
      </p>
    </AuthFrame>
  );
}
