import { describe, expect, it } from "vitest";
import { offerIssuerIsLoopback, trustForIssuer } from "./receive";

const offer = (issuer: string) =>
  `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: issuer, credential_configuration_ids: ["x"] }))}`;
const noFetch = (() => Promise.reject(new Error("no network in this test"))) as typeof fetch;

describe("issuer trust on receipt", () => {
  it("allows plain http only for an issuer on this machine", () => {
    expect(offerIssuerIsLoopback(offer("http://127.0.0.1:4000"))).toBe(true);
    expect(offerIssuerIsLoopback(offer("https://issuer.example.org"))).toBe(false);
    expect(offerIssuerIsLoopback("not an offer")).toBe(false);
  });

  it("accepts a did:key issuer only from a loopback issuer", async () => {
    const did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    const trust = await trustForIssuer(did, "http://127.0.0.1:4000", noFetch);
    expect(trust.issuers[0]?.did).toBe(did);
    await expect(trustForIssuer(did, "https://issuer.example.org", noFetch)).rejects.toMatchObject({ code: "ERR_ISSUER_NOT_TRUSTED", message: expect.stringMatching(/local testing/) });
  });

  it("reads a did:web issuer's keys only from the host that made the offer", async () => {
    const did = "did:web:issuer.example.org";
    await expect(trustForIssuer(did, "https://evil.example.net", noFetch)).rejects.toMatchObject({ code: "ERR_ISSUER_NOT_TRUSTED" });
    const x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    const doc = { id: did, verificationMethod: [{ id: `${did}#key-1`, publicKeyJwk: { kty: "OKP", crv: "Ed25519", x } }] };
    const fetchDoc = (async (url: string) => {
      expect(url).toBe("https://issuer.example.org/.well-known/did.json");
      return new Response(JSON.stringify(doc));
    }) as typeof fetch;
    const trust = await trustForIssuer(did, "https://issuer.example.org", fetchDoc);
    expect(trust.issuers[0]?.keys[0]?.publicKeyJwk.x).toBe(x);
    const other = (async () => new Response(JSON.stringify({ ...doc, id: "did:web:other.example" }))) as typeof fetch;
    await expect(trustForIssuer(did, "https://issuer.example.org", other)).rejects.toMatchObject({ code: "ERR_ISSUER_NOT_TRUSTED", message: expect.stringMatching(/differs/) });
    const down = (async () => new Response("", { status: 503 })) as typeof fetch;
    await expect(trustForIssuer(did, "https://issuer.example.org", down)).rejects.toMatchObject({ code: "ERR_ISSUER_UNREACHABLE" });
    await expect(trustForIssuer(did, "https://issuer.example.org", noFetch)).rejects.toMatchObject({ code: "ERR_ISSUER_UNREACHABLE" });
  });

  it("reads the DID document of a did:web issuer on this machine over plain http", async () => {
    const did = "did:web:localhost%3A3000";
    const x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
    const doc = { id: did, verificationMethod: [{ id: `${did}#key-1`, publicKeyJwk: { kty: "OKP", crv: "Ed25519", x } }] };
    const urls: string[] = [];
    const fetchDoc = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(doc));
    }) as typeof fetch;
    await trustForIssuer(did, "http://localhost:3000", fetchDoc);
    await trustForIssuer(did, "https://localhost:3000", fetchDoc);
    expect(urls).toEqual(["http://localhost:3000/.well-known/did.json", "https://localhost:3000/.well-known/did.json"]);
    await expect(trustForIssuer("did:web:issuer.example.org", "http://localhost:3000", fetchDoc)).rejects.toMatchObject({ code: "ERR_ISSUER_NOT_TRUSTED" });
  });
});
