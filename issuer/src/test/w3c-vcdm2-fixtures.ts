/**
 * The input documents of the W3C VC Data Model 2.0 test suite (github.com/w3c/vc-data-model-2.0-test-suite,
 * `tests/input/*.json`), as test vectors under the suite's file names. The content is the suite's,
 * read with the search tool; the few files the index did not hold (`credential-validuntil-*`,
 * `credential-type-urls-order-2-ok`, and the `-optional-ok` / `-language-*` variants of
 * names-and-descriptions) are rebuilt from their names after their read siblings. The suite's HTTP
 * client (`createRequestBody`) fills a missing `issuer` (or `issuer.id`) with the implementation's
 * own id before sending: `asSuiteSends` does the same.
 */
const V2 = "https://www.w3.org/ns/credentials/v2";
const EX = "https://www.w3.org/ns/credentials/examples/v2";
type Doc = Record<string, unknown>;
const subject = { id: "did:example:subject" };
const vc = (extra: Doc = {}): Doc => ({ "@context": [V2], type: ["VerifiableCredential"], credentialSubject: subject, ...extra });
const status2017 = { CredentialStatusList2017: "https://example.org/examples#CredentialStatusList2017" };
const odrl = { OdrlPolicy2017: "https://example.org/examples#OdrlPolicy2017" };
const docVerification = { DocumentVerification2018: "https://example.org/examples#DocumentVerification2018" };
const schemaType = "https://example.org/#ExampleTestSuiteSchema";
const refreshType = "https://example.org/#ExampleTestSuiteRefreshService";

/**
 * What the suite's client sends for a fixture: `issuer` (or `issuer.id`) filled with the
 * implementation's id when missing or null.
 */
export function asSuiteSends(doc: Doc, issuerId: string): Doc {
  const credential = structuredClone(doc);
  if (typeof credential.issuer === "object" && credential.issuer !== null) (credential.issuer as Doc).id ||= issuerId;
  else credential.issuer ||= issuerId;
  return credential;
}

