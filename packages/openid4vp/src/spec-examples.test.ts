/**
 * The OpenID4VP 1.0 specification's own examples (test-vectors/openid4vp-1.0-examples.json names
 * each one's file or section and commit), run through this package.
 */
import { readFileSync } from "node:fs";
import { generateKeyPair } from "@haki/credentials/keys";
import { CompactSign, SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { jwtVcJsonWallet } from "./formats/jwt-vc-json";
import { decryptJweCallback } from "./lib/jose";
import { TEST_NOW, useTestParties } from "./lib/test-setup";
import type { TestParties } from "./testing";
import { createPresentationAnswer, planPresentation, readPresentationRequest } from "./wallet";

const examples = JSON.parse(readFileSync(new URL("../test-vectors/openid4vp-1.0-examples.json", import.meta.url), "utf8"));
const NOW = TEST_NOW;
let parties: TestParties;

const testParties = useTestParties();
beforeAll(() => {
  parties = testParties();
});

/** A VC-JWT of the type the DCQL example asks for (`IDCredential`), held by the test holder. */
async function idCredential(): Promise<string> {
  const issuer = await generateKeyPair();
  return new SignJWT({ vc: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiableCredential", "IDCredential"], credentialSubject: { family_name: "Njeri", given_name: "Amina", birthdate: "1988-01-02" } } })
    .setProtectedHeader({ alg: "EdDSA", kid: issuer.kid })
    .setIssuer(issuer.did)
    .setSubject(parties.holder.did)
    .setNotBefore(NOW)
    .sign(issuer.privateKey);
}

/** A request by value, as a verifier signs one: Ed25519 under a did:key. */
async function signedRequest(payload: Record<string, unknown>, header: Record<string, unknown>): Promise<{ link: string; clientId: string }> {
  const clientId = `decentralized_identifier:${parties.device.did}`;
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ ...payload, client_id: clientId })))
    .setProtectedHeader({ ...header, alg: "EdDSA", kid: parties.device.kid })
    .sign(parties.device.privateKey);
  return { link: `openid4vp://?client_id=${encodeURIComponent(clientId)}&request=${jws}`, clientId };
}

