import { describe, expect, it } from "vitest";
import { BodyTooLargeError, readCappedBytes, readCappedText } from "./read";

/** A chunked body (no Content-Length): `chunks` pieces of `size` bytes, counting what was pulled. */
function streamed(chunks: number, size: number) {
  let pulled = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled++;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { body, pulled: () => pulled, cancelled: () => cancelled };
}

describe("readCappedBytes", () => {
  it("reads a body within the limit whole, in one piece or many", async () => {
    expect(await readCappedText(new Request("http://x/", { method: "POST", body: "héllo" }), 6)).toBe("héllo");
    const { body } = streamed(4, 1000);
    const bytes = await readCappedBytes(new Request("http://x/", { method: "POST", body, duplex: "half" } as RequestInit), 4000);
    expect(bytes.byteLength).toBe(4000);
    expect(bytes.every((b) => b === 0x61)).toBe(true);
  });

  it("refuses a declared length over the limit before reading anything", async () => {
    const res = new Response("x".repeat(100), { headers: { "content-length": "100" } });
    await expect(readCappedBytes(res, 99)).rejects.toMatchObject({ code: "ERR_BODY_TOO_LARGE", maxBytes: 99 });
  });

  it("stops a chunked body as soon as it passes the limit, and cancels the rest", async () => {
    const s = streamed(1_000_000, 1024);
    const request = new Request("http://x/", { method: "POST", body: s.body, duplex: "half" } as RequestInit);
    await expect(readCappedBytes(request, 10 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(s.pulled()).toBeLessThan(20);
    expect(s.cancelled()).toBe(true);
  });

  it("throws the caller's own error when it names one", async () => {
    const mine = (max: number) => Object.assign(new Error(`over ${max}`), { code: "ERR_MINE" });
    await expect(readCappedText(new Response("0123456789"), 5, mine)).rejects.toMatchObject({ code: "ERR_MINE", message: "over 5" });
  });

  it("stops a body that stalls half way when the signal aborts, and says so instead of returning part of it", async () => {
    let sent = false;
    const stalled = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return new Promise<void>(() => undefined); // the rest never comes
        sent = true;
        controller.enqueue(new TextEncoder().encode("half"));
      },
    });
    const timeout = AbortSignal.timeout(50);
    await expect(readCappedText(new Response(stalled), 1024, undefined, timeout)).rejects.toMatchObject({ name: "TimeoutError" });
    const aborted = AbortSignal.abort(new Error("gone"));
    await expect(readCappedText(new Response("x"), 1024, undefined, aborted)).rejects.toThrow("gone");
  });

  it("reads no body as empty", async () => {
    expect((await readCappedBytes(new Response(null), 10)).byteLength).toBe(0);
  });
});
