import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { testProviders } from "@haki/db/testing";
import { mockDciSearch, startMockDciRegistry, type MockDciRegistry } from "@haki/registry/dci-testing";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { registryIdHash } from "./import-registry";
import { readDciSource, saveDciSource } from "./dci-source";
import { parseDciSourceForm } from "./dci-form";
import { saveSource } from "./save-source";
import { runningImports } from "./start-import";
import { startDciImport } from "./start-dci-import";
import { useTestContext, useTestUser } from "@/test/suite";

const TOKEN = "sr-access-token-0123456789-abcd";

function group(id: string, size: number | string, score: number, phone = "+254700000000") {
  return {
    "@type": "spdci:Group",
    group_identifier: [{ "@type": "Identifier", identifier_type: "HOUSEHOLD_ID", identifier_value: id }],
    group_size: size,
    poverty_score: score,
    group_head_info: { demographic_info: { name: { given_name: "Amina", surname: `Odhiambo ${id}` }, phone_number: [phone], identifier: [{ identifier_type: "NationalID", identifier_value: `NID-${id}` }] } },
    place: { address: "KE-047" },
  };
}

const records = () => [group("H-1", 5, 20), group("H-2", 3, 35), group("H-3", 7, 10), group("H-4", "many", 12), { poverty_score: 1 }];

