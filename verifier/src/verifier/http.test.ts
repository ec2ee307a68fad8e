import { describe, expect, it } from "vitest";
import { IssuerRequestError } from "./errors";
import { MAX_ANSWER_BYTES, fetchText, type Fetch } from "./http";

/** An answer whose headers come at once and whose body sends `first`, then `rest` chunks (or stalls for ever). */
function answering(first: string, rest: number | "stall", chunk = 64 * 1024): Fetch {
  return async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(first));
        else if (rest === "stall") return new Promise<void>(() => undefined);
        else if (sent > rest) controller.close();
        else controller.enqueue(new Uint8Array(chunk).fill(0x61));
        sent++;
      },
    });
    return new Response(body, { status: 200 });
  };
}

describe("fetchText", () => {
  it("returns the answer of an issuer that answers", async () => {
    expect(await fetchText(answering("eyJ.status", 0), "https://issuer.example/status/1")).toBe("eyJ.status");
  });

  it("gives up on a body that stalls after the headers (a proxy holding the line), within the timeout", async () => {
    const started = Date.now();
    const failure = await fetchText(answering('{"issuers":[', "stall"), "https://issuer.example/api/verifier/trust-bundle", {}, 100).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IssuerRequestError);
    expect((failure as IssuerRequestError).message).toBe("The issuer's answer did not arrive whole");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("cuts an answer larger than MAX_ANSWER_BYTES instead of keeping it in the phone's memory", async () => {
    const chunks = Math.ceil(MAX_ANSWER_BYTES / (64 * 1024)) + 10;
    const failure = await fetchText(answering("x", chunks), "https://issuer.example/status/1").catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(IssuerRequestError);
    expect((failure as IssuerRequestError).message).toMatch(/larger than 8388608 bytes/);
  });
});