/** Credentials the suite sends to `/credentials/issue`, by file name. */
export const CREDENTIALS: Record<string, Doc> = {
  "credential-ok.json": vc({ "@context": [V2, EX], type: ["VerifiableCredential"] }),
  "credential-no-context-fail.json": { type: ["VerifiableCredential"], credentialSubject: subject },
  "credential-missing-base-context-fail.json": { "@context": [EX], type: ["VerifiableCredential"], credentialSubject: subject },
  "credential-context-combo1-ok.json": vc({ "@context": [V2, EX] }),
  "credential-context-combo2-ok.json": vc({ "@context": [V2, { ExampleVerifiableCredential: "https://example.org/#ExampleVerifiableCredential" }], type: ["VerifiableCredential", "ExampleVerifiableCredential"] }),
  "credential-context-combo3-fail.json": vc({ "@context": [V2, "https ://not-a-url/contexts/example/v1"] }),
  "credential-context-combo4-fail.json": vc({ "@context": [V2, 123192875] }),
  "credential-id-other-ok.json": vc({ validFrom: "2023-02-22T21:35:22Z", issuer: "did:example:other-issuer" }),
  "credential-id-nonidentifier-fail.json": vc({ id: null }),
  "credential-single-id-ok.json": { "@context": [V2, EX], type: ["VerifiableCredential"], id: "https://example.org/credentials/1", credentialSubject: { description: "A single id test for VC 2.0" } },
  "credential-subject-single-id-ok.json": vc(),
  "credential-multi-id-fail.json": vc({ id: ["https://example.org/credentials/1", "https://example.net/credentials/1"] }),
  "credential-id-subject-multi-fail.json": vc({ credentialSubject: { id: ["did:example:subject:one", "did:example:subject:two"] } }),
  "credential-not-url-id-fail.json": { "@context": [V2, EX], type: ["VerifiableCredential"], id: "https ://not-a-url/vcs/343cf54b-2c38-480e-b6e8-7302332eae75", credentialSubject: { name: "id not a url test" } },
  "credential-no-type-fail.json": { "@context": [V2], credentialSubject: subject },
  "credential-type-url-ok.json": vc({ type: ["VerifiableCredential", "https://example.org/#ExampleCredential"] }),
  "credential-type-mapped-url-ok.json": vc({ "@context": [V2, { ExampleTestCredential: "https://example.org/#ExampleTestCredential" }], type: ["VerifiableCredential", "ExampleTestCredential"] }),
  "credential-type-mapped-nonurl-fail.json": vc({ "@context": [V2, { ExampleTestCredential: "https ://not-a-url#ExampleTestCredential" }], type: ["VerifiableCredential", "ExampleTestCredential"] }),
  "credential-type-unmapped-fail.json": vc({ "@context": [V2, { "@vocab": null }], type: ["VerifiableCredential", "ExampleTestCredential"] }),
  "credential-type-urls-order-1-ok.json": vc({ type: ["https://example.org/#ExampleCredential1", "https://example.org/#ExampleCredential2", "VerifiableCredential"], validFrom: "2023-02-23T21:41:38Z" }),
  "credential-type-urls-order-2-ok.json": vc({ type: ["VerifiableCredential", "https://example.org/#ExampleCredential2", "https://example.org/#ExampleCredential1"], validFrom: "2023-02-23T21:41:38Z" }),
  "credential-optional-type-ok.json": vc({ "@context": [V2, EX], type: ["VerifiableCredential", "RelationshipCredential"] }),
  "credential-missing-required-type-fail.json": vc({ "@context": [V2, EX], type: ["RelationshipCredential"] }),
  "credential-status-ok.json": vc({ "@context": [V2, status2017], credentialStatus: { id: "did:example:status", type: "CredentialStatusList2017" } }),
  "credential-status-missing-type-fail.json": vc({ credentialStatus: { id: "did:example:status" } }),
  "credential-status-missing-id-ok.json": vc({ "@context": [V2, status2017], credentialStatus: { type: "CredentialStatusList2017" } }),
  "credential-status-multiple-id-fail.json": vc({ "@context": [V2, status2017], credentialStatus: { id: ["did:example:status:1", "did:example:status:2"], type: "CredentialStatusList2017" } }),
  "credential-status-nonurl-id-fail.json": vc({ "@context": [V2, status2017], credentialStatus: { type: "CredentialStatusList2017", id: "https ://not-a-url/statusList/4" } }),
  "credential-status-type-nonurl-fail.json": vc({ "@context": [V2, status2017], credentialStatus: { id: "did:example:status", type: 2 } }),
  "credential-termsofuse-ok.json": vc({ "@context": [V2, odrl], termsOfUse: { type: "OdrlPolicy2017" } }),
  "credential-termsofuse-missing-type-fail.json": vc({ termsOfUse: {} }),
  "credential-termsofuse-no-type-fail.json": vc({ termsOfUse: { id: "did:example:terms/1" } }),
  "credential-termsofuse-id-ok.json": vc({ "@context": [V2, odrl], termsOfUse: { type: "OdrlPolicy2017", id: "did:example:terms/1" } }),
  "credential-termsofuses-ok.json": vc({ "@context": [V2, odrl], termsOfUse: [{ type: "OdrlPolicy2017" }, { type: "OdrlPolicy2017" }] }),
  "credential-evidence-ok.json": vc({ "@context": [V2, docVerification], evidence: { type: "DocumentVerification2018" } }),
  "credential-evidence-missing-type-fail.json": vc({ evidence: {} }),
  "credential-evidences-ok.json": vc({ "@context": [V2, docVerification], evidence: [{ type: "DocumentVerification2018" }, { type: "DocumentVerification2018" }] }),
  "credential-refresh-ok.json": vc({ refreshService: { type: refreshType, id: "did:example:refresh/1" } }),
  "credential-refreshs-ok.json": vc({ refreshService: [{ type: refreshType, id: "did:example:refresh/2" }, { type: refreshType, id: "did:example:refresh/3" }] }),
  "credential-refresh-no-type-fail.json": vc({ refreshService: { id: "did:example:refresh/1" } }),
  "credential-schema-ok.json": vc({ credentialSchema: { type: schemaType, id: "did:example:schemas/1" } }),
  "credential-schemas-ok.json": vc({ credentialSchema: [{ type: schemaType, id: "did:example:schemas/1" }, { type: schemaType, id: "did:example:schemas/2" }] }),
  "credential-schema-no-type-fail.json": vc({ credentialSchema: { id: "did:example:schemas/1" } }),
  "credential-schema-no-id-fail.json": vc({ credentialSchema: { type: schemaType } }),
  "credential-schema-non-url-id-fail.json": vc({ credentialSchema: { type: schemaType, id: "https ://not-a-url.org/cd28a5c0-a3ca-4057-9e18-074769a54fdb" } }),
  "credential-no-subject-fail.json": { "@context": [V2], type: ["VerifiableCredential"] },
  "credential-subject-no-claims-fail.json": vc({ validFrom: "2023-02-26T00:16:15Z", issuer: "did:example:issuer", credentialSubject: {} }),
  "credential-subject-multiple-ok.json": vc({ credentialSubject: [{ id: "did:example:subject" }, { id: "did:example:other:subject" }] }),
  "credential-subject-multiple-empty-fail.json": vc({ credentialSubject: [{ id: "did:example:subject" }, {}] }),
  "credential-issuer-object-ok.json": vc({ validFrom: "2023-02-26T00:37:06Z", issuer: { id: "did:example:issuer" } }),
  "credential-issuer-url-ok.json": vc({ validFrom: "2023-02-26T00:36:23Z", issuer: "https://some-url/issuer/foo" }),
  "credential-issuer-no-url-fail.json": vc({ issuer: "fake-issuer" }),
  "credential-issuer-nonurl-fail.json": vc({ validFrom: "2023-02-26T00:36:23Z", issuer: "//not-a-url/issuer/foo" }),
  "credential-issuer-null-fail.json": vc({ issuer: null }),
  "credential-issuer-object-no-id-fail.json": vc({ validFrom: "2023-02-26T00:37:06Z", issuer: {} }),
  "credential-issuer-object-id-null-fail.json": vc({ issuer: { id: null } }),
  "credential-issuer-object-id-no-url-fail.json": vc({ issuer: { id: "fake-issuer" } }),
  "credential-validfrom-ms-ok.json": vc({ validFrom: "2023-02-26T01:02:58.447Z" }),
  "credential-validfrom-tz-ok.json": vc({ validFrom: "2023-02-25T19:10:39-06:00" }),
  "credential-validfrom-invalid-fail.json": vc({ validFrom: "Sat 25 Feb 2023 07:16:31 PM CST" }),
  "credential-validuntil-ok.json": vc({ validUntil: "2033-02-26T00:00:00Z" }),
  "credential-validuntil-ms-ok.json": vc({ validUntil: "2033-02-26T01:02:58.447Z" }),
  "credential-validuntil-tz-ok.json": vc({ validUntil: "2033-02-25T19:10:39-06:00" }),
  "credential-validuntil-invalid-fail.json": vc({ validUntil: "Sat 25 Feb 2033 07:16:31 PM CST" }),
  "credential-redef-type-fail.json": vc({ "@context": [V2, { VerifiableCredential: "https://example.org/#BadVerifiableCredential" }] }),
  "credential-redef-type2-fail.json": vc({
    "@context": [V2, { "@protected": true, ExampleVerifiableCredential: "https://example.org/#ExampleVerifiableCredential" }, { ExampleVerifiableCredential: "https://example.org/#ExampleBadVerifiableCredential" }],
    type: ["VerifiableCredential", "ExampleVerifiableCredential"],
  }),
};

