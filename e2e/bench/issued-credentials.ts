/**
 * Run by `qr.bench.ts` in a child process, in the issuer's folder, on a temporary SQLite database
 * that `seed` and `seed:demo` (what `npm start` runs) filled with @haki/demo-data and issued: picks,
 * for the cash and the in-kind demo programme, the issued entitlement whose beneficiary has the
 * longest display name (UTF-8 bytes), and prints as JSON
 * - the paper card credential the bulk issuance job stored (what `Print paper cards` encodes),
 * - the holder-bound credential the wallet receives for its holder key: an officer's offer
 *   (`createOffer`, as *Send to phone*), then the OpenID4VCI pre-authorised flow with the PIN run
 *   by @haki/openid4vci's wallet client against the issuer's own route handlers (metadata, token,
 *   nonce, credential) in process,
 * - the same two as VC 2.0 `vc+jwt`, signed from the issuer's own `entitlementInput` with its
 *   active key (the issuer makes VC 2.0 the default for new cycles in phase 2 of issue 17; this is
 *   the input it will sign),
 * - the same four for the five longest display names of the whole registry (the demo cycles serve
 *   Nairobi, whose names are Latin; the registry also has Arabic, Ge'ez and Thai names): the
 *   issuer's `entitlementInput` of that real entitlement with the other registry row, signed with
 *   the issuer's key (bytes as the issuance job's; issuer/src/server/issuance/cycle-signer.test.ts),
 * - a paper card bound to a national ID (issue 16) for each of the two: the officer switches the
 *   programme to ID binding (`saveProgrammeIdBinding`), the beneficiary's national ID number and
 *   date of birth are sealed as the registry import seals them, the binding is computed by the
 *   issuance's own `cycleBindingOf`, and the card is signed from `entitlementInput` with the
 *   issuer's key (as the issuance job signs a bound cycle), its salt derived from the card's id and
 *   status entry; and the same card as issued before 2026-12-07 (random salt, carried in the QR);
 *   both also with the registry's longest display name,
 * - the signed trust bundle a verifier enrols with.
 *
 *   HAKI_BENCH_HOLDER_JWK=<private JWK> tsx packages/qr/bench/issued-credentials.ts   (cwd: issuer/, issuer env set)
 */
import { importKeyPair } from "@haki/credentials/keys";
import { signCredential } from "@haki/credentials/sign";
import { parseCredentialOfferUri, receiveCredential } from "@haki/openid4vci/client";
import { GET as issuerMetadata } from "../../issuer/src/app/.well-known/openid-credential-issuer/route";
import { GET as asMetadata } from "../../issuer/src/app/.well-known/oauth-authorization-server/route";
import { POST as token } from "../../issuer/src/app/api/oid4vci/token/route";
import { POST as nonce } from "../../issuer/src/app/api/oid4vci/nonce/route";
import { POST as credentialRoute } from "../../issuer/src/app/api/oid4vci/credential/route";
import { getServerContext } from "../../issuer/src/server/context";
import { createOffer } from "../../issuer/src/server/delivery/create-offer";
import { entitlementInput } from "../../issuer/src/server/issuance/entitlement-input";
import { buildTrustBundle } from "../../issuer/src/server/verifier/service-points";
import { cardRefOf, cycleBindingOf } from "../../issuer/src/server/issuance/cycle-binding";
import { saveProgrammeIdBinding } from "../../issuer/src/server/programmes/save-programme-id-binding";
import { sealIdentityFacts } from "../../issuer/src/server/registry/identity-facts";
import { computeIdBinding } from "../../packages/id-binding/src/binding";

const holder = await importKeyPair(JSON.parse(process.env.HAKI_BENCH_HOLDER_JWK ?? "null"));
const holderDid = holder.did;

const ctx = getServerContext();
const officerRow = await ctx.db.user.findUniqueOrThrow({ where: { email: "officer@haki.local" }, include: { roles: true } });
const officer = { id: officerRow.id, name: officerRow.name, email: officerRow.email, roles: officerRow.roles.map((r) => r.role) as never[], locale: officerRow.locale };

