/**
 * Receiving a card: OpenID4VCI pre-authorised flow (@haki/openid4vci/client), proof of possession
 * signed by the profile's holder key, and verification of the credential against its issuer before
 * anything is stored. Loaded on demand, so the protocol libraries stay out of the first load.
 */
import { didWebUrl, publicJwkFromDid } from "@haki/credentials/did";
import { verifySdJwtVc } from "@haki/credentials/sd-jwt";
import { TrustList, type TrustListInput } from "@haki/credentials/trust";
import { verifyCredential, type VerificationResult } from "@haki/credentials/verify";
import {
  notifyIssuer,
  parseCredentialOfferUri,
  receiveCredential,
  summarizeOffer,
  type CredentialOfferObject,
  type OfferSummary,
} from "@haki/openid4vci/client";
import { ReceiveError } from "@haki/openid4vci/errors";
import { allowInsecureUrls } from "@haki/openid4vci/metadata";
import { z } from "zod";
import type { WalletDb } from "../storage/db";
import type { Session } from "../storage/profiles";
import { deleteRecord, getRecord, listRecords, putRecord, putRecords } from "../storage/records";
import { decodeEntitlement } from "./cards";
import { CardRejectedError, IssuerNotTrustedError, IssuerUnreachableError } from "./errors";
import { loadHolderKey } from "./holder-key";
import { StoredCredential, type HistoryEvent, type WalletNotificationEvent } from "./schemas";

export { ReceiveError };
export type { CredentialOfferObject, OfferSummary };

/**
 * Reads an offer from scanned text or an opened link.
 *
 * @example
 * const { offer, summary } = await readOffer(text);
 * if (summary.txCode) askForCode(summary.txCode.length);
 */
export async function readOffer(text: string, fetchImpl: typeof fetch = fetch.bind(globalThis)): Promise<{ offer: CredentialOfferObject; summary: OfferSummary }> {
  // Plain http only for an issuer on this machine (development and the browser tests).
  allowInsecureUrls(offerIssuerIsLoopback(text));
  const offer = await parseCredentialOfferUri(text, { fetch: fetchImpl });
  return { offer, summary: summarizeOffer(offer) };
}

const DidDocument = z.object({
  id: z.string(),
  verificationMethod: z
    .array(z.object({ id: z.string(), publicKeyJwk: z.object({ kty: z.string(), crv: z.string(), x: z.string() }).optional() }))
    .default([]),
});

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

/** Whether an offer passed by value names a credential issuer on this machine. */
export function offerIssuerIsLoopback(text: string): boolean {
  try {
    const query = text.trim().replace("#credential_offer", "?credential_offer");
    const raw = new URLSearchParams(query.slice(query.indexOf("?") + 1)).get("credential_offer");
    const issuer = raw ? (JSON.parse(raw) as { credential_issuer?: unknown }).credential_issuer : undefined;
    return typeof issuer === "string" && isLoopback(issuer);
  } catch {
    return false;
  }
}

/**
 * Which issuer to trust for a credential that came from `credentialIssuer`: a did:web issuer must
 * live on the same host as the offer's credential issuer, and its keys are read from its DID
 * document there; a did:key issuer (self-certifying, used for local testing) only from a loopback
 * issuer. The programme office hands out the offer, so the host is what the person was told to use.
 * Throws `IssuerNotTrustedError` or `IssuerUnreachableError`.
 *
 * @example
 * const trust = await trustForIssuer(payload.iss, "https://issuer.example.org", fetch);
 */
export async function trustForIssuer(iss: string, credentialIssuer: string, fetchImpl: typeof fetch): Promise<TrustList> {
  const name = new URL(credentialIssuer).host;
  if (iss.startsWith("did:key:")) {
    if (!isLoopback(credentialIssuer)) throw new IssuerNotTrustedError("did:key issuers are accepted only for local testing");
    return TrustList.parse({ issuers: [{ did: iss, name }], updatedAt: new Date().toISOString() } satisfies TrustListInput);
  }
  let url = didWebUrl(iss);
  if (new URL(url).host !== name) throw new IssuerNotTrustedError("the credential's issuer is not the host that offered it");
  // did:web means https, but an issuer on this machine (the demo, `npm start`) serves plain http.
  if (isLoopback(credentialIssuer) && new URL(credentialIssuer).protocol === "http:") url = url.replace(/^https:/, "http:");
  let res: Response;
  try {
    res = await fetchImpl(url, { headers: { accept: "application/did+json, application/json" } });
  } catch (cause) {
    throw new IssuerUnreachableError("DID document: no answer", { cause });
  }
  if (!res.ok) throw new IssuerUnreachableError(`DID document: HTTP ${res.status}`);
  const doc = DidDocument.safeParse(await res.json().catch(() => undefined));
  if (!doc.success) throw new IssuerNotTrustedError("DID document is not one", { cause: doc.error });
  if (doc.data.id !== iss) throw new IssuerNotTrustedError("DID document id differs from the issuer");
  const keys = doc.data.verificationMethod.flatMap((m) => (m.publicKeyJwk ? [{ id: m.id, publicKeyJwk: m.publicKeyJwk }] : []));
  return TrustList.parse({ issuers: [{ did: iss, name, keys }], updatedAt: new Date().toISOString() });
}

