/**
 * The package in a real browser (Debian's Chromium): decode.ts and verify.ts bundled for the browser
 * platform (a node: import would fail the bundle), served on 127.0.0.1 (Web Crypto needs a secure
 * context), verifying the published EdDSA and ES256 vectors and a Brotli code with Web Crypto.
 */
import { brotliCompressSync } from "node:zlib";
import { useServedBundle, withBundlePage } from "@haki/e2e/bundle-page";
import { encode as cborEncode } from "cborg";
import { describe, expect, it } from "vitest";
import { encodeClaim169 } from "./encode";
import { issuerOf, openCose, vector } from "./lib/reference-vectors";
import { Tagged, base45Encode } from "./lib/transport";
import { makeIdentityAuthority } from "./testing";
import { identityTrustListOf } from "./trust";

const served = useServedBundle({
  source: `export { verifyClaim169 } from "./src/verify.ts"; export { decodeClaim169 } from "./src/decode.ts";`,
  resolveDir: new URL("..", import.meta.url).pathname,
  global: "claim169",
});

describe("in Chromium", () => {
  it("verifies the published vectors and a Brotli code with Web Crypto", async () => {
    const authority = await makeIdentityAuthority({ alg: "ES256", kid: "k1" });
    const own = await encodeClaim169({ id: "7", fullName: "Baraka Otieno" }, { issuer: authority.issuer.id }, authority.signer);
    const brotli = base45Encode(new Uint8Array(brotliCompressSync(cborEncode(new Tagged(18, openCose(own)), { mapSorter: () => 0 }))));
    const cases = [
      { text: vector("ed25519-signed").qr_data, trust: identityTrustListOf(issuerOf(vector("ed25519-signed"))) },
      { text: vector("ecdsa-p256-signed").qr_data, trust: identityTrustListOf(issuerOf(vector("ecdsa-p256-signed"))) },
      { text: brotli, trust: identityTrustListOf(authority.issuer) },
      { text: vector("minimal").qr_data, trust: identityTrustListOf(issuerOf(vector("ed25519-signed"))) },
    ];
    const results = await withBundlePage(served(), (page) =>
      page.evaluate(async (input) => {
        const lib = (window as unknown as { claim169: { verifyClaim169: (...a: unknown[]) => Promise<never> } }).claim169;
        return Promise.all(
          input.map(({ text, trust }) =>
            lib.verifyClaim169(text, trust, { now: new Date("2025-10-01T00:00:00Z") }).then(
              (v: { identity: { fullName: string }; compression: string }) => `${v.identity.fullName} (${v.compression})`,
              (e: { code: string }) => e.code,
            ),
          ),
        );
      }, cases),
    );
    expect(results).toEqual(["Signed Test Person (zlib)", "ECDSA Test Person (zlib)", "Baraka Otieno (brotli)", "ERR_CLAIM169_SIGNATURE_INVALID"]);
  });
});
