/**
 * Service points and their verifier devices: one-time set-up codes, enrolment (the device's
 * receipt key is stored under a new device id), and the trust bundle devices live on.
 */
import { z } from "zod";
import { calculateJwkThumbprint } from "jose";
import { encodeSetupCode, PublicJwk, type EnrolmentRequest, type EnrolmentResponse } from "@haki/redemption/setup";
import { signTrustBundle, type TrustBundle } from "@haki/redemption/trust-bundle";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { sha256Hex } from "@/server/lib/hash";
import { newSecret } from "@/server/lib/ids";
import { readJsonColumn } from "@/server/lib/json-column";
import { statusListUrl, STATUS_LIST_SIZE } from "@/server/issuance/entitlement-input";
import { readAreaNames } from "@/server/areas/read-area-names";
import { readIdentityIssuers } from "@/server/identity/read-identity-authorities";
import { readBindingKeysFor } from "@/server/programmes/save-programme-id-binding";

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
    await appendAuditEvent(tx, ctx.now(), { actorId: actor.id, action: "service_point.save", subject: sp.id, details: { programmes: sp.programmes } });
  });
  return { id: sp.id };
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
  const code = newSecret(18);
  const expiresAt = new Date(ctx.now().getTime() + minutes * 60_000);
  const { thumbprint } = await bundleKey(ctx);
  await ctx.db.$transaction(async (tx) => {
    await tx.enrolmentCode.create({ data: { codeHash: sha256Hex(code), servicePointId: sp.id, expiresAt, createdBy: actor.id, createdAt: ctx.now() } });
    await appendAuditEvent(tx, ctx.now(), { actorId: actor.id, action: "device.setup_code", subject: sp.id });
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
  await ctx.db.$transaction(async (tx) => {
    // The conditional update is the single-use check: of two devices racing, one gets count 1.
    const { count } = await tx.enrolmentCode.updateMany({
      where: { codeHash: sha256Hex(req.code), servicePointId: req.servicePoint, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw new ApiError("ERR_FORBIDDEN", "This set-up code is unknown, used or expired; ask for a new one.");
    const { kty, crv, x } = req.deviceKey;
    await tx.device.create({ data: { id: deviceId, servicePointId: req.servicePoint, publicJwk: JSON.stringify({ kty, crv, x }), label: req.deviceLabel ?? null, enrolledAt: now } });
    await appendAuditEvent(tx, now, { actorId: null, action: "device.enrol", subject: deviceId, details: { servicePoint: req.servicePoint } });
  });
  // The binding keys of the bound programmes it serves: secret, so only in this answer to a device
  // that just proved the one-time code, never in the bundle anyone may fetch.
  const point = await ctx.db.servicePoint.findUnique({ where: { id: req.servicePoint } });
  const bindingKeys = point ? await readBindingKeysFor(ctx, readServicePointProgrammes(point)) : [];
  return { deviceId, servicePoint: req.servicePoint, bundle: await buildTrustBundle(ctx), ...(bindingKeys.length ? { bindingKeys } : {}) };
}

/** The enrolled (not revoked) key of a device, for receipt verification. */
export async function deviceKey(ctx: ServerContext, deviceId: string): Promise<PublicJwk | undefined> {
  const d = await ctx.db.device.findUnique({ where: { id: deviceId } });
  return d && !d.revokedAt ? readJsonColumn(PublicJwk, d.publicJwk, "Device.publicJwk") : undefined;
}

/**
 * The signed trust bundle for verifiers: issuer DIDs and keys, programme names, contacts and ID
 * binding rules, service points, area place names, national ID authorities' keys, and the status
 * list URLs to keep cached. Signed with the issuer's active key; `seq` increases;
 * `signingKeys` names the active key and the next one (pre-rotation).
 *
 * @example
 * const jws = await buildTrustBundle(ctx);
 */
export async function buildTrustBundle(ctx: ServerContext): Promise<string> {
  // The active key first: on a fresh database it is created now, and the next one after it.
  const { key, publicJwk } = await bundleKey(ctx);
  const next = await ctx.keys.nextPublicKey();
  const [keys, programmes, points, counter, seq, areas, identityIssuers] = await Promise.all([
    ctx.keys.listPublicKeys(),
    ctx.db.programme.findMany({ orderBy: { code: "asc" } }),
    ctx.db.servicePoint.findMany({ orderBy: { id: "asc" } }),
    ctx.db.counter.findUnique({ where: { name: "status-index" } }),
    ctx.db.counter.update({ where: { name: "trust-bundle" }, data: { value: { increment: 1 } } }),
    readAreaNames(ctx),
    readIdentityIssuers(ctx),
  ]);
  const lists = counter && counter.value > 0 ? Math.floor((counter.value - 1) / STATUS_LIST_SIZE) + 1 : 0;
  const bundle: TrustBundle = {
    v: 1,
    iss: ctx.did,
    seq: seq.value,
    iat: Math.floor(ctx.now().getTime() / 1000),
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
  return signTrustBundle(bundle, { privateKey: key.privateKey, publicJwk });
}
