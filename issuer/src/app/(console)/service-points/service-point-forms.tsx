"use client";
/** Creates service points and one-time device set-up codes through the console API (CSRF header). */
import { useState } from "react";

export function ServicePointForms(props: { csrf: string; points: string[]; labels: Record<string, string> }) {
  const { labels } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [setup, setSetup] = useState<{ setupCode: string; expiresAt: string } | null>(null);
  const post = async (url: string, body: unknown) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": props.csrf }, body: JSON.stringify(body) });
    const json = (await res.json()) as { error?: { message: string } } & Record<string, unknown>;
    if (!res.ok) throw new Error(json.error?.message ?? res.statusText);
    return json;
  };
  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const programmes = String(f.get("programmes") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
          post("/api/service-points", { id: f.get("id"), name: f.get("name"), area: f.get("area"), programmes })
            .then(() => window.location.reload())
            .catch((err: Error) => setMessage(err.message));
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
              onClick={() =>
                post(`/api/service-points/${encodeURIComponent(id)}/setup-code`, {})
                  .then((r) => setSetup(r as { setupCode: string; expiresAt: string }))
                  .catch((err: Error) => setMessage(err.message))
              }
            >
              {labels.setupCode}: {id}
            </button>
          ))}
        </div>
        {setup ? (
          <p>
            <code style={{ wordBreak: "break-all" }}>{setup.setupCode}</code>
            <br />
            <span className="muted">{setup.expiresAt}</span>
          </p>
        ) : null}
      </section>
      {message ? <p className="error" role="alert">{message}</p> : null}
    </>
  );
}