describe("OpenID4VP 1.0 examples", () => {
  it("8.3 Encrypted Responses: the example response decrypts with the example key to the example payload", async () => {
    const ex = examples.encrypted_response;
    expect(decodeProtectedHeader(ex.response)).toEqual(ex.header);
    const result = await decryptJweCallback(ex.private_jwk)(ex.response);
    expect(result.decrypted).toBe(true);
    expect(JSON.parse(result.payload!)).toEqual(ex.payload);
    // The same JWE against another key: refused, never a wrong plaintext.
    const other = { ...ex.private_jwk, d: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
    expect((await decryptJweCallback(other)(ex.response)).decrypted).toBe(false);
  });

  it("dcql_jwt_vc.json: matched against the cards held; the plan names the asked claims and what a VC-JWT adds", async () => {
    const { query } = examples.dcql_jwt_vc;
    const { link } = await signedRequest(
      { response_type: "vp_token", response_mode: "direct_post.jwt", response_uri: "https://client.example.org/post", nonce: "n-0S6_WzA2Mj", dcql_query: query, client_metadata: examples.encrypted_response.request_client_metadata },
      { typ: "oauth-authz-req+jwt" },
    );
    const request = await readPresentationRequest(link);
    const id = { id: "id-1", format: "jwt_vc_json", credential: await idCredential() };
    expect(() => planPresentation(request, [parties.card], [jwtVcJsonWallet(parties.holder)])).toThrow(expect.objectContaining({ code: "ERR_VP_NO_MATCH" }));
    const plan = planPresentation(request, [parties.card, id], [jwtVcJsonWallet(parties.holder)]);
    expect(plan.credentials.map((c) => [c.queryId, c.credential.id])).toEqual([["example_jwt_vc", "id-1"]]);
    expect(plan.credentials[0]!.requested).toEqual([["credentialSubject", "family_name"], ["credentialSubject", "given_name"]]);
    expect(plan.credentials[0]!.beyondRequest.map((c) => c.path.join("."))).toContain("credentialSubject.birthdate");
  });

  it("response/jwt_vc.json: the VP-JWT Haki's wallet sends has the example's shape, aud = client id, nonce = the request's", async () => {
    const ex = examples.jwt_vc_presentation.payload;
    const { link, clientId } = await signedRequest(
      {
        response_type: "vp_token",
        response_mode: "direct_post.jwt",
        response_uri: "https://client.example.org/post",
        nonce: ex.nonce,
        dcql_query: { credentials: [{ id: "entitlement", format: "jwt_vc_json", meta: { type_values: [["EntitlementCredential"]] } }] },
        client_metadata: examples.encrypted_response.request_client_metadata,
      },
      { typ: "oauth-authz-req+jwt" },
    );
    const plan = planPresentation(await readPresentationRequest(link), [parties.card], [jwtVcJsonWallet(parties.holder)]);
    const answer = await createPresentationAnswer(plan, [jwtVcJsonWallet(parties.holder)], { agreed: [[]] });
    const vp = decodeJwt(answer.vpToken.entitlement![0] as string) as Record<string, unknown> & { vp: Record<string, unknown> };
    for (const key of ["iss", "aud", "nonce", "vp"]) expect(vp).toHaveProperty(key);
    for (const key of Object.keys(ex.vp)) expect(vp.vp).toHaveProperty(key);
    expect(vp).toMatchObject({ iss: parties.holder.did, aud: clientId, nonce: ex.nonce, vp: { type: ["VerifiablePresentation"], verifiableCredential: [parties.card.credential] } });
  });

  it("5.9.3 redirect_uri example: read, shown as unauthenticated, refused for its browser (fragment) answer", async () => {
    const ex = examples.redirect_uri_request;
    const url = ex.url.replace("dcql_query=...", `dcql_query=${encodeURIComponent(JSON.stringify(examples.dcql_jwt_vc.query))}`);
    await expect(readPresentationRequest(url)).rejects.toMatchObject({ code: "ERR_VP_REQUEST_INVALID", message: /through the browser/ });
    const direct = url.replace("&redirect_uri=", "&response_mode=direct_post&response_uri=");
    const request = await readPresentationRequest(direct);
    expect(request.verifier).toMatchObject({ prefix: "redirect_uri", authentication: "none", responseHost: "client.example.org", encrypted: false });
    expect(request.verifier.statement).toMatch(/cannot be checked; the answer would go to client\.example\.org/);
  });

  it("request_object_client_id_did.json: the signature under the DID is checked; a key that is not the DID's is refused", async () => {
    const ex = examples.request_object_client_id_did;
    const payload = { ...ex.payload, dcql_query: examples.dcql_jwt_vc.query };
    const { link } = await signedRequest(payload, ex.header);
    // Signed and verified, but the example's fragment response mode is not one this wallet answers.
    await expect(readPresentationRequest(link)).rejects.toMatchObject({ code: "ERR_VP_REQUEST_INVALID", message: /through the browser/ });
    const posted = { ...payload, redirect_uri: undefined, response_mode: "direct_post", response_uri: "https://client.example.org/callback" };
    await expect(readPresentationRequest((await signedRequest(posted, ex.header)).link)).resolves.toMatchObject({ verifier: { authentication: "signed-by-did" } });
    const impostor = await generateKeyPair();
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify({ ...posted, client_id: `decentralized_identifier:${parties.device.did}` })))
      .setProtectedHeader({ typ: "oauth-authz-req+jwt", alg: "EdDSA", kid: parties.device.kid })
      .sign(impostor.privateKey);
    const link2 = `openid4vp://?client_id=${encodeURIComponent(`decentralized_identifier:${parties.device.did}`)}&request=${forged}`;
    await expect(readPresentationRequest(link2)).rejects.toMatchObject({ code: "ERR_VP_CLIENT_UNTRUSTED" });
  });
});
