/**
 * The proof shown at the counter: a presentation of one card, signed by the holder key with a
 * fresh creation time, packed into the compact QR payload of @haki/qr. It discloses the card (which
 * holds only what a service point needs: a pseudonymous reference, programme, round, benefit, area)
 * and the holder's proof, nothing else from the phone.
 */
import { signPresentation } from "@haki/credentials/presentation";
import { encodeProof, proofReferences } from "@haki/qr/codec";
import { isCounterCode } from "@haki/redemption/counter-code";
import type { WalletDb } from "../storage/db";
import type { Session } from "../storage/profiles";
import { putRecord } from "../storage/records";
import { loadHolderKey } from "./holder-key";
import type { HistoryEvent } from "./schemas";

/**
 * Signs a presentation of `jwt` and returns the QR payload text and its creation time. A counter
 * code the person typed (4 digits, shown on the verifier's scan screen) is signed in as the
 * presentation's nonce: the code then passes only at that counter (issue 12, relay).
 *
 * @example
 * const { payload, createdAt } = await createProof(db, session, stored.jwt, { counterCode: "0427" });
 * renderQr(payload);
 */
export async function createProof(
  db: WalletDb,
  session: Session,
  jwt: string,
  options: { now?: Date; counterCode?: string } = {},
): Promise<{ payload: string; createdAt: Date }> {
  const createdAt = options.now ?? new Date();
  const key = await loadHolderKey(db, session);
  if (options.counterCode !== undefined && !isCounterCode(options.counterCode)) throw new RangeError("A counter code is 4 digits");
  const vp = await signPresentation(jwt, { kid: key.kid, privateKey: key.privateKey }, {
    now: createdAt,
    // With a counter code, a 64-bit one-time id (instead of 96): the code's 3 bytes then fit in the
    // same QR version (12-M, issue 13). 64 random bits never repeat among one holder's codes of a
    // 2-minute window, and only the holder's key can sign one.
    ...(options.counterCode !== undefined ? { nonce: options.counterCode, id: oneTimeId() } : {}),
  });
  // Name the issuer, its key and the programme by short references: every service point that can
  // check this card has them in its trust bundle, and the QR code stays at version 12.
  return { payload: encodeProof(vp, proofReferences(jwt)), createdAt };
}

function oneTimeId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Notes in the profile's history that a card was shown.
 *
 * @example
 * await recordPresented(db, session, id, "Food support");
 */
export async function recordPresented(db: WalletDb, session: Session, credentialId: string, label?: string): Promise<void> {
  const at = new Date().toISOString();
  const event: HistoryEvent = { at, event: "presented", credentialId, ...(label ? { label } : {}) };
  await putRecord(db, session, "history", `${Date.parse(at)}-${crypto.randomUUID()}`, event);
}
