/**
 * Service points and their verifier devices: one-time set-up codes, enrolment (the device's
 * receipt key is stored under a new device id), and the trust bundle devices live on.
 */
import { z } from "zod";
import { calculateJwkThumbprint } from "jose";
import { verifyRelayOpening } from "@haki/openid4vp/relay-auth";
import { encodeSetupCode, ISSUER_ENDPOINTS, type BindingKeysRequest, type BindingKeysResponse, type EnrolmentRequest, type EnrolmentResponse } from "@haki/redemption/setup";
import { signTrustBundle, type TrustBundle } from "@haki/redemption/trust-bundle";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { canonicalJson, sha256Hex } from "@/server/lib/hash";
import { newSecret } from "@/server/lib/ids";
import { readJsonColumn } from "@/server/lib/json-column";
import { statusListUrl, STATUS_LIST_SIZE } from "@/server/issuance/entitlement-input";
import { readAreaNames } from "@/server/areas/read-area-names";
import { readIdentityIssuers } from "@/server/identity/read-identity-authorities";
import { readBindingKeysFor } from "@/server/programmes/save-programme-id-binding";
import { deviceKey } from "@/server/verifier/devices";

const Id = z.string().trim().regex(/^[A-Za-z0-9._:-]{1,64}$/, "letters, digits, . _ : -");

/**
 * The programme codes a service point may hand over (kept as JSON in ServicePoint.programmes).
 *
 * @example
 * readServicePointProgrammes(point); // ["cash-transfer"]
 */
export function readServicePointProgrammes(point: { programmes: string }): string[] {
  return readJsonColumn(z.array(z.string()), point.programmes, "ServicePoint.programmes");
}

export const SaveServicePointInput = z.object({
  id: Id,
  name: z.string().trim().min(1).max(120),
  area: z.preprocess((v) => (v === "" ? undefined : v), Id.optional()),
  programmes: z.array(Id).max(200).default([]),
});

/**
 * Creates or updates a service point (admin or officer).
 *
 * @example
 * await saveServicePoint(ctx, { id: "sp-kisumu-12", name: "Kisumu market agent", area: "KE-042", programmes: ["cash"] }, actor);
 */
export async function saveServicePoint(ctx: ServerContext, input: z.input<typeof SaveServicePointInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "admin", "officer");
  const sp = SaveServicePointInput.parse(input);
  await ctx.db.$transaction(async (tx) => {
    const data = { name: sp.name, area: sp.area ?? null, programmes: JSON.stringify(sp.programmes) };
    await tx.servicePoint.upsert({ where: { id: sp.id }, create: { id: sp.id, ...data }, update: data });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "service_point.save", subject: sp.id, details: { programmes: sp.programmes } });
  });
  return { id: sp.id };
}

/**
 * Switches a service point off (admin or officer, with a reason) or on again. While off it is left
 * out of the trust bundle (its devices answer "not enrolled" after their next refresh), no set-up
 * code is made for it, no device enrols at it, and its receipts are refused
 * (ERR_RECEIPT_SERVICE_POINT_DISABLED). Audited.
 *
 * @example
 * await setServicePointEnabled(ctx, { id: "sp-kisumu-12", enabled: false, reason: "agent contract ended" }, officer);
 */
