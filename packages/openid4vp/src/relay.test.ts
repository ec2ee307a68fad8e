import { describe, expect, it } from "vitest";
import { MemoryRelayStore } from "./memory-relay-store";
import { createRelay, RELAY_HTTP_STATUS } from "./relay";
import { describeRelayStore } from "./conformance";

describeRelayStore("memory", () => new MemoryRelayStore());

const header = (h: Record<string, unknown>) => Buffer.from(JSON.stringify(h)).toString("base64url");
const JWE = `${header({ alg: "ECDH-ES", enc: "A128GCM", kid: "k1", epk: { kty: "EC" } })}..iv.ciphertext.tag`;

function setup(ttlSeconds = 60) {
  let clock = 1_000_000;
  const store = new MemoryRelayStore();
  const relay = createRelay(store, { baseUrl: "https://issuer.test/api/openid4vp/", ttlSeconds, maxBodyBytes: 2048, now: () => clock });
  return { relay, store, tick: (ms: number) => (clock += ms) };
}

describe("relay", () => {
  it("opens a request with URLs under the base, and keeps only the hash of the transaction id", async () => {
    const { relay, store } = setup();
    const opened = await relay.openRequest();
    expect(opened.responseUri).toBe(`https://issuer.test/api/openid4vp/responses/${opened.requestId}`);
    expect(opened.requestUri).toBe(`https://issuer.test/api/openid4vp/requests/${opened.requestId}`);
    expect(JSON.stringify([...store.records.values()])).not.toContain(opened.transactionId);
    await expect(relay.getRequestObject(opened.requestId)).rejects.toMatchObject({ code: "ERR_RELAY_UNKNOWN_REQUEST" });
    await expect(relay.publishRequestObject(opened.requestId, "guess", "a.b.c")).rejects.toMatchObject({ code: "ERR_RELAY_FORBIDDEN" });
    await expect(relay.publishRequestObject(opened.requestId, opened.transactionId, "not a jwt")).rejects.toMatchObject({ code: "ERR_VP_REQUEST_INVALID" });
    await relay.publishRequestObject(opened.requestId, opened.transactionId, "a.b.c", "k1");
    expect(await relay.getRequestObject(opened.requestId)).toBe("a.b.c");
  });

  it("accepts a JWE to the request's key, or a bare error code; refuses anything in the clear and keeps nothing of it", async () => {
    const { relay, store } = setup();
    const opened = await relay.openRequest();
    await relay.publishRequestObject(opened.requestId, opened.transactionId, "a.b.c", "k1");
    const refused = [
      "vp_token=%7B%22entitlement%22%3A%5B%22eyJhbGci.eyJ2cCI6e30.sig%22%5D%7D&state=s",
      `response=${JWE}&vp_token=x`,
      "response=eyJhbGciOiJFZERTQSJ9.eyJ2cCI6e319.sig",
      `response=${header({ alg: "dir", enc: "A128GCM" })}..iv.ct.tag`,
      `response=${header({ alg: "ECDH-ES", enc: "A128GCM", kid: "other", epk: {} })}..iv.ct.tag`,
      "error=access_denied&error_description=Amina+said+no",
      "error=made_up",
      "",
    ];
    for (const body of refused.slice(0, 5)) await expect(relay.acceptAnswer(opened.requestId, body)).rejects.toMatchObject({ code: "ERR_RELAY_NOT_ENCRYPTED" });
    await expect(relay.acceptAnswer(opened.requestId, refused[6]!)).rejects.toMatchObject({ code: "ERR_RELAY_NOT_ENCRYPTED" });
    await expect(relay.acceptAnswer(opened.requestId, refused[7]!)).rejects.toMatchObject({ code: "ERR_RELAY_NOT_ENCRYPTED" });
    await expect(relay.acceptAnswer(opened.requestId, `response=${"A".repeat(3000)}`)).rejects.toMatchObject({ code: "ERR_RELAY_TOO_LARGE" });
    expect([...store.records.values()][0]!.answer).toBeUndefined();
    // The description is free text: dropped, the code kept.
    await relay.acceptAnswer(opened.requestId, refused[5]!);
    expect(JSON.stringify([...store.records.values()])).not.toContain("Amina");
    const got = await relay.collectAnswer(opened.requestId, opened.transactionId);
    expect(got).toEqual({ status: "answered", answer: { kind: "error", error: "access_denied" } });
  });

  it("hands the answer over once, to the holder of the transaction id", async () => {
    const { relay } = setup();
    const opened = await relay.openRequest();
    await relay.acceptAnswer(opened.requestId, `response=${JWE}`);
    await expect(relay.acceptAnswer(opened.requestId, `response=${JWE}`)).rejects.toMatchObject({ code: "ERR_RELAY_ALREADY_ANSWERED" });
    await expect(relay.collectAnswer(opened.requestId, "x".repeat(43))).rejects.toMatchObject({ code: "ERR_RELAY_FORBIDDEN" });
    expect(await relay.collectAnswer(opened.requestId, opened.transactionId)).toEqual({ status: "answered", answer: { kind: "jwe", jwe: JWE } });
    await expect(relay.collectAnswer(opened.requestId, opened.transactionId)).rejects.toMatchObject({ code: "ERR_RELAY_UNKNOWN_REQUEST" });
  });

  it("expires: no answer accepted or handed over after the time, and the sweep deletes the record", async () => {
    const { relay, store, tick } = setup(60);
    const opened = await relay.openRequest();
    await relay.acceptAnswer(opened.requestId, `response=${JWE}`);
    tick(60_000);
    await expect(relay.collectAnswer(opened.requestId, opened.transactionId)).rejects.toMatchObject({ code: "ERR_RELAY_EXPIRED" });
    const late = await relay.openRequest();
    tick(61_000);
    await expect(relay.acceptAnswer(late.requestId, `response=${JWE}`)).rejects.toMatchObject({ code: "ERR_RELAY_EXPIRED" });
    expect(await relay.sweep()).toBe(2);
    expect(store.records.size).toBe(0);
  });

  it("unknown or malformed request ids are unknown; every relay code has an HTTP status", async () => {
    const { relay } = setup();
    await expect(relay.acceptAnswer("../../etc/passwd", `response=${JWE}`)).rejects.toMatchObject({ code: "ERR_RELAY_UNKNOWN_REQUEST" });
    await expect(relay.getRequestObject("AAAAAAAAAAAAAAAAAAAAAA")).rejects.toMatchObject({ code: "ERR_RELAY_UNKNOWN_REQUEST" });
    expect(Object.keys(RELAY_HTTP_STATUS).sort()).toEqual([
      "ERR_RELAY_ALREADY_ANSWERED",
      "ERR_RELAY_EXPIRED",
      "ERR_RELAY_FORBIDDEN",
      "ERR_RELAY_NOT_ENCRYPTED",
      "ERR_RELAY_TOO_LARGE",
      "ERR_RELAY_UNKNOWN_REQUEST",
    ]);
  });
});
