/**
 * The profile's holder key: Ed25519, generated on the phone with Web Crypto, named by did:key.
 * At rest the private key is wrapped (AES-GCM `wrapKey`, pkcs8) under the profile's data key, so it
 * is encrypted like everything else; once unwrapped for use it is a non-extractable CryptoKey. (A
 * bare non-extractable CryptoKey in IndexedDB would sit unencrypted on disk and could not be
 * carried to a new phone in a backup.)
 */
import { generateKeyPair, exportPrivateJwk, importKeyPair, type SigningKey, type Ed25519PrivateJwk } from "@haki/credentials/keys";
import { unwrapKeyGcm, wrapKeyGcm } from "@haki/secure-store/crypto";
import type { WalletDb } from "../storage/db";
import { recordAad } from "../storage/keys";
import type { Session } from "../storage/profiles";
import { getRecord, listRecords, putRecord } from "../storage/records";
import { HolderKeyMissingError } from "./errors";
import { StoredHolderKey } from "./schemas";

/** Record id of the profile's holder key (one per profile). */
export const HOLDER_KEY_ID = "holder";

export interface HolderKey extends SigningKey {
  did: string;
}

async function storeKeyPair(
  db: WalletDb,
  session: Session,
  pair: { did: string; kid: string; privateKey: CryptoKey; publicJwk: StoredHolderKey["publicJwk"] },
  now: Date,
): Promise<StoredHolderKey> {
  const aad = recordAad(session.profile.id, "key", HOLDER_KEY_ID) + "/pkcs8";
  const record: StoredHolderKey = {
    did: pair.did,
    kid: pair.kid,
    publicJwk: pair.publicJwk,
    wrappedPrivateKey: await wrapKeyGcm("pkcs8", pair.privateKey, session.dataKey, aad),
    createdAt: now.toISOString(),
  };
  await putRecord(db, session, "key", HOLDER_KEY_ID, record);
  return record;
}

/**
 * Generates and stores the profile's holder key (once, when the profile is created).
 *
 * @example
 * const { did } = await createHolderKey(db, session);
 */
export async function createHolderKey(db: WalletDb, session: Session, now = new Date()): Promise<StoredHolderKey> {
  // Extractable only for the one wrapKey call below; what is used later is unwrapped non-extractable.
  return storeKeyPair(db, session, await generateKeyPair({ extractable: true }), now);
}

/**
 * Unwraps the holder key for signing (non-extractable). Throws `HolderKeyMissingError`.
 *
 * @example
 * const key = await loadHolderKey(db, session);
 * await signPresentation(vcJwt, key);
 */
export async function loadHolderKey(db: WalletDb, session: Session): Promise<HolderKey> {
  const rec = await getRecord(db, session, "key", HOLDER_KEY_ID, StoredHolderKey);
  if (!rec) throw new HolderKeyMissingError();
  const aad = recordAad(session.profile.id, "key", HOLDER_KEY_ID) + "/pkcs8";
  const privateKey = await unwrapKeyGcm("pkcs8", rec.wrappedPrivateKey, session.dataKey, aad, { name: "Ed25519" }, false, ["sign"]);
  return { did: rec.did, kid: rec.kid, privateKey };
}

/** The holder DID of the profile without unwrapping the private key. */
export async function getHolderDid(db: WalletDb, session: Session): Promise<string | undefined> {
  const { items } = await listRecords(db, session, "key", StoredHolderKey);
  return items.find((i) => i.id === HOLDER_KEY_ID)?.value.did;
}

/**
 * The private JWK, for an encrypted backup only.
 *
 * @example
 * const jwk = await exportHolderKeyForBackup(db, session);
 */
export async function exportHolderKeyForBackup(db: WalletDb, session: Session): Promise<Ed25519PrivateJwk> {
  const rec = await getRecord(db, session, "key", HOLDER_KEY_ID, StoredHolderKey);
  if (!rec) throw new HolderKeyMissingError();
  const aad = recordAad(session.profile.id, "key", HOLDER_KEY_ID) + "/pkcs8";
  const privateKey = await unwrapKeyGcm("pkcs8", rec.wrappedPrivateKey, session.dataKey, aad, { name: "Ed25519" }, true, ["sign"]);
  return exportPrivateJwk({ privateKey });
}

/**
 * Stores a holder key restored from a backup (checked: `x` must match `d`).
 *
 * @example
 * await importHolderKeyFromBackup(db, session, jwk);
 */
export async function importHolderKeyFromBackup(
  db: WalletDb,
  session: Session,
  jwk: Ed25519PrivateJwk,
  now = new Date(),
): Promise<StoredHolderKey> {
  return storeKeyPair(db, session, await importKeyPair(jwk, { extractable: true }), now);
}
