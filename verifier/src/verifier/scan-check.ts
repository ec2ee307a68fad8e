import { decodeReferences } from "@haki/qr/codec";
import { identifyQr } from "@haki/qr/identify";
import { checkProof, type CheckContext, type Decision } from "@haki/redemption/check";
import { reasonKey, type RejectionCode } from "@haki/redemption/codes";
import { counterCodes } from "@haki/redemption/counter-code";
import { decodeJwt } from "jose";
import type { VerifierDb } from "../storage/db";
import { checkIdentityText, type IdentityCheck } from "./identity";

function red(code: RejectionCode): Decision {
  return {
    outcome: "red",
    code,
    reasonKey: reasonKey(code) as `reason.${RejectionCode}`,
    details: {},
  };
}

/**
 * From the text of a scanned QR code to the answer. A Haki QR proof is decoded and checked; a
 * Haki credential or presentation carried as a plain JWT is checked as it is; a credential from
 * another system (another issuer's VC-JWT, MOSIP PixelPass) is "not an entitlement"; anything
 * else, or a damaged code, is "not readable". Never throws.
 *
 * @example
 * const decision = await checkScannedText(text, context);
 */
export async function checkScannedText(text: string, context: CheckContext): Promise<Decision> {
  // Proofs name their issuer, its key and the programme by references into this trust bundle.
  const bundle = context.trust?.bundle;
  const seen = identifyQr(text.trim(), bundle ? decodeReferences(bundle.issuers, bundle.programmes) : {});
  switch (seen.kind) {
    case "haki":
      if ("proof" in seen)
        return checkProof({ kind: seen.proof.kind, jwt: seen.proof.jwt }, context);
      return red(
        seen.error.code === "ERR_QR_UNKNOWN_ISSUER"
          ? "ERR_ISSUER_UNTRUSTED"
          : "ERR_PROOF_MALFORMED",
      );
    case "vc-jwt": {
      if (!seen.verifiable) return red("ERR_NOT_AN_ENTITLEMENT");
      const kind = "vp" in decodeJwt(seen.jwt) ? "presentation" : "credential";
      return checkProof({ kind, jwt: seen.jwt }, context);
    }
    case "pixelpass":
      return red("ERR_NOT_AN_ENTITLEMENT");
    default:
      return red("ERR_PROOF_MALFORMED");
  }
}

/** What a scan answers: a benefit card's decision, or a national ID card's check. */
export type ScanAnswer = { kind: "card"; decision: Decision } | { kind: "identity"; identity: IdentityCheck };

/**
 * From the text of a scanned QR code to the answer: a national ID card's QR (Claim 169) is checked
 * against the bundle's ID authorities for a visual check; anything else goes to `checkScannedText`.
 * Never throws.
 *
 * @example
 * const answer = await checkScan(text, context);
 * if (answer.kind === "identity") show(answer.identity);
 */
export async function checkScan(text: string, context: CheckContext): Promise<ScanAnswer> {
  if (identifyQr(text.trim()).kind === "claim169") {
    return { kind: "identity", identity: await checkIdentityText(text, context.trust?.bundle, context.now) };
  }
  return { kind: "card", decision: await checkScannedText(text, context) };
}

/**
 * What a check needs, read from the device's storage at the moment of the check (not from what a
 * screen loaded earlier): a status list or trust bundle stored a moment ago, by "Update now" or a
 * background refresh, is the one the next scan uses.
 *
 * @example
 * const decision = await checkScannedText(text, await readCheckContext(db, new Date()));
 */
export async function readCheckContext(db: VerifierDb, now: Date): Promise<CheckContext> {
  const [enrolment, trust, statusLists, settings, secret] = await Promise.all([db.getEnrolment(), db.getTrust(), db.getStatusLists(), db.getSettings(), db.getCounterSecret()]);
  const { accepted } = await counterCodes(secret, now);
  return { now, trust, servicePointId: enrolment?.servicePoint, statusLists, settings, seen: db, balances: db, locale: settings.locale, counterCodes: accepted };
}
