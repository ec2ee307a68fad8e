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
});
