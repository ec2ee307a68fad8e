"use client";
/**
 * Per-entitlement actions on the cycle page: make an OpenID4VCI offer (QR + link, PIN shown once)
 * and change status with a reason. Both call the console API with the CSRF header.
 */
import { useState } from "react";
import { renderQrSvg } from "@haki/qr/render";

export function EntitlementActions(props: { id: string; status: string; csrf: string; labels: Record<string, string> }) {
  const { labels } = props;
  const [offer, setOffer] = useState<{ offerUri: string; link: string; txCode?: string; svg: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const post = async (url: string, body: unknown) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": props.csrf }, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown> & { error?: { message: string } };
    if (!res.ok) throw new Error(json.error?.message ?? res.statusText);
    return json;
  };
  const change = (action: string) => {
    const reason = window.prompt(labels.reason);
    if (!reason) return;
    post("/api/entitlements/status", { action, entitlementId: props.id, reason })
      .then(() => window.location.reload())
      .catch((e: Error) => setMessage(e.message));
  };
  return (
    <div>
      <div className="row">
        {props.status === "issued" ? (
          <button
            type="button"
            className="secondary"
            onClick={() =>
              post(`/api/entitlements/${props.id}/offer`, { withPin: true })
                .then(async (o) => setOffer({ ...(o as { offerUri: string; link: string; txCode?: string }), svg: await renderQrSvg(String(o.offerUri)) }))
                .catch((e: Error) => setMessage(e.message))
            }
          >
            {labels.offer}
          </button>
        ) : null}
        {props.status === "issued" ? (
          <button type="button" className="secondary" onClick={() => change("suspend")}>
            {labels.suspend}
          </button>
        ) : null}
        {props.status === "suspended" ? (
          <button type="button" className="secondary" onClick={() => change("reinstate")}>
            {labels.reinstate}
          </button>
        ) : null}
        {props.status === "issued" || props.status === "suspended" ? (
          <button type="button" className="secondary" onClick={() => change("revoke")}>
            {labels.revoke}
          </button>
        ) : null}
      </div>
      {offer ? (
        <div>
          {/* The offer is long (a version 18-20 code): shown large so a phone held at arm's length reads it. */}
          <div style={{ maxWidth: "20rem" }} dangerouslySetInnerHTML={{ __html: offer.svg }} />
          <a href={offer.link}>{labels.link}</a>
          {offer.txCode ? (
            <p>
              {labels.pin}: <strong className="mono">{offer.txCode}</strong>
            </p>
          ) : null}
        </div>
      ) : null}
      {message ? <p className="error">{message}</p> : null}
    </div>
  );
}