/** What a received card's check gave: who issued it and to which holder it is bound. */
export type ReceivedCheck = { valid: true; issuerName: string; holder: string | undefined } | { valid: false; code: string; error?: unknown };

/**
 * Verifies a card the wallet is about to store, in any of the three formats (VC 1.1 JWT, VC 2.0
 * `vc+jwt`: `@haki/credentials/verify`; SD-JWT VC: `verifySdJwtVc`, every disclosure's digest
 * checked, no KB-JWT yet since the wallet makes those when it presents). A card of a cycle that
 * starts later ("valid from" in the future) is genuine and is kept: it is verified as at its first
 * valid moment (signature, issuer, shape, holder, and that it has not ended by then), and the card
 * list shows "valid from DATE" until then. Anything else that fails is refused.
 *
 * @example
 * const r = await verifyReceivedCredential(jwt, trust, new Date());
 * if (!r.valid) throw new Error(r.code);
 */
export async function verifyReceivedCredential(credential: string, trust: TrustList, now: Date): Promise<ReceivedCheck> {
  const check = async (at: Date): Promise<ReceivedCheck> => {
    if (credential.includes("~")) {
      const r = await verifySdJwtVc(credential, trust, { now: at, requireKeyBinding: false });
      if (!r.valid) return { valid: false, code: r.code, error: r.error };
      const jwk = (r.claims.cnf as { jwk?: { x?: string } } | undefined)?.jwk;
      return { valid: true, issuerName: r.issuer.name, holder: jwk?.x };
    }
    const r: VerificationResult = await verifyCredential(credential, trust, { now: at });
    return r.valid ? { valid: true, issuerName: r.issuer.name, holder: r.holder } : { valid: false, code: r.code, error: r.error };
  };
  const r = await check(now);
  if (r.valid || r.code !== "ERR_NOT_YET_VALID") return r;
  const startsAt = decodeEntitlement(credential)?.nbf;
  if (startsAt === undefined) return r;
  return check(new Date(startsAt * 1000));
}

/**
 * Runs the flow and stores the verified card with a history line, in one transaction.
 *
 * @example
 * const id = await receiveAndStore(db, session, offer, { txCode });
 */
export async function receiveAndStore(
  db: WalletDb,
  session: Session,
  offer: CredentialOfferObject,
  options: { txCode?: string; fetch?: typeof fetch; now?: () => Date } = {},
): Promise<string> {
  const fetchImpl = options.fetch ?? fetch.bind(globalThis);
  const now = options.now ?? (() => new Date());
  const key = await loadHolderKey(db, session);
  const holder = {
    did: key.did,
    kid: key.kid,
    sign: async (bytes: Uint8Array) =>
      new Uint8Array(await crypto.subtle.sign("Ed25519", key.privateKey, bytes as Uint8Array<ArrayBuffer>)),
  };
  let issuerName: string | undefined;
  const received = await receiveCredential({
    offer,
    holder,
    fetch: fetchImpl,
    now,
    ...(options.txCode ? { txCode: options.txCode } : {}),
    verifyCredential: async (credential, { credentialIssuer }) => {
      const payload = decodeEntitlement(credential);
      if (!payload) throw new CardRejectedError("not-an-entitlement");
      const trust = await trustForIssuer(payload.iss, credentialIssuer, fetchImpl);
      const r = await verifyReceivedCredential(credential, trust, now());
      if (!r.valid) throw new CardRejectedError("invalid", { cause: r.error, detail: r.code });
      // A JWT names the holder's DID; an SD-JWT VC the holder's public key (cnf.jwk).
      if (r.holder !== (payload.format === "dc+sd-jwt" ? publicJwkFromDid(key.did).x : key.did)) throw new CardRejectedError("other-holder");
      issuerName = r.issuerName;
    },
  });
  const payload = decodeEntitlement(received.credential);
  // An SD-JWT VC has no id of its own: the issuer's URL and a fresh one.
  const id = payload?.jti ?? `${received.credentialIssuer}#${crypto.randomUUID()}`;
  const at = now().toISOString();
  const display = received.issuerMetadata.display?.[0]?.name;
  const value: StoredCredential = {
    jwt: received.credential,
    receivedAt: at,
    issuerUrl: received.credentialIssuer,
    ...(display || issuerName ? { issuerName: display ?? issuerName } : {}),
    ...(received.notification ? { notification: received.notification } : {}),
  };
  const event: HistoryEvent = { at, event: "received", credentialId: id, label: payload?.vc.credentialSubject.programme.name };
  await putRecords(db, session, [
    { kind: "credential", id, value },
    { kind: "history", id: `${Date.parse(at)}-${crypto.randomUUID()}`, value: event },
  ]);
  // Kept: the issuer's console shows the card as accepted. Offline, the card is kept all the same
  // and `sendPendingNotifications` tells the issuer later.
  if (value.notification) await sendCardNotification(db, session, id, value, "credential_accepted", fetchImpl);
  return id;
}