/** names-and-descriptions/*.json: on the credential and on its issuer. */
export function namesAndDescriptions(): Record<string, Doc> {
  const out: Record<string, Doc> = {};
  for (const prop of ["name", "description"] as const) {
    const value = prop === "name" ? "Example Credential" : "An example credential";
    out[`credential-${prop}-ok.json`] = vc({ [prop]: value });
    out[`credential-${prop}-optional-ok.json`] = vc();
    out[`credential-${prop}-language-en-ok.json`] = vc({ [prop]: { "@value": value, "@language": "en" } });
    out[`credential-${prop}-language-direction-en-ok.json`] = vc({ [prop]: { "@value": value, "@language": "en", "@direction": "ltr" } });
    out[`credential-multi-language-${prop}-ok.json`] = vc({ [prop]: [{ "@value": "Dog", "@language": "en" }, { "@value": "Chien", "@language": "fr" }, { "@value": "Cane", "@language": "it" }] });
    out[`credential-${prop}-extra-prop-en-fail.json`] = vc({ [prop]: { "@value": value, "@language": "en", url: "did:example:credential" } });
    out[`issuer-${prop}-ok.json`] = vc({ issuer: { [prop]: prop === "name" ? "ExampleIssuer" : "An example issuer" } });
    out[`issuer-${prop}-optional-ok.json`] = vc({ issuer: {} });
    out[`issuer-${prop}-language-en-ok.json`] = vc({ issuer: { [prop]: { "@value": "ExampleIssuer", "@language": "en" } } });
    out[`issuer-${prop}-language-direction-en-ok.json`] = vc({ issuer: { [prop]: { "@value": "ExampleIssuer", "@language": "en", "@direction": "ltr" } } });
    out[`issuer-multi-language-${prop}-ok.json`] = vc({ issuer: { [prop]: [{ "@value": "Dog", "@language": "en" }, { "@value": "Chien", "@language": "fr" }, { "@value": "Cane", "@language": "it" }] } });
    out[`issuer-${prop}-extra-prop-en-fail.json`] = vc({ issuer: { [prop]: { "@value": "ExampleIssuer", "@language": "en", url: "did:example:issuer" } } });
  }
  return out;
}

