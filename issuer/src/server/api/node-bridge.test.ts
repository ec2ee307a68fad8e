import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { readSmallBody, sendWebResponse, toWebRequest } from "./node-bridge";
import { readJson } from "./route";

/** A node:http server handing each request, as serve.ts builds it, to the test's `handle`. */
describe("node bridge: a Request from node:http with its small body in memory", () => {
  let server: Server;
  let origin = "";
  let handle: (request: Request) => Promise<Response> = async () => new Response(null);
  beforeAll(async () => {
    server = createServer((req, res) => {
      void (async () => {
        const at = { hostname: "127.0.0.1", port: (server.address() as AddressInfo).port };
        const request = toWebRequest(req, res, at, await readSmallBody(req));
        await sendWebResponse(res, await handle(request).catch((e: Error) => new Response(`${e.name}: ${e.message}`, { status: 500 })), false);
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const post = (body: string, type = "application/json") => fetch(`${origin}/x?y=1`, { method: "POST", headers: { "content-type": type }, body }).then(async (r) => [r.status, await r.text()]);

  it("reads the body as text, JSON, bytes, a blob or a stream, once, and says so", async () => {
    const read: ((r: Request) => Promise<unknown>)[] = [
      (r) => r.text(),
      (r) => r.json().then((v) => JSON.stringify(v)),
      (r) => r.arrayBuffer().then((b) => new TextDecoder().decode(b)),
      (r) => r.blob().then((b) => b.text()),
      (r) => new Response(r.body).text(),
    ];
    for (const how of read) {
      handle = async (r) => {
        expect(r).toBeInstanceOf(Request);
        expect([r.method, r.url, r.headers.get("x-forwarded-for"), r.bodyUsed]).toEqual(["POST", `${origin}/x?y=1`, "127.0.0.1", false]);
        const first = await how(r);
        expect(r.bodyUsed).toBe(true);
        await expect(r.text()).rejects.toThrow(TypeError);
        return new Response(String(first));
      };
      expect(await post(`{"a":"é"}`)).toEqual([200, `{"a":"é"}`]);
    }
  });

  it("a clone reads the same body; the route's JSON reader (which streams the body) and forms work on it", async () => {
    handle = async (r) => {
      const copy = r.clone();
      const value = await readJson(r, z.object({ a: z.string() }));
      return new Response(`${value.a}|${await copy.text()}`);
    };
    expect(await post(`{"a":"b"}`)).toEqual([200, `b|{"a":"b"}`]);
    // Bad input: JSON that does not parse is the route reader's coded 400, as with a streamed body.
    handle = async (r) => readJson(r, z.object({ a: z.string() })).then(
      () => new Response("read"),
      (e: { code?: string }) => new Response(String(e.code), { status: 400 }),
    );
    expect(await post(`{"a":`)).toEqual([400, "ERR_BAD_REQUEST"]);
    handle = async (r) => new Response(String((await r.formData()).get("grant_type")));
    expect(await post("grant_type=pre-authorized_code", "application/x-www-form-urlencoded")).toEqual([200, "pre-authorized_code"]);
  });
});
