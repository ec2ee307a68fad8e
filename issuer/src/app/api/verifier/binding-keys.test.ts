/**
 * Issue 16: a verifier device set up before a programme it serves turned ID binding on gets the
 * programme's binding key at its next refresh (POST /api/verifier/binding-keys), proving itself
 * with its enrolled key; nobody else gets a key.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signRelayOpening } from "@haki/openid4vp/relay-auth";
import { BindingKeysResponse, ISSUER_ENDPOINTS } from "@haki/redemption/setup";
import { callRoute, errorCode } from "@/test/http";
import { readBindingKeysFor, saveProgrammeIdBinding } from "@/server/programmes/save-programme-id-binding";
import { revokeDevice } from "@/server/verifier/devices";
import { saveServicePoint, setServicePointEnabled } from "@/server/verifier/service-points";
import { enrolTestDevice } from "@/test/devices";
import { POST } from "./binding-keys/route";
import { useIssuedCycle, useTestContext } from "@/test/suite";

const URL_ = `https://issuer.haki.test${ISSUER_ENDPOINTS.bindingKeys}`;

describe("binding keys at a device's refresh", () => {
  const t = useTestContext();
  const fx = useIssuedCycle(t, 1);
  beforeAll(async () => {
    await saveServicePoint(t.ctx, { id: "sp-early", name: "Clinic", programmes: [fx.programmeCode] }, fx.officer.actor);
    await saveServicePoint(t.ctx, { id: "sp-elsewhere", name: "Shop", programmes: [] }, fx.officer.actor);
  }, 60_000);

  const enrol = async (sp: string): Promise<{ deviceId: string; key: HakiKeyPair; bindingKeys?: unknown }> => {
    const { deviceId, key, bindingKeys } = await enrolTestDevice(t.ctx, sp, fx.officer.actor);
    return { deviceId, key, ...(bindingKeys ? { bindingKeys } : {}) };
  };
  const ask = async (device: { deviceId: string; key: HakiKeyPair }, audience = URL_, at = t.ctx.now()) =>
    callRoute(POST, { path: ISSUER_ENDPOINTS.bindingKeys, body: { proof: await signRelayOpening({ deviceId: device.deviceId, privateKey: device.key.privateKey }, audience, at) } });

  it("a device enrolled while binding was off gets the programme's key once it is turned on", async () => {
    const early = await enrol("sp-early");
    expect(early.bindingKeys).toBeUndefined();
    let res = await ask(early);
    expect(res.status).toBe(200);
    expect(BindingKeysResponse.parse(await res.json()).bindingKeys).toEqual([]);

    await saveProgrammeIdBinding(t.ctx, { programmeId: fx.programmeId, mode: "refuse" }, fx.officer.actor);
    const keys = await readBindingKeysFor(t.ctx, [fx.programmeCode]);
    expect(keys).toHaveLength(1);
    res = await ask(early);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(BindingKeysResponse.parse(await res.json()).bindingKeys).toEqual(keys);
  });

  it("gives nothing to a device of a service point not serving the programme", async () => {
    const other = await enrol("sp-elsewhere");
    expect(BindingKeysResponse.parse(await (await ask(other)).json()).bindingKeys).toEqual([]);
  });

  it("refuses (403) a proof made for another URL, a stale proof, another key under the device's id, a revoked device, a switched-off point and a malformed body", async () => {
    const device = await enrol("sp-early");
    const forbidden = async (res: Response) => {
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe("ERR_FORBIDDEN");
    };
    await forbidden(await ask(device, "https://issuer.haki.test/api/openid4vp/requests"));
    await forbidden(await ask(device, URL_, new Date(t.ctx.now().getTime() - 10 * 60_000)));
    await forbidden(await ask({ deviceId: device.deviceId, key: await generateKeyPair() }));
    await forbidden(await ask({ deviceId: "dev-nobody", key: device.key }));
    expect((await callRoute(POST, { path: ISSUER_ENDPOINTS.bindingKeys, body: { nope: 1 } })).status).toBe(400);

    const stolen = await enrol("sp-early");
    expect((await ask(stolen)).status).toBe(200);
    await revokeDevice(t.ctx, { deviceId: stolen.deviceId, reason: "phone stolen" }, fx.officer.actor);
    await forbidden(await ask(stolen));

    await setServicePointEnabled(t.ctx, { id: "sp-early", enabled: false, reason: "closed" }, fx.officer.actor);
    await forbidden(await ask(device));
  });
});
