/**
 * KeyStore on the issuer's database: private JWKs encrypted with AES-256-GCM (node:crypto) under a
 * key-encryption key from configuration. The key id is the AAD, so a ciphertext copied onto another
 * key's row does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { Db } from "@haki/db";
import { Ed25519PrivateJwk, Ed25519PublicJwk, exportPrivateJwk, generateKeyPair, importKeyPair, type SigningKey } from "@haki/credentials/keys";
import { appendAuditEvent, type AuditWriter } from "@/server/audit/append-audit-event";
import { readJsonColumn } from "@/server/lib/json-column";
import type { KeyStore, PublicKeyInfo } from "./key-store";

export class KeyStoreError extends Error {
  readonly code = "ERR_KEY_DECRYPT" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeyStoreError";
  }
}

/** A short id of a key-encryption key (first bytes of its SHA-256), stored beside each ciphertext. */
export function kekId(kek: Buffer): string {
  return createHash("sha256").update(kek).digest("hex").slice(0, 16);
}

/**
 * Encrypts bytes with AES-256-GCM: "v1." + base64url(iv | tag | ciphertext).
 *
 * @example
 * const sealed = sealWithKek(kek, Buffer.from(json), "did:web:x#key-1");
 */
export function sealWithKek(kek: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", kek, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
}

