import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockDciRegistry, type MockDciRegistry } from "@haki/registry/dci-testing";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { saveDciSource } from "@/server/registry/dci-source";
import { saveSource } from "@/server/registry/save-source";
import { runningImports } from "@/server/registry/start-import";
import { POST as start } from "./route";
import { GET as progress } from "@/app/api/imports/[id]/route";
import { GET as errors } from "@/app/api/imports/[id]/errors/route";

const group = (id: string, size: number | string) => ({ group_identifier: [{ identifier_type: "HOUSEHOLD_ID", identifier_value: id }], group_size: size, phone_number: ["+254700000009"] });

describe("DCI import API", () => {
  let t: TestContext;
  let registry: MockDciRegistry;
  let officer: Awaited<ReturnType<typeof createTestUser>>;
  let approver: Awaited<ReturnType<typeof createTestUser>>;
  let sourceId: string;

  beforeAll(async () => {
    t = await createTestContext("sqlite", { env: { HAKI_REGISTRY_ALLOWED_ADDRESSES: "127.0.0.1" } });
    registry = await startMockDciRegistry({ records: [group("H-1", 2), group("H-2", "many"), group("H-3", 4)], token: "tok-0123456789abcdef" });
    officer = await createTestUser(t.ctx, ["officer"]);
    approver = await createTestUser(t.ctx, ["approver"]);
    sourceId = (
      await saveDciSource(
        t.ctx,
        {
          name: "Social registry",
          config: { baseUrl: registry.url, senderId: "haki", receiverId: "sr.example.gov", query: { queryType: "idtype-value", query: { type: "DISTRICT", value: "KE-047" } }, pageSize: 2 },
          mapping: { group_identifier: "registryId", group_size: "householdSize" },
          token: "tok-0123456789abcdef",
        },
        officer.actor,
      )
    ).id;
  });
  afterAll(async () => {
    await registry.close();
    await t.close();
  });

  const post = (headers: Record<string, string>, body: unknown = { source: sourceId }) => callRoute(start, { method: "POST", path: "/api/imports/dci", headers, body: body as object });

  it("refuses calls without a session, without the CSRF token, or without the officer role", async () => {
    expect(await errorCode(await post({}))).toBe("ERR_UNAUTHENTICATED");
    expect(await errorCode(await post({ cookie: officer.cookie }))).toBe("ERR_CSRF");
    const forbidden = await post(approver.headers);
    expect(forbidden.status).toBe(403);
    expect(await errorCode(forbidden)).toBe("ERR_FORBIDDEN");
    expect(await t.ctx.db.importRun.count()).toBe(0);
    expect(registry.requests).toHaveLength(0);
  });

  it("answers 400 / 404 / 415 for bad input, and asks the registry nothing", async () => {
    expect((await post(officer.headers, { source: "nope" })).status).toBe(400);
    expect((await post(officer.headers, { source: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    const csv = (await saveSource(t.ctx, { name: "MIS export", mapping: { hh_id: "registryId" } }, officer.actor)).id;
    const wrongKind = await post(officer.headers, { source: csv });
    expect(wrongKind.status).toBe(400);
    expect(await errorCode(wrongKind)).toBe("ERR_BAD_REQUEST");
    const type = await callRoute(start, { method: "POST", path: "/api/imports/dci", headers: { ...officer.headers, "content-type": "text/plain" }, body: JSON.stringify({ source: sourceId }) });
    expect(type.status).toBe(415);
    expect(registry.requests).toHaveLength(0);
  });

  it("starts an import (202), reports progress and the per-record error report", async () => {
    const res = await post(officer.headers);
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    expect(res.headers.get("location")).toBe(`/api/imports/${runId}`);
    await runningImports.get(runId);
    const p = await callRoute(progress, { params: { id: runId }, headers: officer.headers });
    expect(await p.json()).toMatchObject({ status: "completed", rowsRead: 3, created: 2, rejected: 1, bytesTotal: 0 });
    const e = await callRoute(errors, { params: { id: runId }, headers: officer.headers });
    expect(await e.text()).toBe("line,registry_id,column,code,message\n2,,group_size,ERR_ROW_INVALID,household size must be a whole number from 1 to 200\n");
    expect(JSON.stringify(await t.ctx.db.beneficiary.findMany())).not.toMatch(/H-1|\+2547/);
  });
});
