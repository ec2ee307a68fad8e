/**
 * Plain words around a red answer that the check itself cannot know: a code shown again after a
 * scan without a hand-over ("ask for a new code", not "already used"), the place name of an area,
 * and whom the person should contact about a cancelled or suspended card (the programme's contact
 * in the trust bundle). Reads only what the device holds; never throws.
 */
import { decodeReferences, type DecodeProofOptions } from "@haki/qr/codec";
import { identifyQr } from "@haki/qr/identify";
import type { Decision, RedDecision } from "@haki/redemption/check";
import { areaName, type StoredTrustBundle } from "@haki/redemption/trust-bundle";
import { decodeJwt } from "jose";
import type { VerifierDb } from "../storage/db";

const VC_JWT_DATA_URL = "data:application/vc+jwt,";

/**
 * The programme id a scanned code names, read without checking it (the check did that).
 *
 * @example
 * programmeOfScan(qrText, decodeReferences(bundle.issuers, bundle.programmes)); // "food-2027"
 */
export function programmeOfScan(text: string, references: DecodeProofOptions): string | undefined {
  try {
    const seen = identifyQr(text.trim(), references);
    const jwt = seen.kind === "haki" && "proof" in seen ? seen.proof.jwt : seen.kind === "vc-jwt" ? seen.jwt : undefined;
    if (!jwt) return undefined;
    // VC 1.1 (`vp` / `vc` claims, the credential a string) or VC 2.0 (`vp+jwt` / `vc+jwt`: the
    // claims at the top, the credential enveloped in a data: URL).
    type Subject = { programme?: { id?: unknown } };
    type Claims = { vp?: { verifiableCredential?: unknown[] }; verifiableCredential?: unknown[]; vc?: { credentialSubject?: Subject }; credentialSubject?: Subject };
    let payload = decodeJwt(jwt) as Claims;
    const inner = (payload.vp?.verifiableCredential ?? payload.verifiableCredential)?.[0];
    const enveloped = (inner as { id?: unknown } | undefined)?.id;
    const innerJwt = typeof inner === "string" ? inner : typeof enveloped === "string" && enveloped.startsWith(VC_JWT_DATA_URL) ? enveloped.slice(VC_JWT_DATA_URL.length) : undefined;
    if (innerJwt) payload = decodeJwt(innerJwt) as Claims;
    const id = (payload.vc?.credentialSubject ?? payload.credentialSubject)?.programme?.id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The decision with the extra details its words need (`context`, a place name, `contact`).
 *
 * @example
 * const shown = await explainDecision(decision, qrText, { db, trust });
 */
export async function explainDecision(decision: Decision, text: string, held: { db: VerifierDb; trust: StoredTrustBundle | undefined }): Promise<Decision> {
  if (decision.outcome === "green") return decision;
  const details: RedDecision["details"] = { ...decision.details };
  try {
    if (decision.code === "ERR_PRESENTATION_REPLAYED" && details.id) {
      const note = await held.db.noteForPresentation(details.id);
      // i18next picks reason.ERR_PRESENTATION_REPLAYED_handed or _scanned by this context.
      details.context = note ? "handed" : "scanned";
    }
  } catch {
    details.context = "scanned";
  }
  const bundle = held.trust?.bundle;
  if (bundle && details.area) details.area = areaName(bundle, details.area);
  if (bundle && (decision.code === "ERR_CREDENTIAL_REVOKED" || decision.code === "ERR_CREDENTIAL_SUSPENDED")) {
    const programme = programmeOfScan(text, decodeReferences(bundle.issuers, bundle.programmes));
    const contact = bundle.programmes.find((p) => p.id === programme)?.contact;
    if (contact) details.contact = contact;
  }
  return { ...decision, details };
}
