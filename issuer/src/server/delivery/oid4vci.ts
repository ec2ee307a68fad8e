/**
 * OpenID4VCI wiring: the issuer configuration, the dependencies the protocol handlers need, and
 * what happens when a wallet proves its key (the entitlement is signed for that holder, in the
 * format asked for: the cycle's JWT format, or SD-JWT VC).
 */
import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import type { IssuanceDeps } from "@haki/openid4vci/server";
import { IssuanceError } from "@haki/openid4vci/errors";
import { allowInsecureUrls, type IssuerConfig } from "@haki/openid4vci/metadata";
import { createSealedNonces } from "@haki/openid4vci/nonces";
import { didWebForUrl, ENTITLEMENT_VCT, issueSdJwtVc } from "@haki/credentials/sd-jwt";
import { buildEntitlementTypeMetadata } from "@haki/credentials/sd-jwt-metadata";
import type { ServerContext } from "@/server/context";
import { pruneUsedNonces, recordUsedNonce } from "@haki/db/bulk";
import { createPrismaOfferStore } from "./prisma-offer-store";
import { deliverySql } from "./delivery-sql";
import { createDeliveryRecorder } from "./record-deliveries";
import { createEntitlementSigners, EntitlementUnavailableError } from "./sign-entitlement";
import { claimPhoneForm, type PhoneClaim } from "./phone-form";


/** Credentials one request may ask for, each under its own holder key (unlinkable copies). */
export const OID4VCI_BATCH_SIZE = 4;
/** How long a c_nonce may be used. */
export const NONCE_TTL_SECONDS = 300;

/** The issuer's public URL without a trailing slash: the credential issuer id and SD-JWT VC `iss`. */
export const publicBaseUrl = (ctx: ServerContext): string => ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "");

/**
 * True when this issuer can sign SD-JWT VCs: their `iss` is the public URL, and its keys must be
 * those of the did:web of that URL (the default DID; a configured DID elsewhere cannot).
 */
export function issuesSdJwtVc(ctx: ServerContext): boolean {
  return didWebForUrl(publicBaseUrl(ctx)) === ctx.did;
}

const configs = new WeakMap<ServerContext, IssuerConfig>();

/** The OpenID4VCI issuer configuration from the issuer's own (one object per context). */
export function issuerConfig(ctx: ServerContext): IssuerConfig {
  allowLocalHttp(ctx);
  let config = configs.get(ctx);
  if (config) return config;
  const labels = buildEntitlementTypeMetadata().claims;
  config = {
    credentialIssuer: publicBaseUrl(ctx),
    display: [{ name: ctx.env.HAKI_ISSUER_NAME, locale: "en" }],
    credentialDisplay: [
      { name: "Entitlement", locale: "en" },
      { name: "Droit", locale: "fr" },
      { name: "استحقاق", locale: "ar" },
      { name: "Stahiki", locale: "sw" },
    ],
    ...(issuesSdJwtVc(ctx)
      ? {
          sdJwtVc: {
            vct: ENTITLEMENT_VCT,
            claims: labels.map((c) => ({ path: c.path as [string, ...string[]], display: c.display.map((d) => ({ name: d.label, locale: d.locale })) })),
          },
        }
      : {}),
    batchSize: OID4VCI_BATCH_SIZE,
    notifications: true,
  };
  configs.set(ctx, config);
  return config;
}

// Plain http only on the machine itself (a developer's laptop, a demo); anywhere else https. The
// switch is process-wide in the @openid4vc libraries, so it is set again on every use.
function allowLocalHttp(ctx: ServerContext): void {
  const url = new URL(ctx.env.HAKI_PUBLIC_URL);
  allowInsecureUrls(url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname));
}

const depsOf = new WeakMap<ServerContext, IssuanceDeps>();

/**
 * The handlers' dependencies for this issuer, one set per context: the issuer metadata, the
 * delivery recorder (group commit), the nonce service and the signers live as long as the process.
 *
 * @example
 * export const POST = (req: Request) => handleTokenRequest(req, issuanceDeps(getServerContext())).then(toResponse);
 */
