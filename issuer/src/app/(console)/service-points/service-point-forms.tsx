"use client";
/** Creates service points and one-time device set-up codes (server actions). */
import { useState } from "react";
import { renderQrSvg } from "@haki/qr/render";
import { createSetupCodeAction, saveServicePointAction } from "@/app/actions";
import type { ActionResult } from "@/server/web/action-result";

export function ServicePointForms(props: { csrf: string; points: string[]; locale: string; labels: Record<string, string> }) {
  const { labels } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [setup, setSetup] = useState<{ setupCode: string; expiresAt: Date; svg: string } | null>(null);
  // The set-up code as a QR the verifier scans ("Scan the code" on its set-up screen), with its
  // expiry in words and in the console's language.
  const showSetup = async (value: { setupCode: string; expiresAt: Date }) => setSetup({ ...value, svg: await renderQrSvg(value.setupCode) });
  const expiry = (at: Date) =>
    (labels.setupExpires ?? "")
      .replace("{{time}}", new Intl.DateTimeFormat(props.locale, { hour: "2-digit", minute: "2-digit" }).format(at))
      .replace("{{minutes}}", String(Math.max(0, Math.round((at.getTime() - Date.now()) / 60_000))));
  /** Runs an action; its value goes to `done`, a refusal or a network failure to the message line. */
  const send = <T,>(action: Promise<ActionResult<T>>, done: (value: T) => void) =>
    action.then((r) => (r.ok ? done(r.value) : setMessage(r.message))).catch(() => setMessage(labels.failed ?? ""));
  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const programmes = String(f.get("programmes") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
          void send(saveServicePointAction(props.csrf, { id: String(f.get("id") ?? ""), name: String(f.get("name") ?? ""), area: String(f.get("area") ?? ""), programmes }), () =>
            window.location.reload(),
          );
        }}
      >
        <div className="row">
          <label>
            {labels.id}
            <br />
            <input name="id" required placeholder="sp-kisumu-12" />
          </label>
          <label>
            {labels.name}
            <br />
            <input name="name" required />
          </label>
          <label>
            {labels.area}
            <br />
            <input name="area" />
          </label>
          <label>
            {labels.programmes}
            <br />
            <input name="programmes" placeholder="cash-transfer, food-basket" />
          </label>
          <button type="submit">{labels.save}</button>
        </div>
      </form>
      <section className="card">
        <p className="muted">{labels.setupHelp}</p>
        <div className="row">
          {props.points.map((id) => (
            <button
              key={id}
              className="secondary"
              type="button"
              onClick={() => void send(createSetupCodeAction(props.csrf, id), (v) => void showSetup(v))}
            >
              {labels.setupCode}: {id}
            </button>
          ))}
        </div>
        {setup ? (
          <div data-testid="setup-code">
            <div className="qr" role="img" aria-label={labels.setupCode} dangerouslySetInnerHTML={{ __html: setup.svg }} />
            <p>
              <strong>{expiry(setup.expiresAt)}</strong>
            </p>
            <p className="muted">
              {labels.setupText}
              <br />
              <code style={{ wordBreak: "break-all" }}>{setup.setupCode}</code>
            </p>
          </div>
        ) : null}
      </section>
      {message ? <p className="error" role="alert">{message}</p> : null}
    </>
  );
}
