"use client";
/** Resets a user's password (server action) and shows the one-time password once. */
import { useState } from "react";
import { resetPasswordAction } from "@/app/actions";
import { useConsole } from "@/app/(console)/kit";

export function ResetPasswordButton(props: { userId: string; email: string; labels: { reset: string; done: string; failed: string } }) {
  const { csrf } = useConsole();
  const [otp, setOtp] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setError(null);
          resetPasswordAction(csrf, props.userId)
            .then((r) => (r.ok ? setOtp(r.value.oneTimePassword) : setError(r.message)))
            .catch(() => setError(props.labels.failed));
        }}
      >
        {props.labels.reset}
      </button>
      {otp ? (
        <p role="status">
          {props.labels.done.replace("{{email}}", props.email)}
          <br />
          <code className="mono">{otp}</code>
        </p>
      ) : null}
      {error ? <p className="error">{error}</p> : null}
    </>
  );
}
