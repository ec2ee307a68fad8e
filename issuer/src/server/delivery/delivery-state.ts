/**
 * How far an entitlement has reached its holder: by phone (offered, and until when; collected;
 * the offer expired unused) and on paper (printed when), and which bearer form is valid now. Both
 * may have happened (a card printed for a household that later collected it on a phone too); under
 * the programme's one-form rule only the phone is then valid.
 */

/** The phone side: null when no offer was ever made. */
export type PhoneDelivery = "collected" | "offered" | "expired" | null;

/**
 * The bearer form(s) valid now: the paper card, the phone, both (a programme keeping both forms,
 * or a phone that collected under it), or the phone while a new phone is to collect it (a lost
 * phone replaced: nothing valid is out there until it does). null: not issued or suspended.
 */
export type ActiveForm = "paper" | "phone" | "both" | "phonePending";

export interface DeliveryState {
  activeForm: ActiveForm | null;
  phone: PhoneDelivery;
  /** collected: when; offered: until when; expired: when it expired. */
  phoneAt: Date | null;
  printedAt: Date | null;
  /**
   * What the wallet last said about the card it collected (OpenID4VCI notifications):
   * credential_accepted, credential_deleted or credential_failure; null: nothing yet.
   */
  walletEvent: string | null;
}

/**
 * Which bearer form is valid: `bearerForm` is the form the office delivers in (paper from bulk
 * issuance; phone once a phone claimed it under the one-form rule, or while a lost phone is being
 * replaced); a holder on a paper-form entitlement is a phone that collected it beside the paper.
 *
 * @example
 * activeForm({ status: "issued", bearerForm: "phone", holderDid: "did:key:z6Mk..." }); // "phone"
 */
export function activeForm(e: { status: string; bearerForm: string; holderDid: string | null }): ActiveForm | null {
  if (e.status !== "issued" && e.status !== "suspended") return null;
  if (e.bearerForm === "phone") return e.holderDid ? "phone" : "phonePending";
  return e.holderDid ? "both" : "paper";
}

/**
 * The delivery state of an entitlement from its row and its latest offer.
 *
 * @example
 * deliveryState({ status: "issued", bearerForm: "paper", holderDid: null, printedAt: null }, { expiresAt, credentialIssuedAt: null }, now); // { activeForm: "paper", phone: "offered", phoneAt: expiresAt, printedAt: null, walletEvent: null }
 */
export function deliveryState(
  e: { status: string; bearerForm: string; holderDid: string | null; printedAt: Date | null },
  offer: { expiresAt: Date; credentialIssuedAt: Date | null; walletEvent?: string | null } | null | undefined,
  now: Date,
): DeliveryState {
  const base = { activeForm: activeForm(e), printedAt: e.printedAt, walletEvent: offer?.walletEvent ?? null };
  if (e.holderDid) return { ...base, phone: "collected", phoneAt: offer?.credentialIssuedAt ?? null };
  if (!offer) return { ...base, phone: null, phoneAt: null };
  if (offer.credentialIssuedAt) return { ...base, phone: "collected", phoneAt: offer.credentialIssuedAt };
  return { ...base, phone: offer.expiresAt > now ? "offered" : "expired", phoneAt: offer.expiresAt };
}
