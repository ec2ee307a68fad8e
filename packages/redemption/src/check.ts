/**
 * The offline check: may this person receive this benefit, here, now?
 *
 * `checkProof` composes the credentials package (signature, trusted issuer, type, dates, status,
 * holder binding, presentation freshness and replay) with this device's policy: trust data not
 * too old, programme allowed at this service point, service point and area of the entitlement,
 * bare-card policy, and what is left of the entitlement on this device.
 */
import type { IdBinding } from "@haki/id-binding/model";
import type { SdJwtErrorCode, VerificationErrorCode } from "@haki/credentials/errors";
import type { Benefit, RedemptionMode } from "@haki/credentials/model";
import {
  verifyPresentation,
  type PresentationVerificationResult,
} from "@haki/credentials/presentation";
import type { TrustList } from "@haki/credentials/trust";
import { verifyCredential, type VerificationResult } from "@haki/credentials/verify";
import { createStatusLookup, type StatusListCache } from "@haki/status-list";
import { reasonKey, type RejectionCode } from "./codes";
import { available } from "./ledger";
import { entitlementKey } from "./receipts";
import type { OperatorSettings } from "./settings";
import type { BalanceStore, SeenIdsStore } from "./stores";
import { withMaxAge } from "./status";
import { programmeName, trustListFromBundle, type StoredTrustBundle } from "./trust-bundle";

/** A scanned proof after QR decoding (`@haki/qr` `decodeProof`). */
export interface DecodedProof {
  kind: "credential" | "presentation";
  jwt: string;
}

/** What the device knows when it checks. Build it once per refresh; it is cheap to reuse. */
export interface CheckContext {
  now: Date;
  /** The trust bundle held, or undefined when the device was never enrolled. */
  trust: StoredTrustBundle | undefined;
  /** This device's service point id. */
  servicePointId: string | undefined;
  statusLists: readonly StatusListCache[];
  settings: OperatorSettings;
  seen: SeenIdsStore;
  balances: BalanceStore;
  /** For the programme name shown (default "en"). */
  locale?: string;
  /**
   * The counter codes this device accepts now (`counterCodes(secret, now).accepted`): a phone's
   * code that carries another code is refused. Absent: this device shows no code, so any code is
   * another counter's.
   */
  counterCodes?: readonly string[];
}

export interface GreenDecision {
  outcome: "green";
  /** The person may receive this. */
  benefit: Benefit;
  redemption: RedemptionMode;
  /** Still available on this device (the full amount when nothing was handed over here). */
  available: number;
  /** For the visual check; absent when the card carries no name. */
  displayName?: string;
  /** True for a paper card with no holder key: compare the name with the person (or an ID). */
  visualCheck: boolean;
  beneficiary: string;
  programme: { id: string; name: string };
  cycle: string;
  issuer: { did: string; name: string };
  entitlement: string;
  credentialId?: string;
  validUntil: Date;
  /** The presentation's one-time id, already recorded as seen. */
  presentationId?: string;
  /**
   * Set when the answer rests on data older than the operator's limits (trust bundle or a status
   * list used for this card) and the operator chose to warn: show "the lists on this device are
   * `days` days old (updated `updated`)". A cancellation made since may not be known here.
   */
  outdated?: { days: number; updated: string };
  /**
   * Set when a paper card (no holder proof) is bound to its holder's national ID
   * (`credentialSubject.idBinding`, signed by the issuer): the binding, and what the programme decided for the card shown without a matching
   * ID card (from the trust bundle; `refuse` when the bundle does not say). The hand-over then waits
   * for the ID card check (`@haki/id-binding/counter`).
   */
  idBinding?: { binding: IdBinding; rule: "refuse" | "visual-check" };
}

export interface RedDecision {
  outcome: "red";
  code: RejectionCode;
  /** i18n key (namespace verifier) of the plain-words reason. */
  reasonKey: `reason.${RejectionCode}`;
  /** Values for the reason's placeholders (dates as YYYY-MM-DD, names). */
  details: Record<string, string>;
  /** Known when the card was read far enough to say whose it is. */
  displayName?: string;
}

