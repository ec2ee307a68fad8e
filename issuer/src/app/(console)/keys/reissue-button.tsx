"use client";
/** Re-signs what a distrusted key signed (server action) and says what is left to do. */
import { useState } from "react";
import { reissueAction } from "@/app/actions";
import { useConsole } from "@/app/(console)/kit";

export function ReissueButton(props: { kid: string; labels: { reissue: string; done: string; failed: string } }) {
  const { csrf } = useConsole();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          reissueAction(csrf, props.kid)
            .then((r) => (r.ok ? setDone(props.labels.done.replace("{{resigned}}", String(r.value.resigned)).replace("{{onPhones}}", String(r.value.onPhones))) : setError(r.message)))
            .catch(() => setError(props.labels.failed))
            .finally(() => setBusy(false));
        }}
      >
        {props.labels.reissue}
      </button>
      {done ? <p role="status">{done}</p> : null}
      {error ? <p className="error">{error}</p> : null}
    </>
  );
}
