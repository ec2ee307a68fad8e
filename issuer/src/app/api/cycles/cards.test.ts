import { describe, expect, it } from "vitest";
import { createTestUser } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { GET as cards } from "./[id]/cards/route";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe("GET /api/cycles/:id/cards", () => {
  const t = useTestContext();
  const fx = useIssuedCycle(t, 3);

  it("renders the cycle's cards as a PDF and audits the download", async () => {
    const res = await callRoute(cards, { path: `/api/cycles/${fx.cycleId}/cards?locale=ar`, params: { id: fx.cycleId }, headers: fx.officer.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("x-haki-parts")).toBe("1");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(await t.ctx.db.auditEvent.count({ where: { action: "cards.download", subject: fx.cycleId } })).toBe(1);
  }, 30_000);

  it("refuses without a session, without the officer role, and for bad input", async () => {
    expect((await callRoute(cards, { params: { id: fx.cycleId } })).status).toBe(401);
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    expect(await errorCode(await callRoute(cards, { params: { id: fx.cycleId }, headers: auditor.headers }))).toBe("ERR_FORBIDDEN");
    const part = await callRoute(cards, { path: `/api/cycles/x/cards?part=0`, params: { id: fx.cycleId }, headers: fx.officer.headers });
    expect(part.status).toBe(400);
    expect((await callRoute(cards, { path: `/api/cycles/x/cards?part=2`, params: { id: fx.cycleId }, headers: fx.officer.headers })).status).toBe(404);
    expect((await callRoute(cards, { params: { id: "nope" }, headers: fx.officer.headers })).status).toBe(404);
    expect(await t.ctx.db.auditEvent.count({ where: { action: "cards.download" } })).toBe(1);
  });
});