const params = { params: Promise.resolve({}) };
const ROUTES: Record<string, (r: Request) => Promise<Response>> = {
  "GET /.well-known/openid-credential-issuer": (r) => issuerMetadata(r, params),
  "GET /.well-known/oauth-authorization-server": (r) => asMetadata(r, params),
  "POST /api/oid4vci/token": (r) => token(r, params),
  "POST /api/oid4vci/nonce": (r) => nonce(r, params),
  "POST /api/oid4vci/credential": (r) => credentialRoute(r, params),
};
/** The wallet's fetch, answered by the issuer's route handlers in this process. */
const fetchIssuer: typeof fetch = async (input, init) => {
  const request = new Request(input as RequestInfo, init);
  const route = ROUTES[`${request.method} ${new URL(request.url).pathname}`];
  return route ? route(request) : new Response("not found", { status: 404 });
};
const walletHolder = { did: holder.did, kid: holder.kid, sign: async (b: Uint8Array) => new Uint8Array(await crypto.subtle.sign("Ed25519", holder.privateKey, b as BufferSource)) };
const key = await ctx.keys.getSigningKey();
const issuer = { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL };
const out: Record<string, unknown>[] = [];
const boundPaper: Record<string, unknown>[] = [];
const utf8 = (s: string | null) => new TextEncoder().encode(s ?? "").length;
const registry = await ctx.db.beneficiary.findMany({ where: { displayName: { not: null } } });
const longestNames = registry.sort((a, b) => utf8(b.displayName) - utf8(a.displayName)).slice(0, 5);
for (const benefitType of ["cash", "inkind"]) {
  const entitlements = await ctx.db.entitlement.findMany({
    where: { status: "issued", credential: { not: null }, cycle: { programme: { benefitType } } },
    include: { beneficiary: true, cycle: { include: { programme: true } } },
  });
  if (entitlements.length === 0) throw new Error(`no issued ${benefitType} entitlement: did seed:demo run?`);
  const e = entitlements.reduce((a, b) => (utf8(b.beneficiary.displayName) > utf8(a.beneficiary.displayName) ? b : a));
  const rows = { entitlement: e, cycle: e.cycle, programme: e.cycle.programme, beneficiary: e.beneficiary };
  const { offerUri, txCode } = await createOffer(ctx, { entitlementId: e.id, withPin: true }, officer);
  const received = await receiveCredential({ offer: await parseCredentialOfferUri(offerUri), txCode: txCode ?? undefined, holder: walletHolder, fetch: fetchIssuer });
  const bound = received.credential;
  out.push({
    benefitType,
    name: e.beneficiary.displayName,
    source: "issued",
    entitled: entitlements.length,
    vc1: { paper: e.credential, bound },
    vc2: {
      paper: await signCredential(entitlementInput(rows, issuer), key, { format: "vc2" }),
      bound: await signCredential(entitlementInput(rows, { ...issuer, holder: holderDid }), key, { format: "vc2" }),
    },
  });
  // The same entitlement in a programme that binds its paper cards to national IDs.
  await saveProgrammeIdBinding(ctx, { programmeId: e.cycle.programme.id, mode: "refuse" }, officer);
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: e.cycle.programme.id } });
  const identityFacts = sealIdentityFacts(ctx, e.beneficiary.registryIdHash, { id: "CM-1988-0102-4411-7", birthDate: "1988-01-02" });
  const cycleBinding = cycleBindingOf(ctx, programme);
  const idBinding = await cycleBinding?.bindingOf({ registryIdHash: e.beneficiary.registryIdHash, identityFacts }, cardRefOf(entitlementInput(rows, issuer)));
  if (!idBinding || !cycleBinding) throw new Error(`${benefitType}: no binding computed`);
  const boundRows = { ...rows, programme, idBinding };
  // The same card as issued before 2026-12-07: a random salt, which its QR code carries.
  const olderRows = { ...boundRows, idBinding: await computeIdBinding({ id: "CM-1988-0102-4411-7", birthDate: "1988-01-02" }, cycleBinding.key) };
  // The issued beneficiary's card, and the same card for the longest name of the whole registry.
  for (const beneficiary of [e.beneficiary, longestNames[0]!]) {
    const [withName, olderWithName] = [{ ...boundRows, beneficiary }, { ...olderRows, beneficiary }];
    boundPaper.push({
      benefitType,
      name: beneficiary.displayName,
      vc1: await signCredential(entitlementInput(withName, issuer), key, { format: "vc1" }),
      vc2: await signCredential(entitlementInput(withName, issuer), key, { format: "vc2" }),
      older: {
        vc1: await signCredential(entitlementInput(olderWithName, issuer), key, { format: "vc1" }),
        vc2: await signCredential(entitlementInput(olderWithName, issuer), key, { format: "vc2" }),
      },
    });
  }
  for (const beneficiary of longestNames) {
    const other = { ...rows, beneficiary };
    const sign = (format: "vc1" | "vc2", holder?: string) => signCredential(entitlementInput(other, { ...issuer, ...(holder ? { holder } : {}) }), key, { format });
    out.push({
      benefitType,
      name: beneficiary.displayName,
      source: "registry",
      entitled: entitlements.length,
      vc1: { paper: await sign("vc1"), bound: await sign("vc1", holderDid) },
      vc2: { paper: await sign("vc2"), bound: await sign("vc2", holderDid) },
    });
  }
}
process.stdout.write(JSON.stringify({ issuer: issuer.did, bundle: await buildTrustBundle(ctx), credentials: out, boundPaper }));
await ctx.db.$disconnect();
