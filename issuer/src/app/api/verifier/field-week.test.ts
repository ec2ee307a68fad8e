/**
 * Issue 12, "a field week": one service point, offline for eight days, with the real verifier
 * package (@haki/redemption: refresh, check, hand-over, receipts queue) fed what this issuer really
 * produces (status lists, trust bundle, paper credentials from bulk issuance, phone credentials
 * delivered over OpenID4VCI), through the issuer's route handlers in process, with a fake clock.
 *
 * The timeline: the device refreshes at T0 and loses the network. It checks a phone proof and a
 * paper card at +1 min, +1 h, +1 day, +6 days and +8 days and hands over every green one. At
 * +2 days the office cancels two cards it cannot hear about. At +8 days the network comes back:
 * the first refresh shows the cancellations, a proxy replaying the week-old lists and bundle is
 * refused, and the week's receipts reach the issuer exactly once although an answer is lost.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { parseCredentialOfferUri, receiveCredential } from "@haki/openid4vci/client";
import { decodeProof, encodeProof } from "@haki/qr/codec";
import { checkProof, type Decision, type DecodedProof } from "@haki/redemption/check";
import { recordHandOver } from "@haki/redemption/hand-over";
import { refreshTrustData } from "@haki/redemption/refresh";
import { defaultSettings, type OperatorSettings } from "@haki/redemption/settings";
import { ISSUER_ENDPOINTS, parseSetupCode } from "@haki/redemption/setup";
import { createMemoryStore } from "@haki/redemption/stores";
import { createSyncQueue, type ReceiptSubmissionResult } from "@haki/redemption/sync-queue";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import { testProviders } from "@haki/db/testing";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { createOffer } from "@/server/delivery/create-offer";
import { changeStatus } from "@/server/status/change-status";
import { createSetupCode, saveServicePoint } from "@/server/verifier/service-points";
import { GET as issuerMetadata } from "@/app/.well-known/openid-credential-issuer/route";
import { GET as asMetadata } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as token } from "@/app/api/oid4vci/token/route";
import { POST as nonce } from "@/app/api/oid4vci/nonce/route";
import { POST as credential } from "@/app/api/oid4vci/credential/route";
import { GET as statusList } from "@/app/status/[list]/[purpose]/route";
import { POST as enrol } from "./enrol/route";
import { GET as trustBundle } from "./trust-bundle/route";
import { POST as receipts } from "./receipts/route";

const ORIGIN = "https://issuer.haki.test";
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SERVICE_POINT = "sp-kibera-market";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: Record<string, Route> = {
  "GET /.well-known/openid-credential-issuer": issuerMetadata as Route,
  "GET /.well-known/oauth-authorization-server": asMetadata as Route,
  "POST /api/oid4vci/token": token as Route,
  "POST /api/oid4vci/nonce": nonce as Route,
  "POST /api/oid4vci/credential": credential as Route,
  [`POST ${ISSUER_ENDPOINTS.enrol}`]: enrol as Route,
  [`GET ${ISSUER_ENDPOINTS.trustBundle}`]: trustBundle as Route,
  [`POST ${ISSUER_ENDPOINTS.receipts}`]: receipts as Route,
};

/** The issuer, answered by its route handlers in process (what wallets and verifiers reach). */
const issuerFetch: typeof fetch = async (input, init) => {
  const request = new Request(input as RequestInfo, init);
  const url = new URL(request.url);
  if (url.origin !== ORIGIN) return new Response("not found", { status: 404 });
  const list = /^\/status\/(\d+)\/(revocation|suspension)$/.exec(url.pathname);
  if (request.method === "GET" && list) {
    return (statusList as Route)(request, { params: Promise.resolve({ list: list[1]!, purpose: list[2]! }) });
  }
  const route = ROUTES[`${request.method} ${url.pathname}`];
  return route ? route(request, { params: Promise.resolve({}) }) : new Response("not found", { status: 404 });
};

