/**
 * How far an entitlement has reached its holder: by phone (offered, and until when; collected;
 * the offer expired unused) and on paper (printed when). Both may hold: a card printed for a
 * household that later collected it on a phone too.
 */

/** The phone side: null when no offer was ever made. */
export type PhoneDelivery = "collected" | "offered" | "expired" | null;

export interface DeliveryState {
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
 * The delivery state of an entitlement from its row and its latest offer.
 *
 * @example
 * deliveryState({ holderDid: null, printedAt: null }, { expiresAt, credentialIssuedAt: null }, now); // { phone: "offered", phoneAt: expiresAt, printedAt: null, walletEvent: null }
 */
export function deliveryState(
  e: { holderDid: string | null; printedAt: Date | null },
  offer: { expiresAt: Date; credentialIssuedAt: Date | null; walletEvent?: string | null } | null | undefined,
  now: Date,
): DeliveryState {
  const printedAt = e.printedAt;
  const walletEvent = offer?.walletEvent ?? null;
  if (e.holderDid) return { phone: "collected", phoneAt: offer?.credentialIssuedAt ?? null, printedAt, walletEvent };
  if (!offer) return { phone: null, phoneAt: null, printedAt, walletEvent };
  if (offer.credentialIssuedAt) return { phone: "collected", phoneAt: offer.credentialIssuedAt, printedAt, walletEvent };
  return { phone: offer.expiresAt > now ? "offered" : "expired", phoneAt: offer.expiresAt, printedAt, walletEvent };
}
