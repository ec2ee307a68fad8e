/**
 * A national ID card's QR (Claim 169) at the counter: the published reference vectors checked
 * against the trust bundle's identity issuers, with the reason for each refusal.
 */
import { issuerOf, resign, vector } from "@haki/claim169/reference-vectors";
import { makeIdentityAuthority } from "@haki/claim169/testing";
import { IdentityIssuer } from "@haki/claim169/trust";
import { createTestWorld, checkContextFor, type TestWorld } from "@haki/redemption/testing";
import type { TrustBundle } from "@haki/redemption/trust-bundle";
import { beforeAll, describe, expect, it } from "vitest";
import { checkIdentityText } from "./identity";
import { checkScan } from "./scan-check";

const NOW = new Date("2026-03-01T09:00:00Z");
let world: TestWorld;
let bundle: TrustBundle;
beforeAll(async () => {
  world = await createTestWorld({ now: NOW });
  bundle = { ...world.bundle, identityIssuers: [IdentityIssuer.parse(issuerOf(vector("ed25519-signed")))] };
});

describe("a national ID card's QR at the counter", () => {
  it("shows the name of a published signed vector verified with the authority's key from the trust bundle", async () => {
    const id = await checkIdentityText(vector("ed25519-signed").qr_data, bundle, NOW);
    expect(id).toMatchObject({ valid: true, view: { fullName: "Signed Test Person", authority: "Reference vector ed25519-signed" }, facts: { id: "ID-SIGNED-001" } });
  });

  it("refuses it when the bundle names no such authority (an old bundle, or another authority's key)", async () => {
    expect(await checkIdentityText(vector("ed25519-signed").qr_data, world.bundle, NOW)).toMatchObject({ valid: false, reason: "untrusted", code: "ERR_CLAIM169_ISSUER_UNTRUSTED" });
    const other = { ...bundle, identityIssuers: [IdentityIssuer.parse(issuerOf(vector("ecdsa-p256-signed")))] };
    expect(await checkIdentityText(vector("ed25519-signed").qr_data, other, NOW)).toMatchObject({ valid: false, reason: "untrusted" });
    expect(await checkIdentityText(vector("ed25519-signed").qr_data, undefined, NOW)).toMatchObject({ valid: false, reason: "untrusted" });
  });

  it("refuses an expired or not yet valid card with its date, and an encrypted one", async () => {
    const authority = await makeIdentityAuthority({ id: "https://mosip.example.org" });
    const trusted = { ...bundle, identityIssuers: [authority.issuer] };
    const expired = await resign(vector("expired").qr_data, authority.signer.privateKey);
    expect(await checkIdentityText(expired, trusted, NOW)).toMatchObject({ valid: false, reason: "expired", details: { date: "2021-01-01" }, fullName: "Expired Test Person" });
    const future = await resign(vector("not-yet-valid").qr_data, authority.signer.privateKey);
    expect(await checkIdentityText(future, trusted, NOW)).toMatchObject({ valid: false, reason: "notYetValid", details: { date: "2050-01-01" } });
    expect(await checkIdentityText(vector("encrypted-aes256").qr_data, trusted, NOW)).toMatchObject({ valid: false, reason: "encrypted", code: "ERR_CLAIM169_ENCRYPTED" });
    // The unsigned vector itself never verifies: its signature is empty.
    expect(await checkIdentityText(vector("minimal").qr_data, trusted, NOW)).toMatchObject({ valid: false, reason: "notGenuine" });
  });

  it("shows the photo of a card that has one, and refuses a changed one", async () => {
    const authority = await makeIdentityAuthority({ id: "www.mosip.io" });
    const trusted = { ...bundle, identityIssuers: [authority.issuer] };
    const text = await resign(vector("refugee-identity").qr_data, authority.signer.privateKey);
    const id = await checkIdentityText(text, trusted, new Date("2026-01-01T00:00:00Z"));
    expect(id.valid && id.view.photo).toMatch(/^data:image\/webp;base64,/);
    expect(id.valid && id.view.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const other = await makeIdentityAuthority({ id: "www.mosip.io" });
    expect(await checkIdentityText(await resign(vector("refugee-identity").qr_data, other.signer.privateKey), trusted, NOW)).toMatchObject({ valid: false, reason: "notGenuine" });
  });

  it("is what a scan of an ID card answers; a benefit card still gets its decision", async () => {
    const context = checkContextFor(world, await world.deviceState(), { now: NOW, trust: { jws: "", bundle, fetchedAt: NOW.getTime() } });
    expect(await checkScan(vector("ed25519-signed").qr_data, context)).toMatchObject({ kind: "identity", identity: { valid: true } });
    expect(await checkScan("HELLO", context)).toMatchObject({ kind: "card", decision: { outcome: "red" } });
  });
});
