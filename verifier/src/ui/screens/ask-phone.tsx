/**
 * "Ask a phone" (online): pick the question and the programme, show the OpenID4VP request as a QR,
 * wait for the answer through the issuer's relay (polling every 2 s until the request expires),
 * then show only what was asked. The answer is decrypted and checked on this device.
 */
import { describeBenefit } from "@haki/i18n/benefit";
import { QrCode } from "@haki/pwa/preact";
import { useEffect, useState } from "preact/hooks";
import type { VerifierDb } from "../../storage/db";
import type { PhonePreset, PhoneRequest, PhoneResult } from "../../verifier/ask-phone";
import type { Fetch } from "../../verifier/http";
import { useI18n } from "../i18n";
import { ResultHead } from "./result";
import { formatDay } from "../format";

const POLL_MS = 2_000;

type Step = { name: "choose"; failed?: string } | { name: "waiting"; request: PhoneRequest } | { name: "answer"; result: PhoneResult };

export function AskPhoneScreen(props: {
  db: VerifierDb;
  fetch: Fetch;
  online: boolean;
  programmes: { id: string; name: string }[];
  onDone: () => void;
}) {
  const { t, locale } = useI18n();
  const [preset, setPreset] = useState<PhonePreset>("enrolment");
  const [programmeId, setProgrammeId] = useState(props.programmes[0]?.id ?? "");
  // SD-JWT VC: the phone discloses only what the question names (VC-JWT cards show everything).
  const [onlyAsked, setOnlyAsked] = useState(false);
  const [step, setStep] = useState<Step>({ name: "choose" });
  const [now, setNow] = useState(Date.now());
  // Not a step of its own: leaving "waiting" would end the polling effect before the check finished.
  const [checking, setChecking] = useState(false);

  // Poll the relay while waiting; stop at expiry or when the screen goes.
  useEffect(() => {
    if (step.name !== "waiting") return;
    let alive = true;
    const { request } = step;
    const tick = async () => {
      if (!alive) return;
      setNow(Date.now());
      if (Date.now() >= request.expiresAt) return setStep({ name: "answer", result: { outcome: "red", reasonKey: "phone.reason.expired", details: {} } });
      try {
        const { pollPhoneAnswer, checkPhoneAnswer } = await import("../../verifier/ask-phone");
        const answer = await pollPhoneAnswer(request, props.fetch);
        if (!alive) return;
        if (answer) {
          setChecking(true);
          const result = await checkPhoneAnswer(answer, request, props.db, new Date());
          setChecking(false);
          if (alive) setStep({ name: "answer", result });
          return;
        }
      } catch {
        // A lost poll (a moment without network) is retried at the next tick.
      }
      if (alive) timer = setTimeout(() => void tick(), POLL_MS);
    };
    let timer = setTimeout(() => void tick(), POLL_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [step, props.db, props.fetch]);

  const ask = async () => {
    try {
      const { openPhoneRequest } = await import("../../verifier/ask-phone");
      setStep({ name: "waiting", request: await openPhoneRequest({ db: props.db, preset, programmeId, fetch: props.fetch, ...(onlyAsked ? { format: "dc+sd-jwt" as const } : {}) }) });
    } catch (e) {
      // The code (and HTTP status) for support and tests; the operator reads plain words.
      const err = e as { code?: string; status?: number; message?: string };
      setStep({ name: "choose", failed: [err.code ?? "ERR_UNKNOWN", err.status, err.message].filter(Boolean).join(" ") });
    }
  };

  if (step.name === "waiting" && checking) return <main class="screen">{t("phone.checking")}</main>;
  if (step.name === "waiting") {
    const left = Math.max(0, Math.round((step.request.expiresAt - now) / 1000));
    return (
      <main class="screen ask-phone" data-testid="ask-phone-qr">
        <p>{t("phone.scanThis")}</p>
        <QrCode text={step.request.crossDeviceUri} label={t("phone.scanThis")} />
        <p class="muted" role="status" data-testid="ask-phone-waiting">
          {t("phone.waiting", { seconds: left })}
        </p>
        <p class="small">
          <a href={step.request.sameDeviceUri} data-testid="ask-phone-link">
            {t("phone.linkLabel")}
          </a>
        </p>
        <div class="actions pinned">
          <button type="button" class="secondary" onClick={() => setStep({ name: "choose" })}>
            {t("phone.cancel")}
          </button>
        </div>
      </main>
    );
  }
  if (step.name === "answer") {
    const r = step.result;
    return (
      <main class={`result ${r.outcome}`} data-testid="ask-phone-result" data-outcome={r.outcome} data-reason={r.outcome === "red" ? r.reasonKey : undefined}>
        <ResultHead mark={r.outcome === "green" ? "✓" : "✕"} title={r.outcome === "green" ? t("phone.yes") : t("phone.no")} alert={r.outcome === "red"} />
        {r.outcome === "green" ? (
          <>
            {r.preset === "enrolment" ? (
              <p class="benefit" data-testid="ask-phone-answer">
                {t("phone.enrolledValid", { programme: r.programme })}
              </p>
            ) : (
              <>
                <p data-testid="ask-phone-answer">{t("phone.benefitFor", { name: r.name ?? "", programme: r.programme })}</p>
                <p class="benefit">{r.benefit ? describeBenefit(r.benefit, locale) : ""}</p>
              </>
            )}
            <p class="small">{t("phone.issuedBy", { issuer: r.issuer, date: formatDay(r.validUntil ?? "", locale) })}</p>
            <p class="small">{t("phone.noHandOver")}</p>
          </>
        ) : (
          <p class="reason" data-testid="reason">
            {t(r.reasonKey, r.details)}
          </p>
        )}
        <div class="actions">
          <div class="row">
            <button type="button" class="light" onClick={props.onDone}>
              {t("phone.done")}
            </button>
            <button type="button" class="light" onClick={() => setStep({ name: "choose" })}>
              {t("phone.again")}
            </button>
          </div>
        </div>
      </main>
    );
  }
  return (
    <main class="screen ask-phone">
      <h1>{t("phone.title")}</h1>
      <p class="muted">{t("phone.intro")}</p>
      <fieldset>
        <legend>{t("phone.question")}</legend>
        {(["enrolment", "benefit-and-name"] as const).map((p) => (
          <label class="choice" key={p}>
            <input type="radio" name="preset" value={p} checked={preset === p} data-testid={`preset-${p}`} onChange={() => setPreset(p)} />{" "}
            {p === "enrolment" ? t("phone.enrolment") : t("phone.benefitAndName")}
          </label>
        ))}
        <label class="choice">
          <input type="checkbox" checked={onlyAsked} data-testid="ask-phone-only-asked" onChange={(e) => setOnlyAsked((e.target as HTMLInputElement).checked)} /> {t("phone.onlyAsked")}
        </label>
      </fieldset>
      <label>
        {t("phone.programme")}
        <select value={programmeId} data-testid="ask-phone-programme" onChange={(e) => setProgrammeId((e.target as HTMLSelectElement).value)}>
          {props.programmes.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {!props.online && <p class="warn">{t("phone.offline")}</p>}
      {step.failed && (
        <p class="error" role="alert" data-testid="ask-phone-failed" data-code={step.failed}>
          {t("phone.failed")}
        </p>
      )}
      <div class="actions pinned">
        <button type="button" class="primary big" data-testid="ask-phone-show" disabled={!props.online || !programmeId} onClick={() => void ask()}>
          {t("phone.show")}
        </button>
      </div>
    </main>
  );
}
