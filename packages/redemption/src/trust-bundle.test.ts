import { generateKeyPair } from "@haki/credentials/keys";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestWorld, type TestWorld } from "./testing";
import { areaName, programmeName, signTrustBundle, TrustBundle, verifyTrustBundle } from "./trust-bundle";

const NOW = new Date("2027-03-10T09:00:00Z");
let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld({ now: NOW });
});

describe("trust bundles", () => {
  it("verifies against the thumbprint pinned by the set-up code", async () => {
    const b = await verifyTrustBundle(world.bundleJws, { pinnedThumbprint: world.setup.bundleKey });
    expect(b).toEqual(world.bundle);
  });

  it("refuses a bundle signed by another key (ERR_TRUST_BUNDLE_UNTRUSTED)", async () => {
    const other = await generateKeyPair();
    const jws = await signTrustBundle(world.bundle, {
      privateKey: other.privateKey,
      publicJwk: other.publicJwk,
    });
    await expect(
      verifyTrustBundle(jws, { pinnedThumbprint: world.setup.bundleKey }),
    ).rejects.toMatchObject({ code: "ERR_TRUST_BUNDLE_UNTRUSTED" });
    await expect(verifyTrustBundle(jws, { previous: world.bundle })).rejects.toMatchObject({
      code: "ERR_TRUST_BUNDLE_UNTRUSTED",
    });
  });

  it("refuses a bundle whose header names the pinned key but whose signature is from another", async () => {
    const other = await generateKeyPair();
    const jws = await signTrustBundle(world.bundle, {
      privateKey: other.privateKey,
      publicJwk: world.bundleKey.publicJwk,
    });
    await expect(
      verifyTrustBundle(jws, { pinnedThumbprint: world.setup.bundleKey }),
    ).rejects.toMatchObject({ code: "ERR_TRUST_BUNDLE_UNTRUSTED" });
  });

  it("refuses a tampered bundle", async () => {
    const [h, , s] = world.bundleJws.split(".");
    const evil = Buffer.from(JSON.stringify({ ...world.bundle, servicePoints: [] })).toString(
      "base64url",
    );
    await expect(
      verifyTrustBundle(`${h}.${evil}.${s}`, { pinnedThumbprint: world.setup.bundleKey }),
    ).rejects.toMatchObject({ code: "ERR_TRUST_BUNDLE_UNTRUSTED" });
  });

  it("refuses junk (ERR_TRUST_BUNDLE_INVALID)", async () => {
    await expect(
      verifyTrustBundle("junk", { pinnedThumbprint: world.setup.bundleKey }),
    ).rejects.toMatchObject({ code: "ERR_TRUST_BUNDLE_INVALID" });
  });

  it("accepts a newer bundle signed by a key the previous one allowed, and refuses an older one", async () => {
    const next = await world.signBundle({ seq: 5 });
    const b = await verifyTrustBundle(next, { previous: world.bundle });
    expect(b.seq).toBe(5);
    const older = await world.signBundle({ seq: 0 });
    await expect(verifyTrustBundle(older, { previous: b })).rejects.toMatchObject({
      code: "ERR_TRUST_BUNDLE_ROLLBACK",
    });
  });

  it("names programmes in the operator's language, falling back to the default name", () => {
    expect(programmeName(world.bundle, "food-aid", "fr")).toBe("Aide alimentaire");
    expect(programmeName(world.bundle, "school-fees", "fr")).toBe("School Fees Waiver");
    expect(programmeName(world.bundle, "nope", "fr")).toBeUndefined();
  });

  it("names areas by their place name and keeps a programme's contact, through signing and verifying", async () => {
    const key = await generateKeyPair();
    const bundle: TrustBundle = {
      ...world.bundle,
      signingKeys: [key.publicJwk],
      areas: [{ code: "KE-047", name: "Nairobi" }],
      programmes: world.bundle.programmes.map((p, i) => (i === 0 ? { ...p, contact: "Call 0800 720 720" } : p)),
    };
    const { calculateJwkThumbprint } = await import("jose");
    const back = await verifyTrustBundle(await signTrustBundle(bundle, key), { pinnedThumbprint: await calculateJwkThumbprint(key.publicJwk, "sha256") });
    expect(areaName(back, "KE-047")).toBe("Nairobi");
    expect(areaName(back, "KE-042")).toBe("KE-042");
    expect(back.programmes[0]?.contact).toBe("Call 0800 720 720");
    expect(TrustBundle.safeParse({ ...bundle, areas: [{ code: "KE 047", name: "x" }] }).success).toBe(false);
  });

  it("carries national ID authorities and a programme's binding rule through signing and verifying; old bundles without them still parse", async () => {
    const { makeIdentityAuthority } = await import("@haki/claim169/testing");
    const authority = await makeIdentityAuthority({ alg: "ES256", kid: "nid-2027" });
    const key = await generateKeyPair();
    const bundle: TrustBundle = {
      ...world.bundle,
      signingKeys: [key.publicJwk],
      identityIssuers: [authority.issuer],
      programmes: world.bundle.programmes.map((p, i) => (i === 0 ? { ...p, idBinding: "refuse" as const } : p)),
    };
    const { calculateJwkThumbprint } = await import("jose");
    const back = await verifyTrustBundle(await signTrustBundle(bundle, key), { pinnedThumbprint: await calculateJwkThumbprint(key.publicJwk, "sha256") });
    expect(back.identityIssuers).toEqual([authority.issuer]);
    expect(back.programmes[0]?.idBinding).toBe("refuse");
    expect(back.programmes[1]?.idBinding).toBeUndefined();
    // A bundle signed before identity checks (no identityIssuers, no idBinding) still verifies.
    expect(world.bundle.identityIssuers).toBeUndefined();
    await expect(verifyTrustBundle(world.bundleJws, { pinnedThumbprint: world.setup.bundleKey })).resolves.toEqual(world.bundle);
    // A private key smuggled into an authority, or an unknown rule, is refused.
    const leaked = { ...authority.issuer, keys: [{ ...authority.issuer.keys[0]!, publicKeyJwk: { ...authority.issuer.keys[0]!.publicKeyJwk, d: "AAAA" } }] };
    expect(TrustBundle.safeParse({ ...bundle, identityIssuers: [leaked] }).success).toBe(false);
    expect(TrustBundle.safeParse({ ...bundle, programmes: [{ ...bundle.programmes[0]!, idBinding: "maybe" }] }).success).toBe(false);
  });
});