export async function setServicePointEnabled(ctx: ServerContext, input: { id: string; enabled: boolean; reason?: string }, actor: Actor): Promise<void> {
  requireRole(actor, "admin", "officer");
  const sp = await ctx.db.servicePoint.findUnique({ where: { id: Id.parse(input.id) } });
  if (!sp) throw new ApiError("ERR_NOT_FOUND", "No such service point.");
  if (!input.enabled && !input.reason?.trim()) throw new ApiError("ERR_BAD_REQUEST", "Say why the service point is switched off.");
  await ctx.db.$transaction(async (tx) => {
    await tx.servicePoint.update({ where: { id: sp.id }, data: { disabledAt: input.enabled ? null : ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: input.enabled ? "service_point.enable" : "service_point.disable", subject: sp.id, details: { reason: (input.reason ?? "").slice(0, 200) } });
  });
}

/** Refuses (ERR_INVALID_STATE) a service point that is switched off. */
function refuseDisabled(sp: { id: string; disabledAt: Date | null }): void {
  if (sp.disabledAt) throw new ApiError("ERR_INVALID_STATE", `Service point ${sp.id} is switched off; switch it on first.`);
}

/** RFC 7638 thumbprint of the key that signs trust bundles (the issuer's active key). */
async function bundleKey(ctx: ServerContext) {
  const key = await ctx.keys.getSigningKey();
  const pub = (await ctx.keys.listPublicKeys()).find((k) => k.kid === key.kid);
  if (!pub) throw new ApiError("ERR_INTERNAL", "The active key is not published.");
  return { key, publicJwk: pub.publicJwk, thumbprint: await calculateJwkThumbprint(pub.publicJwk, "sha256") };
}

/**
 * A one-time set-up code for a device at a service point (valid `minutes`, default 30): the text
 * or QR the operator enters on the verifier.
 *
 * @example
 * const { setupCode } = await createSetupCode(ctx, "sp-kisumu-12", admin);
 */
export async function createSetupCode(ctx: ServerContext, servicePointId: string, actor: Actor, minutes = 30): Promise<{ setupCode: string; expiresAt: Date }> {
  requireRole(actor, "admin", "officer");
  const sp = await ctx.db.servicePoint.findUnique({ where: { id: servicePointId } });
  if (!sp) throw new ApiError("ERR_NOT_FOUND", "No such service point.");
  refuseDisabled(sp);
  const code = newSecret(18);
  const expiresAt = new Date(ctx.now().getTime() + minutes * 60_000);
  const { thumbprint } = await bundleKey(ctx);
  await ctx.db.$transaction(async (tx) => {
    await tx.enrolmentCode.deleteMany({ where: { expiresAt: { lt: ctx.now() } } });
    await tx.enrolmentCode.create({ data: { codeHash: sha256Hex(code), servicePointId: sp.id, expiresAt, createdBy: actor.id, createdAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "device.setup_code", subject: sp.id });
  });
  const setupCode = encodeSetupCode({ issuer: ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, ""), code, bundleKey: thumbprint, servicePoint: sp.id });
  return { setupCode, expiresAt };
}

/**
 * Enrols a device with a one-time code: 403 ERR_FORBIDDEN for an unknown, used or expired code
 * (or one made for another service point).
 *
 * @example
 * const { deviceId, bundle } = await enrolDevice(ctx, await readJson(request, EnrolmentRequest));
 */
export async function enrolDevice(ctx: ServerContext, req: EnrolmentRequest): Promise<EnrolmentResponse> {
  const now = ctx.now();
  const deviceId = `dev-${newSecret(9)}`;
  const { kty, crv, x } = req.deviceKey;
  const publicJwk = JSON.stringify({ kty, crv, x });
  // A revoked device's key does not come back through a new set-up code (checked, for a valid code,
  // before the code is used up; without a valid code the answer below is the same as ever).
  const revoked = await ctx.db.device.findFirst({ where: { publicJwk, revokedAt: { not: null } }, select: { id: true } });
  const validCode = revoked
    ? await ctx.db.enrolmentCode.findFirst({ where: { codeHash: sha256Hex(req.code), servicePointId: req.servicePoint, usedAt: null, expiresAt: { gt: now } }, select: { codeHash: true } })
    : null;
  if (revoked && validCode) {
    await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: null, action: "device.enrol_refused", subject: revoked.id, details: { code: "ERR_DEVICE_REVOKED", servicePoint: req.servicePoint } }, now));
    throw new ApiError("ERR_DEVICE_REVOKED", "This device was revoked by the programme office; it cannot be set up again.");
  }
  await ctx.db.$transaction(async (tx) => {
    // The conditional update is the single-use check: of two devices racing, one gets count 1.
    const { count } = await tx.enrolmentCode.updateMany({
      where: { codeHash: sha256Hex(req.code), servicePointId: req.servicePoint, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw new ApiError("ERR_FORBIDDEN", "This set-up code is unknown, used or expired; ask for a new one.");
    refuseDisabled(await tx.servicePoint.findUniqueOrThrow({ where: { id: req.servicePoint } }));
    await tx.device.create({ data: { id: deviceId, servicePointId: req.servicePoint, publicJwk, label: req.deviceLabel ?? null, enrolledAt: now, lastSeenAt: now } });
    await appendAuditEvent(tx, ctx, { actorId: null, action: "device.enrol", subject: deviceId, details: { servicePoint: req.servicePoint } }, now);
  });
  // The binding keys of the bound programmes it serves: secret, so only in this answer to a device
  // that just proved the one-time code, never in the bundle anyone may fetch.
  const point = await ctx.db.servicePoint.findUnique({ where: { id: req.servicePoint } });
  const bindingKeys = point ? await readBindingKeysFor(ctx, readServicePointProgrammes(point)) : [];
  return { deviceId, servicePoint: req.servicePoint, bundle: await buildTrustBundle(ctx), ...(bindingKeys.length ? { bindingKeys } : {}) };
}

/**
 * The binding keys an enrolled device may hold now (issue 16): those of the bound programmes its
 * service point serves. Asked at each refresh with a proof signed by the device's enrolled key for
 * this route's URL, so a device enrolled before a programme turned binding on gets the key, and a
 * revoked device, an unknown key or a switched-off service point gets nothing (403 ERR_FORBIDDEN).
 *
 * @example
 * const { bindingKeys } = await readDeviceBindingKeys(ctx, await readJson(request, BindingKeysRequest));
 */
export async function readDeviceBindingKeys(ctx: ServerContext, req: BindingKeysRequest): Promise<BindingKeysResponse> {
  const audience = `${ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "")}${ISSUER_ENDPOINTS.bindingKeys}`;
  let deviceId: string;
  try {
    deviceId = await verifyRelayOpening(req.proof, (id) => deviceKey(ctx, id), audience, ctx.now());
  } catch (cause) {
    throw new ApiError("ERR_FORBIDDEN", "This device is not enrolled here, or was revoked.", { cause });
  }
  const device = await ctx.db.device.findUniqueOrThrow({ where: { id: deviceId }, include: { servicePoint: true } });
  if (device.servicePoint.disabledAt) throw new ApiError("ERR_FORBIDDEN", "This service point was switched off.");
  await ctx.db.device.update({ where: { id: deviceId }, data: { lastSeenAt: ctx.now() } });
  return { bindingKeys: await readBindingKeysFor(ctx, readServicePointProgrammes(device.servicePoint)) };
}

/** The signed trust bundle as served: the JWS, its sequence number and an ETag for it. */
export interface SignedTrustBundle {
  jws: string;
  seq: number;
  etag: string;
}

const BUNDLE_DOCUMENT = "trust-bundle";

/**
 * The signed trust bundle for verifiers: issuer DIDs and keys (distrusted keys left out),
 * programme names, contacts and ID binding rules, service points, area place names, national ID
 * authorities' keys, and the status list URLs to keep cached. Signed with the
 * issuer's active key; `signingKeys` names the active key and the next one (pre-rotation).
 * Signed once per change: the content (everything but `seq` and `iat`) is digested, and while the
 * digest is the one stored the stored bundle is served as it is; a change takes the next `seq`
 * (devices refuse a lower one, so the sequence only ever grows) under a lock, so instances
 * answering together sign it once.
 *
 * @example
 * const { jws, etag } = await readTrustBundle(ctx);
 */
export async function readTrustBundle(ctx: ServerContext): Promise<SignedTrustBundle> {
  // The active key first: on a fresh database it is created now, and the next one after it.
  const { key, publicJwk } = await bundleKey(ctx);
  const next = await ctx.keys.nextPublicKey();
  const [keys, programmes, points, counter, areas, identityIssuers] = await Promise.all([
    ctx.keys.listPublicKeys(),
    ctx.db.programme.findMany({ orderBy: { code: "asc" } }),
    // A switched-off point is not in the bundle: its devices stop answering green once they refresh.
    ctx.db.servicePoint.findMany({ where: { disabledAt: null }, orderBy: { id: "asc" } }),
    ctx.db.counter.findUnique({ where: { name: "status-index" } }),
    readAreaNames(ctx),
    readIdentityIssuers(ctx),
  ]);
  const lists = counter && counter.value > 0 ? Math.floor((counter.value - 1) / STATUS_LIST_SIZE) + 1 : 0;
  const content: Omit<TrustBundle, "seq" | "iat"> = {
    v: 1,
    iss: ctx.did,
    // The next bundle may be signed by this key or by the one the next rotation activates, so a
    // device that holds this bundle follows a rotation without being enrolled again.
    signingKeys: [publicJwk, next.publicJwk],
    issuers: [{ did: ctx.did, name: ctx.env.HAKI_ISSUER_NAME, keys: keys.map((k) => ({ id: k.kid, publicKeyJwk: k.publicJwk })) }],
    programmes: programmes.map((p) => ({
      id: p.code,
      name: p.name,
      ...(p.contact ? { contact: p.contact } : {}),
      ...(p.idBinding === "refuse" || p.idBinding === "visual-check" ? { idBinding: p.idBinding } : {}),
    })),
    servicePoints: points.map((p) => ({ id: p.id, name: p.name, ...(p.area ? { area: p.area } : {}), programmes: readServicePointProgrammes(p) })),
    statusLists: Array.from({ length: lists }, (_, i) => [
      statusListUrl(ctx.env.HAKI_PUBLIC_URL, i + 1, "revocation"),
      statusListUrl(ctx.env.HAKI_PUBLIC_URL, i + 1, "suspension"),
    ]).flat(),
    ...(areas.size ? { areas: [...areas].map(([code, name]) => ({ code, name })) } : {}),
    ...(identityIssuers.length ? { identityIssuers } : {}),
  };
  const digest = sha256Hex(canonicalJson({ content, signedBy: key.kid }));
  const served = (d: { jws: string; seq: number }): SignedTrustBundle => ({ jws: d.jws, seq: d.seq, etag: `"${sha256Hex(d.jws).slice(0, 32)}"` });
  const stored = await ctx.db.signedDocument.findUnique({ where: { name: BUNDLE_DOCUMENT } });
  if (stored?.digest === digest) return served(stored);
  return ctx.db.$transaction(async (tx) => {
    // The counter row is the lock: whoever holds it signs; the others find the new bundle stored.
    await tx.counter.update({ where: { name: "trust-bundle" }, data: { value: { increment: 0 } } });
    const now = await tx.signedDocument.findUnique({ where: { name: BUNDLE_DOCUMENT } });
    if (now?.digest === digest) return served(now);
    const { value: seq } = await tx.counter.update({ where: { name: "trust-bundle" }, data: { value: { increment: 1 } } });
    const jws = await signTrustBundle({ ...content, seq, iat: Math.floor(ctx.now().getTime() / 1000) }, { privateKey: key.privateKey, publicJwk });
    const row = { digest, seq, jws, signedAt: ctx.now() };
    await tx.signedDocument.upsert({ where: { name: BUNDLE_DOCUMENT }, create: { name: BUNDLE_DOCUMENT, ...row }, update: row });
    return served(row);
  });
}

/**
 * The trust bundle's JWS (see `readTrustBundle`).
 *
 * @example
 * const jws = await buildTrustBundle(ctx);
 */
export async function buildTrustBundle(ctx: ServerContext): Promise<string> {
  return (await readTrustBundle(ctx)).jws;
}