export function issuanceDeps(ctx: ServerContext): IssuanceDeps {
  let deps = depsOf.get(ctx);
  if (deps) allowLocalHttp(ctx);
  else depsOf.set(ctx, (deps = createIssuanceDeps(ctx)));
  return deps;
}

const sha256Hex = (secret: string) => createHash("sha256").update(secret).digest("hex");

/** How often (at most) this process deletes spent nonces whose expiry has passed. */
const NONCE_PRUNE_EVERY_MS = 60_000;

/**
 * The c_nonces: sealed with a key derived from the key-encryption key (the same on every instance),
 * so the nonce endpoint writes nothing; a spent nonce is one row until it expires, then pruned.
 */
function createNonces(ctx: ServerContext) {
  const secret = new Uint8Array(hkdfSync("sha256", Buffer.from(ctx.env.HAKI_KEY_ENCRYPTION_KEY, "base64"), new Uint8Array(0), "haki/openid4vci/c_nonce/v1", 32));
  let prunedAt = 0;
  return createSealedNonces({
    secret,
    ttlSeconds: NONCE_TTL_SECONDS,
    hmac: (key, data) => createHmac("sha256", key).update(data).digest(),
    hashSecret: sha256Hex,
    async markUsed({ nonceHash, expiresAt, now }) {
      if (now.getTime() - prunedAt > NONCE_PRUNE_EVERY_MS) {
        prunedAt = now.getTime();
        void pruneUsedNonces(deliverySql(ctx), { now }).catch((e: unknown) => console.error("issuer: pruning nonces failed", e));
      }
      return recordUsedNonce(deliverySql(ctx), { nonceHash, expiresAt, now });
    },
  });
}

function createIssuanceDeps(ctx: ServerContext): IssuanceDeps {
  const record = createDeliveryRecorder(deliverySql(ctx), ctx);
  const signers = createEntitlementSigners(ctx);
  // One phone claim per credential request (the handlers pass the same offer object to every call
  // of one request): the credentials of a batch share the one new status position.
  const claims = new WeakMap<object, Promise<PhoneClaim>>();
  const claimFor = (offer: { id: string }) => {
    let claim = claims.get(offer);
    if (!claim) claims.set(offer, (claim = claimPhoneForm(ctx, offer.id)));
    return claim;
  };
  return {
    config: issuerConfig(ctx),
    store: createPrismaOfferStore(ctx.db, { bulk: deliverySql(ctx) }),
    now: () => ctx.now(),
    maxTxCodeAttempts: 5,
    hashSecret: sha256Hex,
    nonces: createNonces(ctx),
    async issueCredential({ offer, holderDid, holderJwk, format }) {
      try {
        const position = (await claimFor(offer))?.to;
        if (format === "dc+sd-jwt") {
          const { input, key } = await signers.sdJwtInput(offer.id, { position });
          return await issueSdJwtVc({ ...input, holder: { kty: "OKP", crv: "Ed25519", x: String(holderJwk.x) }, issuedAt: ctx.now() }, key);
        }
        return await signers.jwt(offer.id, holderDid, { position });
      } catch (cause) {
        if (cause instanceof EntitlementUnavailableError) throw new IssuanceError("ERR_CREDENTIAL_REQUEST_DENIED", { cause, detail: cause.message });
        throw cause;
      }
    },
    async recordIssuance({ offer, holders, format, tokenHash }) {
      void tokenHash; // the notification is matched on the offer's access token hash (same value)
      const notificationId = randomBytes(32).toString("base64url");
      const claim = await claims.get(offer);
      await record({ entitlementId: offer.id, holderDid: holders[0]!.did, count: holders.length, notificationIdHash: sha256Hex(notificationId), format, ...(claim ? { superseded: claim } : {}) });
      return { notificationId };
    },
    async handleNotification({ notificationId, event, tokenHash, now }) {
      // The access token was spent by the credential request; holding it (256 random bits) still
      // proves the caller is the wallet that took the credential, so it is accepted after expiry.
      const changed = await ctx.db.$executeRaw`
        UPDATE "Offer" SET "walletEvent" = ${event}, "walletEventAt" = ${now}
        WHERE "notificationIdHash" = ${sha256Hex(notificationId)} AND "accessTokenHash" = ${tokenHash}`;
      return changed === 1;
    },
  };
}