/**
 * Tells the issuer what became of a card (OpenID4VCI notification endpoint) and, once it answered,
 * notes the event on the card so it is not sent twice. Never throws: false when the issuer could not
 * be reached or refused (the card stays as it is; the next `sendPendingNotifications` retries).
 *
 * @example
 * await sendCardNotification(db, session, id, stored, "credential_accepted");
 */
export async function sendCardNotification(
  db: WalletDb,
  session: Session,
  id: string,
  stored: StoredCredential,
  event: WalletNotificationEvent,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
): Promise<boolean> {
  const { notification, issuerUrl } = stored;
  if (!notification || !issuerUrl || notification.sent === event) return false;
  try {
    allowInsecureUrls(isLoopback(issuerUrl));
    await notifyIssuer({ received: { credentialIssuer: issuerUrl, notification }, event, fetch: fetchImpl });
  } catch {
    return false;
  }
  // A deleted card has no record left to note it on.
  if (event !== "credential_deleted") await putRecord(db, session, "credential", id, { ...stored, notification: { ...notification, sent: event } });
  return true;
}

/**
 * Sends what the issuer was not told yet (a card received while the issuer could not be reached):
 * `credential_accepted` for each kept card with an unsent notification. Returns how many went.
 *
 * @example
 * if (navigator.onLine) await sendPendingNotifications(db, session);
 */
export async function sendPendingNotifications(db: WalletDb, session: Session, fetchImpl: typeof fetch = fetch.bind(globalThis)): Promise<number> {
  const { items } = await listRecords(db, session, "credential", StoredCredential);
  let sent = 0;
  for (const item of items) {
    if (item.value.notification && !item.value.notification.sent && (await sendCardNotification(db, session, item.id, item.value, "credential_accepted", fetchImpl))) sent++;
  }
  return sent;
}

/**
 * Deletes a card at the person's request, with a history line, and tells its issuer
 * (`credential_deleted`) when it gave a notification id: the console then shows the card as
 * deleted by the wallet. The card goes even when the issuer cannot be reached (`issuerTold` false).
 *
 * @example
 * const { issuerTold } = await deleteCard(db, session, card.id);
 */
export async function deleteCard(
  db: WalletDb,
  session: Session,
  id: string,
  options: { fetch?: typeof fetch; now?: () => Date } = {},
): Promise<{ issuerTold: boolean }> {
  const stored = await getRecord(db, session, "credential", id, StoredCredential);
  const issuerTold = stored ? await sendCardNotification(db, session, id, stored, "credential_deleted", options.fetch ?? fetch.bind(globalThis)) : false;
  const at = (options.now?.() ?? new Date()).toISOString();
  const label = stored ? decodeEntitlement(stored.jwt)?.vc.credentialSubject.programme.name : undefined;
  const event: HistoryEvent = { at, event: "deleted", credentialId: id, ...(label ? { label } : {}) };
  await deleteRecord(db, session, "credential", id);
  await putRecord(db, session, "history", `${Date.parse(at)}-${crypto.randomUUID()}`, event);
  return { issuerTold };
}
