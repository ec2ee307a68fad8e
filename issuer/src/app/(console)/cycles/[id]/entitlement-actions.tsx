"use client";
/**
 * Per-entitlement actions (cycle page and profile): make an OpenID4VCI offer (QR + link, PIN shown
 * once), suspend or reinstate with a reason, and revoke: revocation is final, so it is a red button
 * whose dialog says so and asks for the reason before anything changes.
 */
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { renderQrSvg } from "@haki/qr/render";
import { changeStatusAction, createOfferAction } from "@/app/actions";
import { OfferShown, ReasonDialog, useConsole } from "@/app/(console)/kit";

type Change = "suspend" | "reinstate" | "revoke";

export function EntitlementActions(props: { id: string; status: string; canOffer?: boolean; sdJwt?: boolean }) {
  const { csrf, t } = useConsole();
  const router = useRouter();
  const [offer, setOffer] = useState<{ offerUri: string; link: string; txCode?: string; svg: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [change, setChange] = useState<Change | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const failed = () => setMessage(t("errors.ERR_INTERNAL"));
  const open = (c: Change) => {
    setChange(c);
    setMessage(null);
    dialog.current?.showModal();
  };
  const apply = (reason: string) => {
    if (!change) return;
    changeStatusAction(csrf, { action: change, entitlementId: props.id, reason })
      .then((r) => {
        dialog.current?.close();
        if (r.ok) router.refresh();
        else setMessage(t(`errors.${r.code}`, { defaultValue: r.message }));
      })
      .catch(failed);
  };
  const offerToPhone = (format: "jwt_vc_json" | "dc+sd-jwt") =>
    createOfferAction(csrf, props.id, format)
      .then(async (r) => (r.ok ? setOffer({ ...r.value, svg: await renderQrSvg(r.value.offerUri) }) : setMessage(t(`errors.${r.code}`, { defaultValue: r.message }))))
      .catch(failed);
  return (
    <div>
      <div className="row">
        {props.status === "issued" && props.canOffer !== false ? (
          <button type="button" className="secondary" onClick={() => void offerToPhone("jwt_vc_json")}>
            {t("cycles.offer")}
          </button>
        ) : null}
        {props.status === "issued" && props.canOffer !== false && props.sdJwt ? (
          <button type="button" className="secondary" onClick={() => void offerToPhone("dc+sd-jwt")}>
            {t("cycles.offerSdJwt")}
          </button>
        ) : null}
        {props.status === "issued" ? (
          <button type="button" className="secondary" onClick={() => open("suspend")}>
            {t("cycles.suspend")}
          </button>
        ) : null}
        {props.status === "suspended" ? (
          <button type="button" className="secondary" onClick={() => open("reinstate")}>
            {t("cycles.reinstate")}
          </button>
        ) : null}
        {props.status === "issued" || props.status === "suspended" ? (
          <button type="button" className="danger" onClick={() => open("revoke")}>
            {t("cycles.revoke")}
          </button>
        ) : null}
      </div>
      <ReasonDialog dialog={dialog} t={t} title={change ? t(`status.title.${change}`) : ""} confirm={change ? t(`status.confirm.${change}`) : ""} danger={change === "revoke"} onReason={apply}>
        {change === "revoke" ? <p className="warning">{t("status.revokeFinal")}</p> : null}
        {change === "suspend" ? <p>{t("status.suspendNote")}</p> : null}
      </ReasonDialog>
      {offer ? (
        <div>
          <OfferShown offer={offer} t={t} />
        </div>
      ) : null}
      {message ? (
        <p className="error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