/** Decrypts what `sealWithKek` produced; throws ERR_KEY_DECRYPT on a wrong key, AAD or tampering. */
export function openWithKek(kek: Buffer, sealed: string, aad: string): Buffer {
  try {
    if (!sealed.startsWith("v1.")) throw new Error("unknown format");
    const raw = Buffer.from(sealed.slice(3), "base64url");
    const decipher = createDecipheriv("aes-256-gcm", kek, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch (cause) {
    throw new KeyStoreError("An issuer key could not be decrypted: check HAKI_KEY_ENCRYPTION_KEY.", { cause });
  }
}

/** How long an instance signs with the active key it read before asking the database again. */
export const SIGNING_KEY_RECHECK_MS = 5_000;

/**
 * Creates the database-backed key store. The active key is read, decrypted and imported once, then
 * kept in memory: every signature (one per credential request) would otherwise cost a row read and an
 * AES-GCM open. A rotation on this instance takes effect at once; one made by another instance (or
 * the CLI) within `recheckMs`, after which a single indexed read notices it. Signing with the old key
 * meanwhile is harmless: retired keys stay published, so what they signed still verifies.
 *
 * @example
 * const keys = createLocalKeyStore({ db, did: "did:web:issuer.example.org", kek, audit: ctx });
 * const key = await keys.getSigningKey();
 */
export function createLocalKeyStore(args: { db: Db; did: string; kek: Buffer; audit: AuditWriter; recheckMs?: number }): KeyStore {
  const { db, did, kek, audit } = args;
  if (kek.length !== 32) throw new KeyStoreError("The key-encryption key must be 32 bytes.");
  const now = () => audit.now();
  const recheckMs = args.recheckMs ?? SIGNING_KEY_RECHECK_MS;
  // The imported key of the row last seen active, and when that was checked (monotonic clock: a
  // frozen or moved `now` in tests must not keep a stale key forever).
  let cached: { kid: string; key: SigningKey & { did: string } } | undefined;
  let checkedAt = -Infinity;
  // One database check at a time: a hundred requests arriving together share it.
  let checking: Promise<SigningKey & { did: string }> | undefined;
  // Bumped by a rotation here, so a check that started before it cannot cache the retired key.
  let generation = 0;

  const toInfo = (k: { kid: string; did: string; publicJwk: string; active: boolean; createdAt: Date }): PublicKeyInfo => ({
    kid: k.kid,
    did: k.did,
    publicJwk: readJsonColumn(Ed25519PublicJwk, k.publicJwk, "IssuerKey.publicJwk"),
    active: k.active,
    createdAt: k.createdAt,
  });

  /** A new key row: active (first use, or a rotation with no key announced) or the announced next one. */
  async function newKeyRow(state: "active" | "next") {
    const pair = await generateKeyPair({ extractable: true });
    const jwk = await exportPrivateJwk(pair);
    const fragment = `key-${createHash("sha256").update(jwk.x).digest("base64url").slice(0, 12)}`;
    const kid = `${did}#${fragment}`;
    return {
      kid,
      did,
      alg: "EdDSA",
      publicJwk: JSON.stringify(pair.publicJwk),
      encryptedPrivateKey: sealWithKek(kek, Buffer.from(JSON.stringify(jwk)), kid),
      kekId: kekId(kek),
      active: state === "active",
      createdAt: now(),
    };
  }

  // A key neither active nor retired is the announced next key (the oldest, if two instances raced).
  const nextWhere = { did, active: false, retiredAt: null };

  async function create(actorId: string | null): Promise<PublicKeyInfo> {
    const fresh = await newKeyRow("active");
    const at = now();
    const row = await db.$transaction(async (tx) => {
      const next = await tx.issuerKey.findFirst({ where: nextWhere, orderBy: { createdAt: "asc" } });
      await tx.issuerKey.updateMany({ where: { did, active: true }, data: { active: false, retiredAt: at } });
      if (next) {
        const promoted = await tx.issuerKey.update({ where: { kid: next.kid }, data: { active: true } });
        await appendAuditEvent(tx, audit, { actorId, action: "key.activate", subject: next.kid }, at);
        return promoted;
      }
      const created = await tx.issuerKey.create({ data: fresh });
      await appendAuditEvent(tx, audit, { actorId, action: "key.create", subject: fresh.kid }, at);
      return created;
    });
    generation++;
    cached = undefined;
    checking = undefined;
    checkedAt = -Infinity;
    return toInfo(row);
  }

  async function loadActive(): Promise<SigningKey & { did: string }> {
    let startedIn = generation;
    let row = await db.issuerKey.findFirst({ where: { did, active: true }, orderBy: { createdAt: "desc" }, select: { kid: true } });
    if (!row) {
      await create(null);
      startedIn = generation;
      row = await db.issuerKey.findFirstOrThrow({ where: { did, active: true }, orderBy: { createdAt: "desc" }, select: { kid: true } });
    }
    if (cached?.kid !== row.kid) {
      const { kid, encryptedPrivateKey } = await db.issuerKey.findUniqueOrThrow({ where: { kid: row.kid }, select: { kid: true, encryptedPrivateKey: true } });
      const jwk = readJsonColumn(Ed25519PrivateJwk, openWithKek(kek, encryptedPrivateKey, kid).toString(), "IssuerKey.encryptedPrivateKey");
      const pair = await importKeyPair(jwk, { did, keyId: kid, extractable: false });
      const key = { kid: pair.kid, privateKey: pair.privateKey, did };
      if (startedIn !== generation) return key;
      cached = { kid, key };
    }
    if (startedIn === generation) checkedAt = performance.now();
    return cached.key;
  }

  return {
    getSigningKey() {
      if (cached && performance.now() - checkedAt < recheckMs) return Promise.resolve(cached.key);
      checking ??= loadActive().finally(() => (checking = undefined));
      return checking;
    },
    async listPublicKeys() {
      const rows = await db.issuerKey.findMany({
        where: { did, distrustedAt: null, OR: [{ active: true }, { retiredAt: { not: null } }] },
        orderBy: { createdAt: "asc" },
      });
      return rows.map(toInfo);
    },
    async nextPublicKey() {
      const found = await db.issuerKey.findFirst({ where: nextWhere, orderBy: { createdAt: "asc" } });
      if (found) return toInfo(found);
      const fresh = await newKeyRow("next");
      const row = await db.$transaction(async (tx) => {
        const created = await tx.issuerKey.create({ data: fresh });
        await appendAuditEvent(tx, audit, { actorId: null, action: "key.create_next", subject: fresh.kid }, fresh.createdAt);
        return created;
      });
      return toInfo(row);
    },
    rotate: ({ actorId }) => create(actorId),
    async distrust({ kid, actorId, reason }) {
      const row = await db.issuerKey.findUnique({ where: { kid } });
      if (!row || row.did !== did) throw new KeyStoreError(`No key ${kid} in this store.`);
      if (row.distrustedAt) return;
      // The active key signs nothing more: the announced next key takes over first.
      if (row.active) await create(actorId);
      const at = now();
      await db.$transaction(async (tx) => {
        // Retired too, so it is never taken for the announced next key.
        await tx.issuerKey.update({ where: { kid }, data: { active: false, retiredAt: row.retiredAt ?? at, distrustedAt: at, distrustReason: reason.slice(0, 500) } });
        await appendAuditEvent(tx, audit, { actorId, action: "key.distrust", subject: kid, details: { reason: reason.slice(0, 500), wasActive: row.active } }, at);
      });
      generation++;
      cached = undefined;
      checking = undefined;
      checkedAt = -Infinity;
    },
    async listDistrustedKeys() {
      const rows = await db.issuerKey.findMany({ where: { did, distrustedAt: { not: null } }, orderBy: { distrustedAt: "asc" } });
      return rows.map((r) => ({ kid: r.kid, distrustedAt: r.distrustedAt!, reason: r.distrustReason }));
    },
  };
}
