"use client";
/**
 * Creates service points and one-time device set-up codes (server actions). A set-up code is shown
 * as a QR code the verifier's "Scan set-up code" reads (and as text to paste), with the time it
 * stops working.
 */
import { useState } from "react";
import { renderQrSvg } from "@haki/qr/render";
import { createSetupCodeAction, saveServicePointAction } from "@/app/actions";
import { DataForm, useActionMessage, useConsole } from "@/app/(console)/kit";

export function ServicePointForms(props: { points: string[]; labels: Record<string, string>; locale: string }) {
  const { csrf } = useConsole();
  const { labels } = props;
  const { message, send, fail } = useActionMessage(labels.failed ?? "");
  const [setup, setSetup] = useState<{ setupCode: string; expiresAt: Date; svg: string } | null>(null);
  return (
    <>
      <DataForm
        className="card"
        onData={(f) => {
          const programmes = String(f.get("programmes") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
          void send(saveServicePointAction(csrf, { id: String(f.get("id") ?? ""), name: String(f.get("name") ?? ""), area: String(f.get("area") ?? ""), programmes }), () =>
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
      </DataForm>
      <section className="card">
        <p className="muted">{labels.setupHelp}</p>
        <div className="row">
          {props.points.map((id) => (
            <button
              key={id}
              className="secondary"
              type="button"
              onClick={() =>
                void send(createSetupCodeAction(csrf, id), (code) =>
                  void renderQrSvg(code.setupCode)
                    .then((svg) => setSetup({ ...code, svg }))
                    .catch(fail),
                )
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
            <div className="qr" role="img" aria-label={labels.setupCode} dangerouslySetInnerHTML={{ __html: setup.svg }} />
            <p>
              <strong data-testid="setup-expires" data-expires={setup.expiresAt.toISOString()}>
                {(labels.setupExpires ?? "{{time}}").replace(
                  "{{time}}",
                  new Intl.DateTimeFormat(props.locale, { dateStyle: "medium", timeStyle: "short" }).format(setup.expiresAt),
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