/** Presentations the suite sends to `/presentations/verify` (unsecured, or for its own Data Integrity signing). */
export const PRESENTATIONS: Record<string, Doc> = {
  "presentation-ok.json": { "@context": [V2], type: ["VerifiablePresentation"], verifiableCredential: [] },
  "presentation-no-context-fail.json": { type: ["VerifiablePresentation"], verifiableCredential: [] },
  "presentation-missing-base-context-fail.json": { "@context": [EX], type: ["VerifiablePresentation"], verifiableCredential: [] },
  "presentation-no-type-fail.json": { "@context": [V2], verifiableCredential: [] },
  "presentation-missing-required-type-fail.json": { "@context": [V2, EX], type: ["ExamplePresentation"], verifiableCredential: [] },
  "presentation-optional-type-ok.json": { "@context": [V2, EX], type: ["VerifiablePresentation", "ExamplePresentation"], verifiableCredential: [] },
  "presentation-context-combo2-ok.json": {
    "@context": [V2, { ExampleVerifiablePresentation: "https://example.org/#ExampleVerifiablePresentation" }],
    type: ["VerifiablePresentation", "ExampleVerifiablePresentation"],
  },
  "presentation-vc-missing-required-type-fail.json": {
    "@context": [V2],
    type: ["VerifiablePresentation"],
    verifiableCredential: [{ "@context": [V2], type: [], validFrom: "2023-02-27T05:04:04Z", issuer: "did:example:issuer", credentialSubject: subject }],
  },
};