describe.each(testProviders())("DCI registry import on %s", (provider) => {
  let t: TestContext;
  let registry: MockDciRegistry;
  let officer: Awaited<ReturnType<typeof createTestUser>>;
  let sourceId: string;

  beforeAll(async () => {
    t = await createTestContext(provider, { env: { HAKI_REGISTRY_ALLOWED_ADDRESSES: "127.0.0.1" } });
    officer = await createTestUser(t.ctx, ["officer"]);
    registry = await startMockDciRegistry({ records: records(), token: TOKEN });
  }, 60_000);
  afterAll(async () => {
    await registry.close();
    await t.close();
  });
  beforeEach(() => {
    registry.requests.length = 0;
    registry.faults.length = 0;
  });

  const config = () => ({
    ...mockDciSearch(registry),
    retries: 0,
  });
  const mapping = { group_identifier: "registryId", "group_head_info.demographic_info.name": "name", group_size: "householdSize", poverty_score: "povertyScore", "place.address": "area" };

  async function runImport() {
    const { runId } = await startDciImport(t.ctx, { sourceId }, officer.actor);
    await runningImports.get(runId);
    return t.ctx.db.importRun.findUniqueOrThrow({ where: { id: runId } });
  }

  it("saves the source with its token sealed, and shows only a hint of it", async () => {
    sourceId = (await saveDciSource(t.ctx, { name: "National social registry", config: config(), mapping, token: TOKEN }, officer.actor)).id;
    const row = await t.ctx.db.registrySource.findUniqueOrThrow({ where: { id: sourceId } });
    expect(row).toMatchObject({ kind: "dci", secret: expect.stringMatching(/^v1\./) });
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    expect(JSON.stringify(await t.ctx.db.auditEvent.findMany())).not.toContain(TOKEN);
    const view = readDciSource(t.ctx, row);
    expect(view.tokenHint).toBe("…abcd");
    expect(view.config).toMatchObject({ baseUrl: registry.url, pageSize: 2, locale: "eng" });
    expect(JSON.stringify(view)).not.toContain(TOKEN);
    // The sealed token is bound to its source: copied onto another source it does not open.
    const other = (await saveDciSource(t.ctx, { name: "Copy", config: config(), mapping }, officer.actor)).id;
    await t.ctx.db.registrySource.update({ where: { id: other }, data: { secret: row.secret } });
    expect(readDciSource(t.ctx, { ...row, id: other }).tokenHint).toBeNull();
    await t.ctx.db.registrySource.delete({ where: { id: other } });
  });

  it("imports every page with the token, storing hashes and mapped fields only, and records per-record errors", async () => {
    const run = await runImport();
    expect(run).toMatchObject({ status: "completed", rowsRead: 5, created: 3, rejected: 2, fileName: expect.stringMatching(/^DCI 127\.0\.0\.1:\d+$/) });
    expect(registry.requests).toHaveLength(3);
    expect(registry.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const stored = await t.ctx.db.beneficiary.findMany({ where: { sourceId }, orderBy: { householdSize: "asc" } });
    expect(stored.map((b) => [b.displayName, b.householdSize, b.povertyScore, b.area])).toEqual([
      ["Amina Odhiambo H-2", 3, 35, "KE-047"],
      ["Amina Odhiambo H-1", 5, 20, "KE-047"],
      ["Amina Odhiambo H-3", 7, 10, "KE-047"],
    ]);
    expect(stored[1]!.registryIdHash).toBe(registryIdHash(t.ctx, "H-1"));
    expect(JSON.stringify(stored)).not.toMatch(/"H-1"|NID-|\+2547/);
    const errors = await t.ctx.db.importRowError.findMany({ where: { runId: run.id }, orderBy: { row: "asc" } });
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [4, "group_size", "ERR_ROW_INVALID"],
      [5, "group_identifier", "ERR_ROW_INVALID"],
    ]);
  });

  it("re-importing the same registry changes nothing; a changed record updates in place", async () => {
    const before = await t.ctx.db.beneficiary.findMany({ where: { sourceId }, orderBy: { id: "asc" } });
    expect(await runImport()).toMatchObject({ status: "completed", created: 0, updated: 0, unchanged: 3, rejected: 2 });
    expect(await t.ctx.db.beneficiary.findMany({ where: { sourceId }, orderBy: { id: "asc" } })).toEqual(before);

    registry.setRecords([group("H-1", 5, 20), group("H-2", 4, 35), group("H-3", 7, 10)]);
    expect(await runImport()).toMatchObject({ created: 0, updated: 1, unchanged: 2, rejected: 0 });
    const h2 = await t.ctx.db.beneficiary.findFirstOrThrow({ where: { registryIdHash: registryIdHash(t.ctx, "H-2") } });
    expect(h2.householdSize).toBe(4);
    expect(h2.ref).toBe(before.find((b) => b.id === h2.id)!.ref);
  });

  it("fails the run with the registry's reason when it refuses the search or the token", async () => {
    registry.faults.push({ kind: "reject", code: "rjct.search_criteria.invalid", message: "unknown attribute poverty_score" });
    const rejected = await runImport();
    expect(rejected).toMatchObject({ status: "failed", error: expect.stringMatching(/refused the search: unknown attribute poverty_score/) });

    const count = await t.ctx.db.beneficiary.count({ where: { sourceId } });
    await saveDciSource(t.ctx, { id: sourceId, name: "National social registry", config: config(), mapping, token: "wrong-token-0000000000" }, officer.actor);
    const refused = await runImport();
    expect(refused).toMatchObject({ status: "failed", error: expect.stringMatching(/credentials/) });
    expect(await t.ctx.db.beneficiary.count({ where: { sourceId } })).toBe(count);
    const audit = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "registry.import_failed", subject: refused.id } });
    expect(audit.details).not.toContain("wrong-token");
  });

  it("keeps the stored token when the form leaves it blank, and forgets it when asked", async () => {
    await saveDciSource(t.ctx, { id: sourceId, name: "National social registry", config: config(), mapping, token: TOKEN }, officer.actor);
    await saveDciSource(t.ctx, { id: sourceId, name: "Renamed registry", config: config(), mapping, token: "" }, officer.actor);
    expect(await runImport()).toMatchObject({ status: "completed" });
    await saveDciSource(t.ctx, { id: sourceId, name: "Renamed registry", config: config(), mapping, clearToken: true }, officer.actor);
    const row = await t.ctx.db.registrySource.findUniqueOrThrow({ where: { id: sourceId } });
    expect(row.secret).toBeNull();
    expect(readDciSource(t.ctx, row).tokenHint).toBeNull();
    expect(await runImport()).toMatchObject({ status: "failed" });
  });

  it("DCI registry token bound to the URL: a new address without the token is refused and audited, and the token never reaches the new host", async () => {
    await saveDciSource(t.ctx, { id: sourceId, name: "National social registry", config: config(), mapping, token: TOKEN }, officer.actor);
    const elsewhere = await startMockDciRegistry({ records: records() });
    try {
      // Through the console: refused with a code, recorded, and nothing changed.
      await expect(saveDciSource(t.ctx, { id: sourceId, name: "National social registry", config: { ...config(), baseUrl: elsewhere.url }, mapping }, officer.actor)).rejects.toMatchObject({
        code: "ERR_REGISTRY_TOKEN_REQUIRED",
      });
      const refusal = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "registry.source_save_refused", subject: sourceId } });
      expect(JSON.parse(refusal.details)).toMatchObject({ code: "ERR_REGISTRY_TOKEN_REQUIRED", from: registry.url, to: elsewhere.url });
      expect(refusal.actorId).toBe(officer.actor.id);
      const row = await t.ctx.db.registrySource.findUniqueOrThrow({ where: { id: sourceId } });
      expect(readDciSource(t.ctx, row).config.baseUrl).toBe(registry.url);
      // Behind the console's back (the address edited in the database): the sealed token does not
      // open for another address, so no import starts and the other host hears nothing.
      await t.ctx.db.registrySource.update({ where: { id: sourceId }, data: { config: JSON.stringify({ ...JSON.parse(row.config!), baseUrl: elsewhere.url }) } });
      await expect(startDciImport(t.ctx, { sourceId }, officer.actor)).rejects.toMatchObject({ code: "ERR_REGISTRY_TOKEN_REQUIRED" });
      expect(elsewhere.requests).toHaveLength(0);
      // Entering the token again for the new address is the way to move a source.
      await saveDciSource(t.ctx, { id: sourceId, name: "National social registry", config: { ...config(), baseUrl: elsewhere.url }, mapping, token: "the-other-registry-token-0000" }, officer.actor);
      expect(await runImport()).toMatchObject({ status: "completed" });
      expect(elsewhere.requests[0]?.authorization).toBe("Bearer the-other-registry-token-0000");
      expect(registry.requests).toHaveLength(0);
    } finally {
      await saveDciSource(t.ctx, { id: sourceId, name: "National social registry", config: config(), mapping, token: TOKEN }, officer.actor);
      await elsewhere.close();
    }
  });

  it("runs one import per source at a time", async () => {
    await saveDciSource(t.ctx, { id: sourceId, name: "National social registry", config: config(), mapping, token: TOKEN }, officer.actor);
    registry.faults.push({ kind: "delay", ms: 300 });
    const { runId } = await startDciImport(t.ctx, { sourceId }, officer.actor);
    await expect(startDciImport(t.ctx, { sourceId }, officer.actor)).rejects.toMatchObject({ code: "ERR_CONFLICT" });
    await runningImports.get(runId);
    expect(await t.ctx.db.importRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "completed" });
  });

  it("refuses bad settings, CSV sources, and people without the officer role", async () => {
    await expect(saveDciSource(t.ctx, { name: "Bad", config: { ...config(), locale: "en" }, mapping }, officer.actor)).rejects.toBeInstanceOf(ZodError);
    await expect(saveDciSource(t.ctx, { name: "Bad", config: config(), mapping: { group_size: "householdSize" } }, officer.actor)).rejects.toBeInstanceOf(ZodError);
    const csv = (await saveSource(t.ctx, { name: "MIS export", mapping: { hh_id: "registryId" } }, officer.actor)).id;
    await expect(saveDciSource(t.ctx, { id: csv, name: "MIS export", config: config(), mapping }, officer.actor)).rejects.toMatchObject({ code: "ERR_CONFLICT" });
    await expect(startDciImport(t.ctx, { sourceId: csv }, officer.actor)).rejects.toMatchObject({ code: "ERR_BAD_REQUEST" });
    await expect(startDciImport(t.ctx, { sourceId: "00000000-0000-4000-8000-000000000000" }, officer.actor)).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    const approver = await createTestUser(t.ctx, ["approver"]);
    await expect(startDciImport(t.ctx, { sourceId }, approver.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
  });
});

