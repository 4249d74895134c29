// Forgot password (asks for a mailed link, when the server has mail) and setting a new password from the link
// (/reset-password/<token>); email verification from its link (/verify-email/<token>).
import { FormEvent, useEffect, useRef, useState } from "react";
import { useMutation } from "../api/hooks";
import { RequestPasswordReset, ResetPassword as ResetPasswordOperation, VerifyEmail as VerifyEmailOperation } from "../api/operations";
import { AuthFrame } from "../components/AuthFrame";
import { Button, ErrorMessage, Loading, TextField } from "../components/ui";
import { Link } from "../router";

const linkStyle = "font-medium text-indigo-700 underline dark:text-indigo-300";

/** The forgot-password page. */
export function ForgotPassword() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const request = useMutation(RequestPasswordReset);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await request.run({ email: email.trim() })) setSent(true);
  };
  return (
    <AuthFrame title="Reset your password">
      {sent ? (
        <p role="status" className="text-sm text-gray-700 dark:text-gray-300">
          If an account uses {email}, a link to set a new password is on its way. It works once and for a limited time.
        </p>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <ErrorMessage error={request.error} />
          <Button type="submit" disabled={request.pending} className="w-full">
            {request.pending ? "Sending…" : "Send reset link"}
          </Button>
        </form>
      )}
      <p className="mt-4 text-sm">
        <Link href="/login" className={linkStyle}>
          Back to log in
        </Link>
      </p>
    </AuthFrame>
  );
}

/** The page of a password-reset link. */
export function ResetPassword(props: { token: string }) {
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const reset = useMutation(ResetPasswordOperation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await reset.run({ input: { token: props.token, newPassword: password } })) setDone(true);
  };
  return (
    <AuthFrame title="Set a new password">
      {done ? (
        <p role="status" className="text-sm text-gray-700 dark:text-gray-300">
          Your password is changed and every session is signed out.{" "}
          <Link href="/login" className={linkStyle}>
            Log in
          </Link>
        </p>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            hint="At least 10 characters."
          />
          <ErrorMessage error={reset.error} />
          <Button type="submit" disabled={reset.pending} className="w-full">
            {reset.pending ? "Saving…" : "Set password"}
          </Button>
        </form>
      )}
    </AuthFrame>
  );
}

/** The page of an email-verification link: verifies once on arrival. */
export function VerifyEmail(props: { token: string }) {
  const verify = useMutation(VerifyEmailOperation);
  const [done, setDone] = useState(false);
  const started = useRef(false);
  const { run } = verify;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    run({ token: props.token }).then((data) => setDone(Boolean(data)));
  }, [props.token, run]);
  return (
    <AuthFrame title="Verify your email">
      {verify.pending && <Loading label="Verifying…" />}
      <ErrorMessage error={verify.error} />
      {done && (
        <p role="status" className="text-sm text-gray-700 dark:text-gray-300">
          Your email address is verified.{" "}
          <Link href="/" className={linkStyle}>
            Continue
          </Link>
        </p>
      )}
    </AuthFrame>
  );
}
