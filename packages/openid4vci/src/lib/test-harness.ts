// Test-only wiring: an issuer whose handlers are reached through a fake fetch, and holder keys.
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signCredential } from "@haki/credentials/sign";
import { createDemoIssuer, demoEntitlementInput } from "@haki/credentials/testing";
import type { HolderKey } from "../client";
import { createMemoryOfferStore } from "../memory-store";
import {
  handleAuthorizationServerMetadataRequest,
  handleCredentialRequest,
  handleIssuerMetadataRequest,
  handleNonceRequest,
  handleTokenRequest,
  toResponse,
  type IssuanceDeps,
} from "../server";
import type { OfferStore, StoredOffer } from "../store";

export const ISSUER_URL = "https://issuer.haki.example";
export const ISSUER_DID = "did:web:issuer.haki.example";
export const T0 = new Date("2027-03-01T09:00:00Z");

export interface Harness {
  deps: IssuanceDeps;
  store: OfferStore;
  clock: { now: Date };
  fetch: typeof fetch;
  calls: string[];
  issuerKey: HakiKeyPair;
  issued: Array<{ offer: StoredOffer; holderDid: string }>;
  failIssuance: { on: boolean };
}

export async function makeHarness(overrides: Partial<IssuanceDeps> = {}): Promise<Harness> {
  const store = createMemoryOfferStore();
  const clock = { now: new Date(T0) };
  const { key: issuerKey } = await createDemoIssuer({ did: ISSUER_DID });
  const issued: Harness["issued"] = [];
  const failIssuance = { on: false };
  const deps: IssuanceDeps = {
    config: { credentialIssuer: ISSUER_URL, display: [{ name: "Ministry of Social Protection", locale: "en" }] },
    store,
    now: () => clock.now,
    maxTxCodeAttempts: 3,
    async issueCredential({ offer, holderDid }) {
      if (failIssuance.on) throw new Error("HSM offline");
      issued.push({ offer, holderDid });
      return signCredential(
        demoEntitlementInput({
          issuer: ISSUER_DID,
          holder: holderDid,
          id: `urn:haki:entitlement:${offer.id}`,
          status: { revocationList: `${ISSUER_URL}/status/1`, suspensionList: `${ISSUER_URL}/status/2`, index: 7 },
        }),
        issuerKey,
      );
    },
    ...overrides,
  };
  const calls: string[] = [];
  const fakeFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    calls.push(`${request.method} ${url.pathname}`);
    if (url.origin !== ISSUER_URL) return new Response("not found", { status: 404 });
    const route = `${request.method} ${url.pathname}`;
    switch (route) {
      case "GET /.well-known/openid-credential-issuer":
        return toResponse(handleIssuerMetadataRequest(deps.config));
      case "GET /.well-known/oauth-authorization-server":
        return toResponse(handleAuthorizationServerMetadataRequest(deps.config));
      case "POST /api/oid4vci/token":
        return toResponse(await handleTokenRequest(request, deps));
      case "POST /api/oid4vci/nonce":
        return toResponse(await handleNonceRequest(request, deps));
      case "POST /api/oid4vci/credential":
        return toResponse(await handleCredentialRequest(request, deps));
      default:
        return new Response("not found", { status: 404 });
    }
  };
  return { deps, store, clock, fetch: fakeFetch, calls, issuerKey, issued, failIssuance };
}

/** A wallet holder key backed by a non-extractable Web Crypto Ed25519 key. */
export async function makeHolder(): Promise<{ pair: HakiKeyPair; holder: HolderKey }> {
  const pair = await generateKeyPair({ extractable: false });
  return {
    pair,
    holder: {
      did: pair.did,
      kid: pair.kid,
      sign: async (bytes) => new Uint8Array(await crypto.subtle.sign("Ed25519", pair.privateKey, bytes as BufferSource)),
    },
  };
}
