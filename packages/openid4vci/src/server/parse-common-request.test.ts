import { Openid4vciIssuer } from "@openid4vc/openid4vci";
import { describe, expect, it } from "vitest";
import { serverCallbacks } from "../lib/callbacks";
import { ISSUER_URL } from "../lib/test-harness";
import { issuerMetadataResult } from "../metadata";
import { parseCommonRequest } from "./parse-common-request";

const metadata = issuerMetadataResult({ credentialIssuer: ISSUER_URL, display: [{ name: "Ministry", locale: "en" }] });
const library = new Openid4vciIssuer({ callbacks: serverCallbacks });
const id = Object.keys(metadata.knownCredentialConfigurations)[0]!;
const jwt = "eyJhbGciOiJFZERTQSJ9.eyJub25jZSI6Im4ifQ.c2ln";

describe("the credential request's common shape, read without the library's per-call schemas", () => {
  it("answers what the library's parser answers for a configuration id and JWT proofs", () => {
    for (const body of [{ credential_configuration_id: id, proofs: { jwt: [jwt] } }, { credential_configuration_id: id, proofs: { jwt: [jwt, jwt] } }]) {
      expect(parseCommonRequest(body, metadata)).toEqual(library.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body }));
    }
  });

  it("leaves every other request to the library (so its errors are unchanged)", () => {
    for (const body of [
      { credential_configuration_id: id, proofs: { jwt: ["not a jwt"] } },
      { credential_configuration_id: id, proofs: { jwt: [] } },
      { credential_configuration_id: "unknown", proofs: { jwt: [jwt] } },
      { credential_configuration_id: id, proof: { proof_type: "jwt", jwt } },
      { credential_configuration_id: id, proofs: { jwt: [jwt] }, credential_response_encryption: { jwk: {}, alg: "ECDH-ES", enc: "A128GCM" } },
      { credential_identifier: "x", proofs: { jwt: [jwt] } },
      { credential_configuration_id: id, proofs: { jwt: [jwt], attestation: [jwt] } },
    ]) {
      expect(parseCommonRequest(body, metadata)).toBeUndefined();
    }
  });
});
