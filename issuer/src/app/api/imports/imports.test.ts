import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { saveSource } from "@/server/registry/save-source";
import { runningImports } from "@/server/registry/start-import";
import { POST as upload } from "./route";
import { GET as progress } from "./[id]/route";
import { GET as errors } from "./[id]/errors/route";

const csv = "hh_id,head,size,phone\nH-1,Amina,5,+254700000001\nH-2,Juma,many,+254700000002\nH-3,Grace,2,+254700000003\n";

describe("registry import API", () => {
  let t: TestContext;
  let officer: Awaited<ReturnType<typeof createTestUser>>;
  let approver: Awaited<ReturnType<typeof createTestUser>>;
  let sourceId: string;
  const path = () => `/api/imports?source=${sourceId}&name=export.csv`;

  beforeAll(async () => {
    t = await createTestContext();
    officer = await createTestUser(t.ctx, ["officer"]);
    approver = await createTestUser(t.ctx, ["approver"]);
    sourceId = (await saveSource(t.ctx, { name: "MIS", mapping: { hh_id: "registryId", head: "name", size: "householdSize" } }, officer.actor)).id;
  });
  afterAll(() => t.close());

  const post = (headers: Record<string, string>, p = path(), body: string = csv) =>
    callRoute(upload, { method: "POST", path: p, headers: { "content-type": "text/csv", ...headers }, body });

  it("refuses calls without a session (401) and stores nothing", async () => {
    const res = await post({});
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("ERR_UNAUTHENTICATED");
    expect(await t.ctx.db.importRun.count()).toBe(0);
  });

  it("refuses a forged request without the CSRF token (403)", async () => {
    const res = await post({ cookie: officer.cookie });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("ERR_CSRF");
    const wrong = await post({ cookie: officer.cookie, "x-csrf-token": approver.csrf });
    expect(await errorCode(wrong)).toBe("ERR_CSRF");
    expect(await t.ctx.db.importRun.count()).toBe(0);
  });

  it("refuses people without the officer role (403)", async () => {
    const res = await post(approver.headers);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("ERR_FORBIDDEN");
  });

  it("answers 400 with a code for bad input, and stores nothing", async () => {
    const bad = await post(officer.headers, "/api/imports?source=not-a-uuid");
    expect(bad.status).toBe(400);
    expect(await errorCode(bad)).toBe("ERR_BAD_REQUEST");
    const type = await callRoute(upload, { method: "POST", path: path(), headers: { ...officer.headers, "content-type": "application/json" }, body: "{}" });
    expect(type.status).toBe(415);
    expect(await errorCode(type)).toBe("ERR_UNSUPPORTED_MEDIA_TYPE");
    const empty = await post(officer.headers, path(), "");
    expect(empty.status).toBe(400);
    const unknown = await post(officer.headers, "/api/imports?source=00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(await t.ctx.db.importRun.count()).toBe(0);
    expect(await t.ctx.db.beneficiary.count()).toBe(0);
  });

  it("imports a streamed upload, reports progress and a downloadable error report", async () => {
    const res = await post(officer.headers);
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    await runningImports.get(runId);

    const p = await callRoute(progress, { params: { id: runId }, headers: officer.headers });
    expect(p.status).toBe(200);
    expect(await p.json()).toMatchObject({ status: "completed", rowsRead: 3, created: 2, rejected: 1, bytesTotal: csv.length });

    const e = await callRoute(errors, { params: { id: runId }, headers: officer.headers });
    expect(e.status).toBe(200);
    expect(e.headers.get("content-disposition")).toMatch(/attachment/);
    expect(await e.text()).toBe("line,registry_id,column,code,message\n3,,size,ERR_ROW_INVALID,household size must be a whole number from 1 to 200\n");
    expect(await t.ctx.db.beneficiary.count()).toBe(2);
    const stored = JSON.stringify(await t.ctx.db.beneficiary.findMany());
    expect(stored).not.toContain("+2547");
    expect(stored).not.toContain("H-1");
  });

  it("404 for an unknown run; 401 without a session", async () => {
    expect((await callRoute(progress, { params: { id: "nope" }, headers: officer.headers })).status).toBe(404);
    expect((await callRoute(errors, { params: { id: "nope" }, headers: officer.headers })).status).toBe(404);
    expect((await callRoute(progress, { params: { id: "nope" } })).status).toBe(401);
  });

  it("CSV uploads have a size limit: a larger file is refused with ERR_PAYLOAD_TOO_LARGE, nothing half-imported and nothing left on disk", async () => {
    const small = await createTestContext("sqlite", { env: { HAKI_MAX_UPLOAD_MB: "1" } });
    try {
      const who = await createTestUser(small.ctx, ["officer"]);
      const source = (await saveSource(small.ctx, { name: "MIS", mapping: { hh_id: "registryId", head: "name", size: "householdSize" } }, who.actor)).id;
      const rows = Array.from({ length: 40_000 }, (_, i) => `H-${i},Amina,5,+254700000001`).join("\n");
      const big = `hh_id,head,size,phone\n${rows}\n`;
      expect(big.length).toBeGreaterThan(1024 * 1024);
      // Streamed with no declared length: counted as it comes, stopped past the limit.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(big);
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
          controller.close();
        },
      });
      const res = await callRoute(upload, { method: "POST", path: `/api/imports?source=${source}`, headers: { ...who.headers, "content-type": "text/csv" }, body: stream });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: "ERR_PAYLOAD_TOO_LARGE", details: { maxBytes: 1024 * 1024 } } });
      // Declared too large: refused before reading.
      const declared = await callRoute(upload, { method: "POST", path: `/api/imports?source=${source}`, headers: { ...who.headers, "content-type": "text/csv", "content-length": String(big.length) }, body: csv });
      expect(declared.status).toBe(413);
      expect(await small.ctx.db.importRun.count()).toBe(0);
      expect(await small.ctx.db.beneficiary.count()).toBe(0);
      const { readdirSync, existsSync } = await import("node:fs");
      const dir = `${small.ctx.env.HAKI_DATA_DIR}/imports`;
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
      // A file within the limit still imports.
      expect((await callRoute(upload, { method: "POST", path: `/api/imports?source=${source}`, headers: { ...who.headers, "content-type": "text/csv" }, body: csv })).status).toBe(202);
    } finally {
      await Promise.all(runningImports.values());
      await small.close();
    }
  });
});