export type Decision = GreenDecision | RedDecision;

/**
 * The credentials package's codes, in this app's words. ERR_MALFORMED / SCHEMA / ALG all mean
 * "cannot read this as a Haki card". NONCE_MISMATCH only happens with a challenge; the person's
 * fix is the one for a stale code (show a fresh one).
 */
const FROM_CREDENTIALS: Record<VerificationErrorCode, RejectionCode> = {
  ERR_MALFORMED: "ERR_PROOF_MALFORMED",
  ERR_ALG_UNSUPPORTED: "ERR_SIGNATURE_INVALID",
  ERR_ISSUER_UNTRUSTED: "ERR_ISSUER_UNTRUSTED",
  ERR_SIGNATURE_INVALID: "ERR_SIGNATURE_INVALID",
  ERR_WRONG_TYPE: "ERR_NOT_AN_ENTITLEMENT",
  ERR_SCHEMA_VIOLATION: "ERR_NOT_AN_ENTITLEMENT",
  ERR_NOT_YET_VALID: "ERR_CREDENTIAL_NOT_YET_VALID",
  ERR_EXPIRED: "ERR_CREDENTIAL_EXPIRED",
  ERR_REVOKED: "ERR_CREDENTIAL_REVOKED",
  ERR_SUSPENDED: "ERR_CREDENTIAL_SUSPENDED",
  ERR_STATUS_UNAVAILABLE: "ERR_STATUS_UNKNOWN",
  ERR_HOLDER_BINDING: "ERR_HOLDER_MISMATCH",
  ERR_HOLDER_PROOF_REQUIRED: "ERR_LIVE_PROOF_REQUIRED",
  ERR_PRESENTATION_STALE: "ERR_PRESENTATION_STALE",
  ERR_PRESENTATION_REPLAYED: "ERR_PRESENTATION_REPLAYED",
  ERR_NONCE_MISMATCH: "ERR_PRESENTATION_STALE",
};

/** SD-JWT VC's own codes (a card answered over OpenID4VP): a changed disclosure is a changed card; a missing or wrong KB-JWT means the phone did not prove the card is its own. */
const FROM_SD_JWT: Record<SdJwtErrorCode, RejectionCode> = {
  ERR_DISCLOSURE_INVALID: "ERR_SIGNATURE_INVALID",
  ERR_KEY_BINDING_MISSING: "ERR_HOLDER_MISMATCH",
  ERR_KEY_BINDING_INVALID: "ERR_HOLDER_MISMATCH",
};

function red(
  code: RejectionCode,
  details: Record<string, string> = {},
  displayName?: string,
): RedDecision {
  const d: RedDecision = {
    outcome: "red",
    code,
    reasonKey: reasonKey(code) as RedDecision["reasonKey"],
    details,
  };
  if (displayName !== undefined) d.displayName = displayName;
  return d;
}

