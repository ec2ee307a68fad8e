"use client";
/** Creates service points and one-time device set-up codes (server actions). */
import { useState } from "react";
import { createSetupCodeAction, saveServicePointAction } from "@/app/actions";
import type { ActionResult } from "@/server/web/action-result";

export function ServicePointForms(props: { csrf: string; points: string[]; labels: Record<string, string> }) {
  const { labels } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [setup, setSetup] = useState<{ setupCode: string; expiresAt: Date } | null>(null);
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
              onClick={() => void send(createSetupCodeAction(props.csrf, id), setSetup)}
            >
              {labels.setupCode}: {id}
            </button>
          ))}
        </div>
        {setup ? (
          <p>
            <code style={{ wordBreak: "break-all" }}>{setup.setupCode}</code>
            <br />
            <span className="muted">{setup.expiresAt.toISOString()}</span>
          </p>
        ) : null}
      </section>
      {message ? <p className="error" role="alert">{message}</p> : null}
    </>
  );
}
