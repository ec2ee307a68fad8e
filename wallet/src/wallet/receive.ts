/**
 * Receiving a card: OpenID4VCI pre-authorised flow (@haki/openid4vci/client), proof of possession
 * signed by the profile's holder key, and verification of the credential against its issuer before
 * anything is stored. Loaded on demand, so the protocol libraries stay out of the first load.
 */
import { didWebUrl } from "@haki/credentials/did";
import { TrustList, type TrustListInput } from "@haki/credentials/trust";
import { verifyCredential, type VerificationResult } from "@haki/credentials/verify";
import {
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
import { putRecords } from "../storage/records";
import { decodeEntitlement } from "./cards";
import { CardRejectedError, IssuerNotTrustedError, IssuerUnreachableError } from "./errors";
import { loadHolderKey } from "./holder-key";
import type { HistoryEvent, StoredCredential } from "./schemas";

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

/**
 * Verifies a card the wallet is about to store. A card of a cycle that starts later ("valid from"
 * in the future) is genuine and is kept: it is verified as at its first valid moment (signature,
 * issuer, shape, holder, and that it has not ended by then), and the card list shows "valid from
 * DATE" until then. Anything else that fails is refused.
 *
 * @example
 * const r = await verifyReceivedCredential(jwt, trust, new Date());
 * if (!r.valid) throw new Error(r.code);
 */
export async function verifyReceivedCredential(jwt: string, trust: TrustList, now: Date): Promise<VerificationResult> {
  const r = await verifyCredential(jwt, trust, { now });
  if (r.valid || r.code !== "ERR_NOT_YET_VALID") return r;
  const startsAt = decodeEntitlement(jwt)?.nbf;
  if (startsAt === undefined) return r;
  return verifyCredential(jwt, trust, { now: new Date(startsAt * 1000) });
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
    verifyCredential: async (jwt, { credentialIssuer }) => {
      const payload = decodeEntitlement(jwt);
      if (!payload) throw new CardRejectedError("not-an-entitlement");
      const trust = await trustForIssuer(payload.iss, credentialIssuer, fetchImpl);
      const r = await verifyReceivedCredential(jwt, trust, now());
      if (!r.valid) throw new CardRejectedError("invalid", { cause: r.error, detail: r.code });
      if (r.holder !== key.did) throw new CardRejectedError("other-holder");
      issuerName = r.issuer.name;
    },
  });
  const payload = decodeEntitlement(received.credential);
  const id = payload?.jti ?? `${received.credentialIssuer}#${crypto.randomUUID()}`;
  const at = now().toISOString();
  const display = received.issuerMetadata.display?.[0]?.name;
  const value: StoredCredential = {
    jwt: received.credential,
    receivedAt: at,
    issuerUrl: received.credentialIssuer,
    ...(display || issuerName ? { issuerName: display ?? issuerName } : {}),
  };
  const event: HistoryEvent = { at, event: "received", credentialId: id, label: payload?.vc.credentialSubject.programme.name };
  await putRecords(db, session, [
    { kind: "credential", id, value },
    { kind: "history", id: `${Date.parse(at)}-${crypto.randomUUID()}`, value: event },
  ]);
  return id;
}
