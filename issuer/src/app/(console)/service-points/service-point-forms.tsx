"use client";
/**
 * Creates service points and one-time device set-up codes through the console API (CSRF header).
 * A set-up code is shown as a QR code the verifier's "Scan set-up code" reads (and as text to
 * paste), with the time it stops working.
 */
import { useState } from "react";
import { renderQrSvg } from "@haki/qr/render";

export function ServicePointForms(props: { csrf: string; points: string[]; labels: Record<string, string>; locale: string }) {
  const { labels } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [setup, setSetup] = useState<{ setupCode: string; expiresAt: string; svg: string } | null>(null);
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
                  .then(async (r) => {
                    const code = r as { setupCode: string; expiresAt: string };
                    setSetup({ ...code, svg: await renderQrSvg(code.setupCode) });
                  })
                  .catch((err: Error) => setMessage(err.message))
              }
            >
              {labels.setupCode}: {id}
            </button>
          ))}
        </div>
        {setup ? (
          <div data-testid="setup-code">
            <p className="muted">{labels.setupQr}</p>
            {/* The QR comes from the QR renderer (paths only), never from user input. */}
            <div style={{ maxWidth: "18rem" }} role="img" aria-label={labels.setupCode} dangerouslySetInnerHTML={{ __html: setup.svg }} />
            <p>
              <strong data-testid="setup-expires" data-expires={setup.expiresAt}>
                {(labels.setupExpires ?? "{{time}}").replace(
                  "{{time}}",
                  new Intl.DateTimeFormat(props.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(setup.expiresAt)),
                )}
              </strong>
            </p>
            <code style={{ wordBreak: "break-all" }}>{setup.setupCode}</code>
          </div>
        ) : null}
      </section>
      {message ? <p className="error" role="alert">{message}</p> : null}
    </>
  );
}
