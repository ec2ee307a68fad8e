"use client";
/**
 * Per-entitlement actions on the cycle page: make an OpenID4VCI offer (QR + link, PIN shown once)
 * and change status with a reason (server actions).
 */
import { useState } from "react";
import { renderQrSvg } from "@haki/qr/render";
import { changeStatusAction, createOfferAction } from "@/app/actions";

export function EntitlementActions(props: { id: string; status: string; csrf: string; labels: Record<string, string> }) {
  const { labels } = props;
  const [offer, setOffer] = useState<{ offerUri: string; link: string; txCode?: string; svg: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const failed = () => setMessage(labels.failed ?? "");
  const change = (action: "suspend" | "reinstate" | "revoke") => {
    const reason = window.prompt(labels.reason);
    if (!reason) return;
    changeStatusAction(props.csrf, { action, entitlementId: props.id, reason })
      .then((r) => (r.ok ? window.location.reload() : setMessage(r.message)))
      .catch(failed);
  };
  const offerToPhone = () =>
    createOfferAction(props.csrf, props.id)
      .then(async (r) => (r.ok ? setOffer({ ...r.value, svg: await renderQrSvg(r.value.offerUri) }) : setMessage(r.message)))
      .catch(failed);
  return (
    <div>
      <div className="row">
        {props.status === "issued" ? (
          <button
            type="button"
            className="secondary"
            onClick={() => void offerToPhone()}
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