describe.each(testProviders())("issue 12: a field week at a service point on %s", (provider) => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  const store = createMemoryStore();
  const network = { online: true, loseNextAnswer: false, posts: 0 };
  /** What a proxy on the way serves instead of the issuer (URL -> body). */
  const proxy = new Map<string, string>();
  /** What went over the wire last, per URL (the proxy records it). */
  const wire = new Map<string, string>();
  let recordedAtT0 = new Map<string, string>();
  /** Lists an attacker fetched from the issuer at +2 days, just before the cancellations. */
  const recordedBeforeCancel = new Map<string, string>();
  let device: { deviceId: string; key: HakiKeyPair };
  const phones: { vc: string; holder: HakiKeyPair }[] = [];
  const papers: string[] = [];
  const receiptIds: string[] = [];
  let T0: number;

  /** Moves the issuer's clock and the system clock together. */
  function setTime(ms: number) {
    t.clock.now = new Date(ms);
    vi.setSystemTime(ms);
  }

  async function deviceFetchText(url: string): Promise<string> {
    if (!network.online) throw new TypeError("Failed to fetch");
    const replayed = proxy.get(url);
    if (replayed !== undefined) return replayed;
    const res = await issuerFetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.text();
    wire.set(url, body);
    return body;
  }

  const refresh = () =>
    refreshTrustData({ store, fetchText: deviceFetchText, trustBundleUrl: ORIGIN + ISSUER_ENDPOINTS.trustBundle, now: () => Date.now() });

  const queue = createSyncQueue({
    store,
    now: () => Date.now(),
    random: () => 0.5,
    send: async (batch) => {
      if (!network.online) throw new TypeError("Failed to fetch");
      network.posts++;
      const res = await issuerFetch(ORIGIN + ISSUER_ENDPOINTS.receipts, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(batch),
      });
      const answer = (await res.json()) as ReceiptSubmissionResult;
      if (network.loseNextAnswer) {
        // Stored at the issuer, but the answer never reaches the device.
        network.loseNextAnswer = false;
        throw new TypeError("network connection lost");
      }
      return answer;
    },
  });

  async function check(proof: DecodedProof, settings: Partial<OperatorSettings> = {}): Promise<Decision> {
    const trust = await store.getTrust();
    return checkProof(proof, {
      now: new Date(Date.now()),
      trust,
      servicePointId: SERVICE_POINT,
      statusLists: await store.getStatusLists(),
      settings: { ...defaultSettings(), ...settings },
      seen: store,
      balances: store,
    });
  }
  /** The phone shows a fresh QR code, as the wallet makes it; the counter scans and decodes it. */
  async function phoneProof(n: number): Promise<DecodedProof> {
    const { vc, holder } = phones[n]!;
    const qr = encodeProof(await signPresentation(vc, holder, { now: new Date(Date.now()) }), { issuers: [t.ctx.did] });
    return decodeProof(qr, { issuers: [t.ctx.did] });
  }
  const paperProof = (n: number): DecodedProof => decodeProof(encodeProof(papers[n]!, { issuers: [t.ctx.did] }), { issuers: [t.ctx.did] });

  async function handOver(d: Decision) {
    if (d.outcome !== "green") throw new Error(`expected green, got ${d.code}`);
    const receipt = await recordHandOver({
      store,
      decision: d,
      device: { deviceId: device.deviceId, privateKey: device.key.privateKey },
      servicePoint: SERVICE_POINT,
      now: Date.now(),
    });
    receiptIds.push(receipt.id);
  }

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    t = await createTestContext(provider);
    setTime(t.clock.now.getTime());
    fx = await createIssuedCycle(t.ctx, 12);
    // The cycle runs from 1 March: the week starts on 2 March.
    T0 = Date.parse("2027-03-02T08:00:00Z");
    setTime(T0 - HOUR);
    const admin = await createTestUser(t.ctx, ["admin"]);
    const officer = await createTestUser(t.ctx, ["officer"]);
    const programme = await t.ctx.db.programme.findUniqueOrThrow({ where: { id: fx.programmeId } });
    await saveServicePoint(t.ctx, { id: SERVICE_POINT, name: "Kibera market shop", area: "KE-047", programmes: [programme.code] }, admin.actor);

    // Enrolment, as the verifier does it: the set-up code pins the bundle key.
    const setup = parseSetupCode((await createSetupCode(t.ctx, SERVICE_POINT, admin.actor)).setupCode);
    const key = await generateKeyPair({ extractable: false });
    const res = await callRoute(enrol as Route, { method: "POST", body: { code: setup.code, servicePoint: SERVICE_POINT, deviceKey: key.publicJwk } });
    const enrolled = (await res.json()) as { deviceId: string; bundle: string };
    const bundle = await verifyTrustBundle(enrolled.bundle, { pinnedThumbprint: setup.bundleKey });
    await store.putTrust({ jws: enrolled.bundle, bundle, fetchedAt: Date.now() });
    device = { deviceId: enrolled.deviceId, key };

    // Five cards delivered to phones (OpenID4VCI, holder-bound) and six paper cards (bulk issuance).
    for (const e of fx.entitlements.slice(0, 5)) {
      const holder = await generateKeyPair({ extractable: false });
      const offer = await createOffer(t.ctx, { entitlementId: e.id, withPin: false }, officer.actor);
      const sign = async (b: Uint8Array) => new Uint8Array(await crypto.subtle.sign("Ed25519", holder.privateKey, b as BufferSource));
      const received = await receiveCredential({
        offer: await parseCredentialOfferUri(offer.offerUri),
        holder: { did: holder.did, kid: holder.kid, sign },
        fetch: issuerFetch,
        now: () => new Date(Date.now()),
      });
      phones.push({ vc: received.credential, holder });
    }
    for (const e of fx.entitlements.slice(5, 11)) papers.push(e.credential!);
    expect(papers.every(Boolean)).toBe(true);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it("refreshes at T0, then goes offline", async () => {
    setTime(T0);
    const report = await refresh();
    // The trust bundle is signed once per change: nothing changed since the enrolment an hour ago.
    expect(report).toMatchObject({ trust: "unchanged", lists: [{ ok: true }, { ok: true }] });
    recordedAtT0 = new Map(wire);
    const lists = await store.getStatusLists();
    // The issuer's lists: a 5-minute refresh hint, valid for the 7-day offline tolerance.
    for (const l of lists) {
      expect(l.refreshAfter!.getTime() - T0).toBe(5 * MIN);
      expect(l.validUntil.getTime() - T0).toBeGreaterThanOrEqual(7 * DAY);
    }
    network.online = false;
  });

  const checkpoints = [
    { label: "+1 min", at: MIN },
    { label: "+1 h", at: HOUR },
    { label: "+1 day", at: DAY },
    { label: "+6 days", at: 6 * DAY },
  ];
  for (const [n, point] of checkpoints.entries()) {
    it(`issue 12 field week: ${point.label} offline, a phone proof and a paper card are green and handed over`, async () => {
      setTime(T0 + point.at);
      const phone = await check(await phoneProof(n));
      const paper = await check(paperProof(n));
      expect(phone).toMatchObject({ outcome: "green", visualCheck: false });
      expect(paper).toMatchObject({ outcome: "green", visualCheck: true });
      // Past the operator's 72 hours the answer says how old the lists are (policy "warn").
      const warned = point.at > 3 * DAY ? { days: Math.floor(point.at / DAY), updated: "2027-03-02" } : undefined;
      expect(phone.outcome === "green" && phone.outdated).toEqual(warned);
      expect(paper.outcome === "green" && paper.outdated).toEqual(warned);
      await handOver(phone);
      await handOver(paper);
      // Nothing leaves the device while it is offline.
      expect(await queue.flush()).toMatchObject({ sent: 0, failed: 2 * (n + 1) });
    });
  }

  it("issue 12 field week: +2 days, the office cancels a phone card and a paper card; the offline device cannot know yet", async () => {
    setTime(T0 + 2 * DAY);
    for (const purpose of ["revocation", "suspension"]) {
      const url = `${ORIGIN}/status/1/${purpose}`;
      recordedBeforeCancel.set(url, await (await issuerFetch(url)).text());
    }
    setTime(T0 + 2 * DAY + MIN);
    for (const e of [fx.entitlements[4]!, fx.entitlements[10]!]) {
      await changeStatus(t.ctx, { action: "revoke", entitlementId: e.id, reason: "Death notified by the civil registry" }, fx.officer.actor);
    }
    // The office also opens a second shop: the trust bundle changes (a new seq) while the device is away.
    const programme = await t.ctx.db.programme.findUniqueOrThrow({ where: { id: fx.programmeId } });
    await saveServicePoint(t.ctx, { id: "sp-kibera-clinic", name: "Kibera clinic", area: "KE-047", programmes: [programme.code] }, fx.officer.actor);
    // The residual risk of a week offline, in one line: the old lists still say "not cancelled".
    expect(await check(paperProof(5))).toMatchObject({ outcome: "green" });
  });

  it("issue 12 field week: +6 days with the policy 'refuse', the same cards are red with a code", async () => {
    setTime(T0 + 6 * DAY + MIN);
    expect(await check(paperProof(5), { whenOutdated: "refuse" })).toMatchObject({ outcome: "red", code: "ERR_TRUST_STALE" });
    expect(await check(await phoneProof(4), { whenOutdated: "refuse", maxTrustAgeHours: 24 * 30 })).toMatchObject({
      outcome: "red",
      code: "ERR_STATUS_STALE",
    });
  });

  it("issue 12 field week: +8 days offline, past the lists' validity, both are refused (ERR_STATUS_STALE) under either policy", async () => {
    setTime(T0 + 8 * DAY);
    for (const whenOutdated of ["warn", "refuse"] as const) {
      const settings = { whenOutdated, maxTrustAgeHours: 24 * 30, maxStatusAgeHours: 24 * 30 };
      expect(await check(await phoneProof(3), settings)).toMatchObject({ outcome: "red", code: "ERR_STATUS_STALE" });
      expect(await check(paperProof(4), settings)).toMatchObject({ outcome: "red", code: "ERR_STATUS_STALE" });
    }
    expect(await check(paperProof(4))).toMatchObject({ outcome: "red", code: "ERR_STATUS_STALE", details: { updated: "2027-03-02" } });
  });

  it("issue 12 field week: back online, the first refresh shows the cancellations made while offline", async () => {
    setTime(T0 + 8 * DAY + 5 * MIN);
    network.online = true;
    const report = await refresh();
    expect(report).toMatchObject({ trust: "updated", lists: [{ ok: true }, { ok: true }] });
    expect(await check(await phoneProof(4))).toMatchObject({ outcome: "red", code: "ERR_CREDENTIAL_REVOKED" });
    expect(await check(paperProof(5))).toMatchObject({ outcome: "red", code: "ERR_CREDENTIAL_REVOKED" });
    // The card refused at +8 days is fine again, with fresh lists and no warning.
    const paper = await check(paperProof(4));
    expect(paper).toMatchObject({ outcome: "green" });
    expect(paper.outcome === "green" && paper.outdated).toBeUndefined();
    await handOver(paper);
  });

  it("issue 12 field week: a proxy replaying older lists and the week-old trust bundle is refused; the device never goes backwards", async () => {
    setTime(T0 + 8 * DAY + 10 * MIN);
    const held = async () => (await store.getStatusLists()).map((l) => l.issuedAt?.getTime());
    const before = await held();
    const replay = async (recorded: Map<string, string>) => {
      for (const [url, body] of recorded) proxy.set(url, body);
      const report = await refresh();
      proxy.clear();
      return report;
    };

    // Lists signed at +2 days, before the cancellations, still inside their validity: a rollback.
    const rolledBack = await replay(recordedBeforeCancel);
    expect(rolledBack.lists).toEqual([
      expect.objectContaining({ ok: false, code: "ERR_STATUS_LIST_ROLLBACK" }),
      expect.objectContaining({ ok: false, code: "ERR_STATUS_LIST_ROLLBACK" }),
    ]);
    expect(await held()).toEqual(before);
    expect(await check(paperProof(5))).toMatchObject({ outcome: "red", code: "ERR_CREDENTIAL_REVOKED" });

    // What went over the wire at T0: the bundle has a lower seq, the lists have expired.
    expect(recordedAtT0.size).toBe(3);
    const weekOld = await replay(recordedAtT0);
    expect(weekOld).toMatchObject({ trust: "failed", trustCode: "ERR_TRUST_BUNDLE_ROLLBACK" });
    expect(weekOld.lists.map((l) => l.code)).toEqual(["ERR_STATUS_LIST_INVALID", "ERR_STATUS_LIST_INVALID"]);
    expect(await held()).toEqual(before);
    expect(await check(await phoneProof(4))).toMatchObject({ outcome: "red", code: "ERR_CREDENTIAL_REVOKED" });
  });

  it("issue 12 field week: the week's receipts reach the issuer exactly once, although the first answer is lost", async () => {
    expect(receiptIds).toHaveLength(9);
    network.loseNextAnswer = true;
    expect(await queue.flush()).toMatchObject({ sent: 0, failed: 9, pending: 9 });
    expect(await t.ctx.db.receipt.count({ where: { device: device.deviceId } })).toBe(9);
    // Every receipt is due again within the longest backoff (15 minutes).
    setTime(Date.now() + 16 * MIN);
    expect(await queue.flush()).toMatchObject({ sent: 9, failed: 0, pending: 0 });
    const posts = network.posts;
    setTime(Date.now() + HOUR);
    expect(await queue.flush()).toMatchObject({ sent: 0, pending: 0 });
    expect(network.posts).toBe(posts);
    const stored = await t.ctx.db.receipt.findMany({ where: { device: device.deviceId }, orderBy: { id: "asc" } });
    expect(stored.map((r) => r.id)).toEqual([...receiptIds].sort());
    expect(stored.every((r) => !r.doubleRedemption)).toBe(true);
    expect(await queue.counts()).toEqual({ pending: 0, sent: 9, rejected: 0 });
  });

});
