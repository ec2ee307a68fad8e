/**
 * Test kit: a programme issuer, a holder with an issued entitlement, a service point device key, and
 * a fetch that routes a relay's URLs to it (what the issuer's routes will do), with no network.
 */
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signCredential, type SignCredentialOptions } from "@haki/credentials/sign";
import { createDemoIssuer, demoEntitlementInput, type DemoEntitlementOverrides } from "@haki/credentials/testing";
import type { TrustList } from "@haki/credentials/trust";
import { Openid4vpError } from "./errors";
import type { HeldCredential } from "./formats/adapter";
import { RELAY_HTTP_STATUS, type Relay } from "./relay";

export interface TestParties {
  trust: TrustList;
  holder: HakiKeyPair;
  device: HakiKeyPair;
  card: HeldCredential;
  /** Issues a card for the holder with the issuer's own signing code: VC 1.1 (`vc1`, default) or VC 2.0 `vc+jwt` (`vc2`). */
  issueCard(overrides?: DemoEntitlementOverrides, options?: SignCredentialOptions): Promise<HeldCredential>;
}

/**
 * An issuer (did:web, in a trust list), a holder key with one entitlement card, and a service point device key.
 *
 * @example
 * const { trust, holder, device, card } = await makeTestParties();
 */
export async function makeTestParties(overrides: DemoEntitlementOverrides = {}): Promise<TestParties> {
  const issuer = await createDemoIssuer();
  const holder = await generateKeyPair();
  const device = await generateKeyPair();
  let n = 0;
  const issueCard = async (o: DemoEntitlementOverrides = {}, options: SignCredentialOptions = {}): Promise<HeldCredential> => ({
    id: `card-${++n}`,
    format: "jwt_vc_json",
    credential: await signCredential(demoEntitlementInput({ holder: holder.did, ...overrides, ...o }), issuer.key, options),
  });
  return { trust: issuer.trust, holder, device, card: await issueCard(), issueCard };
}

/**
 * A fetch that answers the relay's routes as the issuer will (GET request object, POST answer), so
 * wallets and the library's own client reach it without a network.
 *
 * @example
 * const fetch = relayFetch(relay, "https://issuer.test/api/openid4vp");
 */
export function relayFetch(relay: Relay, baseUrl: string, seen?: { bodies: string[] }): typeof globalThis.fetch {
  return async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const path = url.href.slice(baseUrl.length);
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    try {
      const request = /^\/requests\/([A-Za-z0-9_-]+)$/.exec(path);
      if (request && (init?.method ?? "GET").toUpperCase() === "GET") {
        return new Response(await relay.getRequestObject(request[1]!), { headers: { "content-type": "application/oauth-authz-req+jwt" } });
      }
      const response = /^\/responses\/([A-Za-z0-9_-]+)$/.exec(path);
      if (response && init?.method?.toUpperCase() === "POST") {
        const body = String(init.body ?? "");
        seen?.bodies.push(body);
        await relay.acceptAnswer(response[1]!, body);
        return json(200, {});
      }
      return json(404, { error: "not_found" });
    } catch (e) {
      if (e instanceof Openid4vpError) return json(RELAY_HTTP_STATUS[e.code] ?? 400, { error: e.code });
      throw e;
    }
  };
}