describe("DCI registry addresses without an allow-list", () => {
  const t = useTestContext();
  const officer = useTestUser(t, ["officer"]);
  const config = (baseUrl: string, jwksUrl?: string) => ({
    baseUrl,
    ...(jwksUrl ? { jwksUrl } : {}),
    senderId: "haki.example.org",
    receiverId: "sr.example.gov",
    query: { queryType: "idtype-value", query: { type: "UIN", value: "1" } },
    retries: 0,
  });
  const mapping = { group_identifier: "registryId" };

  it("outbound registry calls refuse loopback, private, link-local, CGNAT, multicast and metadata addresses when saved (audited)", async () => {
    for (const url of ["http://169.254.169.254/latest", "http://127.0.0.1:8080", "http://10.0.0.5/api", "http://100.100.100.200", "http://224.0.0.1", "http://[::1]:8080", "http://[fd00:ec2::254]", "http://[::ffff:169.254.169.254]"]) {
      await expect(saveDciSource(t.ctx, { name: `Bad ${url}`, config: config(url), mapping }, officer.actor)).rejects.toMatchObject({ code: "ERR_REGISTRY_ADDRESS_REFUSED" });
    }
    // The key set's address too (it is fetched the same way).
    await expect(saveDciSource(t.ctx, { name: "Bad JWKS", config: config("https://sr.example.gov/api", "http://169.254.169.254/jwks"), mapping }, officer.actor)).rejects.toMatchObject({ code: "ERR_REGISTRY_ADDRESS_REFUSED" });
    expect(await t.ctx.db.registrySource.count()).toBe(0);
    expect(await t.ctx.db.auditEvent.count({ where: { action: "registry.address_refused" } })).toBe(9);
  });

  it("outbound registry calls refuse a private address at connection time too: the import fails with the code, audited", async () => {
    const mock = await startMockDciRegistry({ records: [] });
    try {
      const { id } = await saveDciSource(t.ctx, { name: "Registry", config: config("https://sr.example.gov/api"), mapping }, officer.actor);
      // The address changed in the database (no token is stored, so nothing else stops it).
      const row = await t.ctx.db.registrySource.findUniqueOrThrow({ where: { id } });
      await t.ctx.db.registrySource.update({ where: { id }, data: { config: JSON.stringify({ ...JSON.parse(row.config!), baseUrl: mock.url }) } });
      const { runId } = await startDciImport(t.ctx, { sourceId: id }, officer.actor);
      await runningImports.get(runId);
      expect(await t.ctx.db.importRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "failed", error: expect.stringMatching(/loopback/) });
      const audit = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "registry.import_failed", subject: runId } });
      expect(JSON.parse(audit.details)).toMatchObject({ code: "ERR_REGISTRY_ADDRESS_REFUSED" });
      expect(mock.requests).toHaveLength(0);
    } finally {
      await mock.close();
    }
  });
});

describe("DCI source form", () => {
  it("reads the console form into the save input", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      csrf: "x",
      name: " Registry ",
      baseUrl: "https://sr.example.gov/api",
      senderId: "haki",
      receiverId: "sr",
      recordType: "Person",
      queryType: "idtype-value",
      query: '{"type":"UIN","value":"123"}',
      pageSize: "250",
      locale: "swa",
      jwksUrl: "",
      mapping: "identifier.UIN = registryId\nname = name",
      token: "",
    })) {
      form.set(k, v);
    }
    expect(parseDciSourceForm(form)).toEqual({
      id: undefined,
      name: "Registry",
      config: { baseUrl: "https://sr.example.gov/api", senderId: "haki", receiverId: "sr", recordType: "Person", query: { queryType: "idtype-value", query: { type: "UIN", value: "123" } }, pageSize: 250, locale: "swa" },
      mapping: { "identifier.UIN": "registryId", name: "name" },
      token: undefined,
      clearToken: false,
    });
    form.set("query", "{not json");
    expect(() => parseDciSourceForm(form)).toThrow(expect.objectContaining({ code: "ERR_BAD_REQUEST" }));
  });
});