const trustCache = new WeakMap<StoredTrustBundle, TrustList>();
function trustOf(stored: StoredTrustBundle): TrustList {
  let t = trustCache.get(stored);
  if (!t) {
    t = trustListFromBundle(stored.bundle);
    trustCache.set(stored, t);
  }
  return t;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** The warning for a green answer that rests on data older than the operator's limits. */
function outdatedWarning(
  now: Date,
  settings: OperatorSettings,
  trustFetchedAt: number,
  used: readonly StatusListCache[],
): GreenDecision["outdated"] {
  const old: number[] = [];
  if (now.getTime() - trustFetchedAt > settings.maxTrustAgeHours * 3_600_000)
    old.push(trustFetchedAt);
  for (const l of used) {
    const at = l.fetchedAt.getTime();
    if (now.getTime() - at > settings.maxStatusAgeHours * 3_600_000) old.push(at);
  }
  if (old.length === 0) return undefined;
  const oldest = Math.min(...old);
  return {
    days: Math.floor((now.getTime() - oldest) / 86_400_000),
    updated: day(new Date(oldest)),
  };
}

/**
 * Issue 12, relay: a phone's code made for this counter carries one of its current codes; one made
 * for another counter (a photo carried there) carries another; one with none is refused only if
 * the operator requires the code.
 */
function counterCodeRefusal(code: string | undefined, context: CheckContext): RejectionCode | undefined {
  if (code === undefined) return context.settings.requireCounterCode ? "ERR_COUNTER_CODE_REQUIRED" : undefined;
  return context.counterCodes?.includes(code) ? undefined : "ERR_COUNTER_CODE_MISMATCH";
}

/**
 * The counter's rejection code for a credential verification failure (the same mapping a scanned
 * proof gets), e.g. for a card verified through OpenID4VP.
 *
 * @example
 * rejectionForCredentialCode("ERR_REVOKED"); // "ERR_CREDENTIAL_REVOKED"
 * rejectionForCredentialCode("ERR_KEY_BINDING_MISSING"); // "ERR_HOLDER_MISMATCH"
 */
export function rejectionForCredentialCode(code: VerificationErrorCode | SdJwtErrorCode): RejectionCode {
  return code in FROM_SD_JWT ? FROM_SD_JWT[code as SdJwtErrorCode] : FROM_CREDENTIALS[code as VerificationErrorCode];
}

/**
 * Checks a scanned proof with no network and answers green (with what may be handed over) or red
 * (with a stable code and the i18n key of a plain-words reason). A green answer to a presentation
 * records its one-time id, so showing the same code again is refused.
 *
 * @example
 * const decision = await checkProof(decodeProof(qrText), { now: new Date(), trust, servicePointId,
 *   statusLists, settings, seen: store, balances: store, locale: "sw" });
 * if (decision.outcome === "red") show(t(decision.reasonKey, decision.details));
 */
export async function checkProof(decoded: DecodedProof, context: CheckContext): Promise<Decision> {
  const { now, trust: stored, settings } = context;
  if (!stored || !context.servicePointId) return red("ERR_NOT_ENROLLED");
  const servicePoint = stored.bundle.servicePoints.find((s) => s.id === context.servicePointId);
  if (!servicePoint) return red("ERR_NOT_ENROLLED", { servicePoint: context.servicePointId });
  // Old data: refused, or used with a warning, as the operator chose. Either way a list past its
  // own validUntil (the programme's offline tolerance) is never used: createStatusLookup drops it.
  const refuseOld = settings.whenOutdated === "refuse";
  const trustOld = now.getTime() - stored.fetchedAt > settings.maxTrustAgeHours * 3_600_000;
  if (trustOld && refuseOld) {
    return red("ERR_TRUST_STALE", { updated: day(new Date(stored.fetchedAt)) });
  }

  const lists = refuseOld
    ? withMaxAge(context.statusLists, settings.maxStatusAgeHours)
    : context.statusLists;
  const used: StatusListCache[] = [];
  const status = createStatusLookup(lists, { now: () => now, onUse: (l) => used.push(l) });
  const trust = trustOf(stored);
  const common = {
    now,
    status,
    requireStatus: true,
    clockToleranceSeconds: settings.clockSkewSeconds,
  };

  let result: PresentationVerificationResult | VerificationResult;
  if (decoded.kind === "presentation") {
    // Replays are checked after the credential itself (below), not inside verifyPresentation: a
    // code shown again after its card was cancelled must say "cancelled", the reason that lasts.
    result = await verifyPresentation(decoded.jwt, trust, {
      ...common,
      maxAgeSeconds: settings.presentationWindowSeconds,
    });
  } else {
    result = await verifyCredential(decoded.jwt, trust, { ...common, requireHolderProof: true });
  }

  if (!result.valid) {
    let code = FROM_CREDENTIALS[result.code];
    const details: Record<string, string> = { ...result.details };
    if (code === "ERR_STATUS_UNKNOWN") {
      // Tell "never fetched" from "fetched but too old": the operator's fix differs (enrol vs. connect).
      const url = details.list;
      const held = context.statusLists.find((l) => l.url === url);
      if (held) {
        code = "ERR_STATUS_STALE";
        details.updated = day(held.fetchedAt);
      }
    }
    return red(code, details);
  }

  const subject = result.subject;
  const displayName = subject.name;
  if ("presentation" in result && (await context.seen.hasSeen(result.presentation.id))) {
    return red("ERR_PRESENTATION_REPLAYED", { id: result.presentation.id }, displayName);
  }
  if ("presentation" in result) {
    const refused = counterCodeRefusal(result.presentation.nonce, context);
    if (refused) return red(refused, {}, displayName);
  }
  const programmeId = subject.programme.id;
  if (!servicePoint.programmes.includes(programmeId)) {
    return red("ERR_PROGRAMME_NOT_ALLOWED", { programme: subject.programme.name }, displayName);
  }
  if (subject.servicePoints && !subject.servicePoints.includes(servicePoint.id)) {
    return red("ERR_SERVICE_POINT_NOT_ALLOWED", { servicePoint: servicePoint.name }, displayName);
  }
  // An entitlement tied to an area may be honoured in that area, or at a point it names explicitly.
  if (
    subject.area &&
    subject.area !== servicePoint.area &&
    !subject.servicePoints?.includes(servicePoint.id)
  ) {
    return red("ERR_AREA_NOT_ALLOWED", { area: subject.area }, displayName);
  }

  const key = entitlementKey({
    issuer: result.issuer.did,
    programme: programmeId,
    cycle: subject.cycle,
    beneficiary: subject.beneficiary,
  });
  const balance = await context.balances.getBalance(key);
  const left = available({ benefit: subject.benefit, redemption: subject.redemption }, balance);
  if (left <= 0) {
    const last = balance ? day(new Date(balance.updatedAt * 1000)) : "";
    return red(
      subject.redemption === "single" ? "ERR_ALREADY_REDEEMED" : "ERR_BALANCE_USED_UP",
      { date: last },
      displayName,
    );
  }

  let presentationId: string | undefined;
  if ("presentation" in result) {
    presentationId = result.presentation.id;
    // Kept a little beyond the window: after that the code is refused as stale anyway.
    const keepUntil =
      result.presentation.createdAt.getTime() +
      (settings.presentationWindowSeconds + 2 * settings.clockSkewSeconds) * 1000;
    if (!(await context.seen.markSeen(presentationId, keepUntil)))
      return red("ERR_PRESENTATION_REPLAYED", { id: presentationId }, displayName);
  }

  const green: GreenDecision = {
    outcome: "green",
    benefit: subject.benefit,
    redemption: subject.redemption,
    available: left,
    visualCheck: result.holderBinding === "none",
    beneficiary: subject.beneficiary,
    programme: {
      id: programmeId,
      name:
        programmeName(stored.bundle, programmeId, context.locale ?? "en") ?? subject.programme.name,
    },
    cycle: subject.cycle,
    issuer: result.issuer,
    entitlement: key,
    validUntil: result.validUntil,
  };
  if (displayName !== undefined) green.displayName = displayName;
  if (result.payload.jti !== undefined) green.credentialId = result.payload.jti;
  if (presentationId !== undefined) green.presentationId = presentationId;
  // A phone card proves its holder with the holder's key; the ID card check is for paper cards.
  if (subject.idBinding && green.visualCheck) {
    const rule = stored.bundle.programmes.find((p) => p.id === programmeId)?.idBinding ?? "refuse";
    green.idBinding = { binding: subject.idBinding, rule };
  }
  const outdated = outdatedWarning(now, settings, stored.fetchedAt, used);
  if (outdated) green.outdated = outdated;
  return green;
}
