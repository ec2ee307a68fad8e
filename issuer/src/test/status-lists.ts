/**
 * Status list 1 as a device reads it in route tests: fetched from the issuer's route handler and
 * verified (signature, issuer, URL, purpose) with the issuer's key at the context's clock.
 */
import { expect } from "vitest";
import { importJWK } from "jose";
import { verifyStatusListCredential } from "@haki/status-list/credential";
import { GET as statusList } from "@/app/status/[list]/[purpose]/route";
import type { TestContext } from "./context";
import { callRoute } from "./http";

/**
 * The verified list for `purpose` and the ETag it was served with.
 *
 * @example
 * const { list } = await readStatusList(t, "suspension");
 * expect(getStatus(list, fx.entitlements[0]!.statusIndex)).toBe(true);
 */
export async function readStatusList(t: TestContext, purpose: "revocation" | "suspension") {
  const res = await callRoute(statusList, { path: `/status/1/${purpose}`, params: { list: "1", purpose } });
  expect(res.status).toBe(200);
  const [pub] = await t.ctx.keys.listPublicKeys();
  const verified = await verifyStatusListCredential(await res.text(), await importJWK(pub!.publicJwk, "EdDSA"), {
    issuer: t.ctx.did,
    url: `https://issuer.haki.test/status/1/${purpose}`,
    purpose,
    now: t.ctx.now(),
  });
  return { list: verified.list, etag: res.headers.get("etag")! };
}
