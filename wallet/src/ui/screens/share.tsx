/**
 * Answering a service's request (OpenID4VP): scan its QR or open its link, see who asks and how
 * the phone knows it, see exactly what would be shared (what was asked, and what the card cannot
 * hide), tick what you agree to, then Share or Do not share. Anything disclosed that was not
 * ticked stops the answer: nothing is sent.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { PresentationPlan } from "@haki/openid4vp/wallet";
import type { ClaimPath } from "@haki/openid4vp/formats";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import { decodeEntitlement } from "../../wallet/cards";
import type { ClaimGroup } from "../../wallet/share";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import { ErrorLine } from "../form";
import { BigButton, Icon } from "../icons";
import { InnerScreen } from "../screen-header";
import { ScanOrPaste } from "../scan-or-paste";

const loadShare = () => import("../../wallet/share");

/** The disclosed claims grouped in plain words, asked ones first. */
interface Grouped {
  group: ClaimGroup;
  asked: boolean;
  paths: ClaimPath[];
}

function groupPlan(plan: PresentationPlan, claimGroup: (p: ClaimPath) => ClaimGroup): Grouped[] {
  const groups = new Map<ClaimGroup, Grouped>();
  for (const c of plan.credentials) {
    const beyond = new Set(c.beyondRequest.map((b) => JSON.stringify(b.path)));
    for (const d of c.disclosed) {
      const group = claimGroup(d.path);
      const g = groups.get(group) ?? { group, asked: false, paths: [] };
      g.paths.push(d.path);
      if (!beyond.has(JSON.stringify(d.path))) g.asked = true;
      groups.set(group, g);
    }
  }
  return [...groups.values()].sort((a, b) => Number(b.asked) - Number(a.asked));
}

/** The error (in plain words) and what is happening now, above the buttons. */
function Notices(props: { error: string | undefined; busy: string | undefined }): JSX.Element {
  return (
    <>
      {props.error && (
        <ErrorLine testId="share-error">{props.error}</ErrorLine>
      )}
      {props.busy && (
        <p class="alert" role="status">
          {props.busy}
        </p>
      )}
    </>
  );
}

export function Share(props: { db: WalletDb; session: Session; initialRequest?: string | undefined; onDone: (message: string) => void; onBack: () => void }): JSX.Element {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [plan, setPlan] = useState<{ plan: PresentationPlan; groups: Grouped[] }>();
  const [agreed, setAgreed] = useState<Set<ClaimGroup>>(new Set());

  const read = async (value: string) => {
    setError(undefined);
    setPlan(undefined);
    setBusy(t("share.reading"));
    try {
      const mod = await loadShare();
      const p = await mod.planShare(props.db, props.session, value);
      const groups = groupPlan(p, mod.claimGroup);
      setPlan({ plan: p, groups });
      // What was asked starts ticked; what the card cannot hide must be ticked by the person.
      setAgreed(new Set(groups.filter((g) => g.asked).map((g) => g.group)));
    } catch (e) {
      setError(errorText(e, t));
    }
    setBusy(undefined);
  };

  useEffect(() => {
    if (props.initialRequest) void read(props.initialRequest);
  }, []);

  const share = async () => {
    if (!plan) return;
    setError(undefined);
    setBusy(t("share.sending"));
    try {
      const mod = await loadShare();
      const paths = plan.groups.filter((g) => agreed.has(g.group)).flatMap((g) => g.paths);
      await mod.shareAnswer(props.db, props.session, plan.plan, { agreed: paths });
      const v = plan.plan.request.verifier;
      props.onDone(t("share.sent", { name: v.knownAs ?? v.name ?? v.responseHost }));
    } catch (e) {
      setError(errorText(e, t));
      setBusy(undefined);
    }
  };

  const decline = async () => {
    if (!plan) return;
    setBusy(t("share.sending"));
    try {
      const mod = await loadShare();
      await mod.declineShare(plan.plan.request);
    } catch {
      // Saying no needs no answer from the service: nothing was shared either way.
    }
    props.onDone(t("share.declined"));
  };

  const cards = useMemo(
    () =>
      plan?.plan.credentials.map((c) => {
        const payload = decodeEntitlement(c.credential.credential);
        return payload?.vc.credentialSubject.programme.name ?? c.credential.id;
      }) ?? [],
    [plan],
  );

  if (plan) {
    const v = plan.plan.request.verifier;
    const asked = plan.groups.filter((g) => g.asked);
    const extra = plan.groups.filter((g) => !g.asked);
    const box = (g: Grouped) => (
      <li key={g.group}>
        <label class="check">
          <input
            type="checkbox"
            name={`agree-${g.group}`}
            data-testid={`agree-${g.group}`}
            checked={agreed.has(g.group)}
            onChange={(e) => {
              const next = new Set(agreed);
              if (e.currentTarget.checked) next.add(g.group);
              else next.delete(g.group);
              setAgreed(next);
            }}
          />{" "}
          {t(`share.claim.${g.group}`)}
        </label>
      </li>
    );
    return (
      <InnerScreen icon="open" title={t("share.title")} onBack={props.onBack} testId="share-consent">
        <div class="panel" data-testid="share-who">
          <h2>{t("share.who")}</h2>
          <p>
            <strong>{v.knownAs ? t("share.known", { name: v.knownAs }) : v.name ? t("share.says", { name: v.name }) : t("share.noName")}</strong>
          </p>
          <p class="help" data-testid="share-authentication" data-authentication={v.authentication}>
            {v.authentication === "signed-by-did" ? t("share.signed") : v.authentication === "pre-registered" ? t("share.preRegistered") : t("share.unsigned")}
          </p>
          <p class="help" dir="auto">
            {t("share.goesTo", { host: v.responseHost })} {v.encrypted ? t("share.encrypted") : t("share.notEncrypted")}
          </p>
        </div>
        {cards.map((c) => (
          <p key={c}>{t("share.fromCard", { card: c })}</p>
        ))}
        <h2>{t("share.asks")}</h2>
        <ul class="plain" data-testid="share-asked">
          {asked.map(box)}
        </ul>
        {extra.length > 0 && (
          <>
            <p class="alert">
              <Icon name="warn" /> {t("share.alsoShown")}
            </p>
            <ul class="plain" data-testid="share-extra">
              {extra.map(box)}
            </ul>
          </>
        )}
        <Notices error={error} busy={busy} />
        <BigButton icon="check" primary testId="share-send" disabled={!!busy} onClick={() => void share()}>
          {t("share.share")}
        </BigButton>
        <BigButton icon="cross" testId="share-decline" disabled={!!busy} onClick={() => void decline()}>
          {t("share.decline")}
        </BigButton>
      </InnerScreen>
    );
  }

  return (
    <InnerScreen icon="open" title={t("share.title")} onBack={props.onBack}>
      <Notices error={error} busy={busy} />
      <ScanOrPaste
        words={{ scan: "share.scan", scanHelp: "share.scanHelp", stopScan: "share.stopScan", link: "share.link", go: "share.go" }}
        name="request"
        placeholder="openid4vp://…"
        initial={props.initialRequest}
        busy={!!busy}
        testId="share-scan"
        onText={(v) => void read(v)}
        onCameraError={() => setError(t("receive.noCamera"))}
      />
    </InnerScreen>
  );
}
