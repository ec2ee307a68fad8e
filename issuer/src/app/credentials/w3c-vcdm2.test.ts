/**
 * The W3C VC Data Model 2.0 test suite (github.com/w3c/vc-data-model-2.0-test-suite, tests/10-vcdm2.js
 * and its successors 20-contexts.js ... 130-advanced-concepts.js) pointed at Haki's VC-API route
 * handlers. Its install needs a source this machine cannot reach, so its cases are mirrored here:
 * each `describe` / `it` is the suite's own title, each request uses the suite's input file
 * (../../test/w3c-vcdm2-fixtures.ts, by file name) and makes the suite's assertion. Haki is an
 * "EnvelopingProof" implementation (VC-JOSE-COSE): the suite then reads the data model from the
 * payload of the `vc+jwt` in the EnvelopedVerifiableCredential, as `payloadOf` does here.
 *
 * Where the suite itself signs a presentation with Data Integrity (`eddsa-2022`, its createVp), the
 * mirror sends the same presentation secured as a `vp+jwt` by a did:key holder instead (Haki verifies
 * JOSE only; a Data Integrity proof is refused with ERR_ALG_UNSUPPORTED: see the last test).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { generateKeyPair } from "@haki/credentials/keys";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute } from "@/test/http";
import { CREDENTIALS, PRESENTATIONS, asSuiteSends, namesAndDescriptions } from "@/test/w3c-vcdm2-fixtures";
import { POST as issueRoute } from "./issue/route";
import { POST as verifyRoute } from "./verify/route";
import { POST as verifyVpRoute } from "@/app/presentations/verify/route";
import { POST as tokens } from "@/app/api/tokens/route";

const V2 = "https://www.w3.org/ns/credentials/v2";
type Doc = Record<string, unknown>;

describe("W3C VC Data Model 2.0 test suite (mirrored) against /credentials/issue, /credentials/verify, /presentations/verify", () => {
  let t: TestContext;
  let issueToken = "";
  let verifyToken = "";
  const holder = generateKeyPair();

  beforeAll(async () => {
    t = await createTestContext();
    t.clock.now = new Date("2027-03-05T10:00:00Z");
    const admin = await createTestUser(t.ctx, ["admin"]);
    const make = async (scopes: string[]) =>
      ((await (await callRoute(tokens, { method: "POST", headers: admin.headers, body: { name: scopes.join("+"), scopes } })).json()) as { token: string }).token;
    issueToken = await make(["issue:any"]);
    verifyToken = await make(["verify"]);
  }, 60_000);
  afterAll(() => t.close());

  /** The suite's `endpoints.issue`: POST { credential, options } and read the enveloped payload; throws on an HTTP error. */
  async function issue(doc: Doc, options: { fillIssuer?: boolean } = {}): Promise<{ enveloped: Doc; jwt: string; payload: Doc }> {
    const credential = options.fillIssuer === false ? doc : asSuiteSends(doc, t.ctx.did);
    const res = await callRoute(issueRoute, { method: "POST", headers: { authorization: `Bearer ${issueToken}` }, body: { credential, options: {} } });
    if (res.status >= 400) throw Object.assign(new Error(`HTTP ${res.status}`), { name: "HTTPError", status: res.status, body: await res.json() });
    expect(res.status).toBe(201);
    const enveloped = ((await res.json()) as { verifiableCredential: Doc }).verifiableCredential;
    const jwt = String(enveloped.id).slice("data:application/vc+jwt,".length);
    return { enveloped, jwt, payload: JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Doc };
  }
  const issues = (name: string) => issue(CREDENTIALS[name]!);
  const rejects = async (name: string, doc = CREDENTIALS[name]!, options: { fillIssuer?: boolean } = {}) => {
    await expect(issue(doc, options), name).rejects.toMatchObject({ name: "HTTPError", status: 400 });
  };
  /** A presentation of the suite made (`createVp`) from one of its files: verifying it throws. */
  const presentationRejected = async (name: string) => {
    await expect(verifyVp(await createVp(PRESENTATIONS[name]!))).rejects.toThrow();
  };
  /** The suite's file names say the outcome: each `-fail.json` is refused, every other file issues (in the order given). */
  const issuesOrRejects = async (names: string[], docs: Record<string, Doc> = CREDENTIALS) => {
    for (const name of names) {
      if (name.endsWith("-fail.json")) await rejects(name, docs[name]);
      else await issue(docs[name]!);
    }
  };

  /** The suite's `endpoints.verify`: throws when `errors` is not empty. */
  async function verify(vc: unknown): Promise<Doc> {
    const res = await callRoute(verifyRoute, { method: "POST", headers: { authorization: `Bearer ${verifyToken}` }, body: { verifiableCredential: vc, options: { checks: ["proof"] } } });
    const body = (await res.json()) as Doc & { errors?: unknown[] };
    if (res.status >= 400 || body.errors?.length) throw Object.assign(new Error("verification failed"), { body });
    return body;
  }
  /** The suite's `endpoints.verifyVp`. */
  async function verifyVp(vp: unknown, options: Doc = { checks: [] }): Promise<Doc> {
    const res = await callRoute(verifyVpRoute, { method: "POST", headers: { authorization: `Bearer ${verifyToken}` }, body: { verifiablePresentation: vp, options } });
    const body = (await res.json()) as Doc & { errors?: unknown[] };
    if (res.status >= 400 || body.errors?.length) throw Object.assign(new Error("verification failed"), { body });
    return body;
  }
  /** What the suite's `createVp` makes, secured as a vp+jwt by a did:key holder (its credentials issued by Haki, enveloped). */
  async function createVp(presentation: Doc, options: { challenge?: string } = {}): Promise<string> {
    const key = await holder;
    const vcs = await Promise.all(((presentation.verifiableCredential as Doc[] | undefined) ?? []).map(async (c) => (await issue({ ...c, issuer: undefined })).enveloped));
    return new SignJWT({ ...presentation, holder: key.did, ...(presentation.verifiableCredential ? { verifiableCredential: vcs } : {}), ...(options.challenge ? { nonce: options.challenge } : {}) })
      .setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: key.kid })
      .setIssuedAt(Math.floor(t.clock.now.getTime() / 1000))
      .sign(key.privateKey);
  }
  const challenge = "u3a1iX7mY0Qd2c1o6v3yJqg";

  describe("Basic Conformance", () => {
    it("verifiers MUST produce errors when non-conforming documents are detected.", async () => {
      const doc = { type: ["NonconformingDocument"] };
      await expect(verify(doc)).rejects.toThrow();
      await expect(verifyVp(doc)).rejects.toThrow();
    });
  });

  describe("Contexts", () => {
    it("Verifiable credentials MUST include a @context property.", async () => {
      const { payload } = await issues("credential-ok.json");
      expect(Array.isArray(payload["@context"])).toBe(true);
      await rejects("credential-no-context-fail.json");
    });
    it("Verifiable presentations MUST include a @context property.", async () => {
      await verifyVp(await createVp(PRESENTATIONS["presentation-ok.json"]!));
      await expect(verifyVp(PRESENTATIONS["presentation-no-context-fail.json"])).rejects.toThrow();
      await presentationRejected("presentation-no-context-fail.json");
    });
    it("Verifiable credentials: The value of the @context property MUST be an ordered set where the first item is a URL with the value https://www.w3.org/ns/credentials/v2.", async () => {
      expect(((await issues("credential-ok.json")).payload["@context"] as string[])[0]).toBe(V2);
      await rejects("credential-missing-base-context-fail.json");
    });
    it("Verifiable presentations: The value of the @context property MUST be an ordered set where the first item is a URL with the value https://www.w3.org/ns/credentials/v2.", async () => {
      await presentationRejected("presentation-missing-base-context-fail.json");
    });
    it('Verifiable Credential `@context`: "Subsequent items in the ordered set MUST be composed of any combination of URLs and/or objects where each is processable as a JSON-LD Context."', async () => {
      await issuesOrRejects(["credential-context-combo1-ok.json", "credential-context-combo2-ok.json", "credential-context-combo3-fail.json", "credential-context-combo4-fail.json"]);
    });
    it('Verifiable Presentation `@context`: "Subsequent items in the ordered set MUST be composed of any combination of URLs and/or objects where each is processable as a JSON-LD Context."', async () => {
      await verifyVp(await createVp(PRESENTATIONS["presentation-context-combo2-ok.json"]!));
      for (const bad of ["https ://not-a-url/contexts/example/v1", 123192875]) {
        await expect(verifyVp(await createVp({ ...PRESENTATIONS["presentation-ok.json"]!, "@context": [V2, bad] }))).rejects.toThrow();
      }
    });
  });

  describe("Identifiers", () => {
    it("If present, the value of the id property MUST be a single URL, which MAY be dereferenceable.", async () => {
      await issuesOrRejects(["credential-id-other-ok.json", "credential-id-nonidentifier-fail.json", "credential-single-id-ok.json", "credential-subject-single-id-ok.json", "credential-multi-id-fail.json", "credential-id-subject-multi-fail.json", "credential-not-url-id-fail.json"]);
    });
  });

  describe("Types", () => {
    it("Verifiable credentials MUST contain a type property with an associated value.", async () => {
      await rejects("credential-no-type-fail.json");
    });
    it("Verifiable presentations MUST contain a type property with an associated value.", async () => {
      await presentationRejected("presentation-no-type-fail.json");
    });
    it.each([
      ["The value of the type property MUST be one or more terms and/or absolute URL strings.", ["credential-type-url-ok.json", "credential-type-mapped-url-ok.json", "credential-type-mapped-nonurl-fail.json", "credential-type-unmapped-fail.json"]],
      ["If more than one (type) value is provided, the order does not matter.", ["credential-type-urls-order-1-ok.json", "credential-type-urls-order-2-ok.json"]],
    ])("%s", async (_statement, files) => {
      await issuesOrRejects(files);
    });
    it('VerifiableCredential, VerifiablePresentation, credentialStatus, termsOfUse, refreshService, credentialSchema, and evidence are "objects that MUST have a type specified."', async () => {
      await issuesOrRejects(["credential-optional-type-ok.json", "credential-missing-required-type-fail.json"]);
      await verifyVp(await createVp(PRESENTATIONS["presentation-optional-type-ok.json"]!, { challenge }), { checks: ["proof"], challenge });
      await presentationRejected("presentation-missing-required-type-fail.json");
      await issuesOrRejects(["credential-status-ok.json", "credential-status-missing-type-fail.json", "credential-termsofuse-ok.json", "credential-termsofuse-missing-type-fail.json", "credential-evidence-ok.json", "credential-evidence-missing-type-fail.json", "credential-refresh-no-type-fail.json", "credential-schema-no-type-fail.json"]);
    });
  });

  describe("Names and Descriptions", () => {
    const nd = namesAndDescriptions();
    for (const [on, prefix] of [["", "credential"], [" (on `issuer`)", "issuer"]] as const) {
      for (const prop of ["name", "description"] as const) {
        it(`If present${on}, the value of the ${prop} property MUST be a string or a language value object as described in 11.1 Language and Base Direction.`, async () => {
          const files = Object.keys(nd).filter((f) => f.startsWith(`${prefix}-`) && f.includes(prop));
          expect(files).toHaveLength(6);
          await issuesOrRejects(files, nd);
        });
      }
    }
  });

  describe("Credential Subject", () => {
    it("A verifiable credential MUST have a credentialSubject property.", async () => {
      await rejects("credential-no-subject-fail.json");
    });
    it("The value of the credentialSubject property is defined as a set of objects where each object MUST be the subject of one or more claims, which MUST be serialized inside the credentialSubject property.", async () => {
      await issuesOrRejects(["credential-subject-no-claims-fail.json", "credential-subject-multiple-ok.json", "credential-subject-multiple-empty-fail.json"]);
    });
  });

  describe("Issuer", () => {
    it("A verifiable credential MUST have an issuer property.", async () => {
      expect((await issues("credential-ok.json")).payload.issuer).toBe(t.ctx.did);
    });
    it("The value of the issuer property MUST be either a URL, or an object containing an id property whose value is a URL.", async () => {
      // Accepted, and signed as this issuer: the signature says who issued the credential.
      expect((await issues("credential-issuer-object-ok.json")).payload.issuer).toEqual({ id: t.ctx.did });
      expect((await issues("credential-issuer-url-ok.json")).payload.issuer).toBe(t.ctx.did);
      await issuesOrRejects(["credential-issuer-no-url-fail.json", "credential-issuer-nonurl-fail.json", "credential-issuer-object-id-no-url-fail.json"]);
      // The suite's client would fill these null / missing ids with the implementation's own id
      // before sending (so no implementation registered with an id can fail them): sent as written.
      await rejects("credential-issuer-null-fail.json", undefined, { fillIssuer: false });
      await rejects("credential-issuer-object-no-id-fail.json", undefined, { fillIssuer: false });
      await rejects("credential-issuer-object-id-null-fail.json", undefined, { fillIssuer: false });
    });
  });

  describe("Validity Period", () => {
    it("If present, the value of the validFrom property MUST be an [XMLSCHEMA11-2] dateTimeStamp string value representing the date and time the credential becomes valid, which could be a date and time in the future or in the past.", async () => {
      await issuesOrRejects(["credential-validfrom-ms-ok.json", "credential-validfrom-tz-ok.json", "credential-validfrom-invalid-fail.json"]);
    });
    it("If present, the value of the validUntil property MUST be an [XMLSCHEMA11-2] dateTimeStamp string value representing the date and time the credential ceases to be valid, which could be a date and time in the past or in the future.", async () => {
      await issuesOrRejects(["credential-validuntil-ok.json", "credential-validuntil-ms-ok.json", "credential-validuntil-tz-ok.json", "credential-validuntil-invalid-fail.json"]);
    });
    it("If a validUntil value also exists, the validFrom value MUST express a datetime that is temporally the same or earlier than the datetime expressed by the validUntil value.", async () => {
      const stamp = (years: number) => `${t.clock.now.getUTCFullYear() + years}${t.clock.now.toISOString().slice(4, 19)}Z`;
      await issue({ ...CREDENTIALS["credential-ok.json"]!, validFrom: stamp(-2), validUntil: stamp(2) });
      await rejects("credential-validUntil-validFrom-fail.json", { ...CREDENTIALS["credential-ok.json"]!, validFrom: stamp(2), validUntil: stamp(-2) });
      await issue({ ...CREDENTIALS["credential-ok.json"]!, validFrom: stamp(0), validUntil: stamp(0) }); // the same datetime
    });
  });

  describe("Securing Mechanisms", () => {
    it("A conforming document MUST be secured by at least one securing mechanism as described in Section 4.9 Securing Mechanisms.", async () => {
      const { enveloped, jwt } = await issues("credential-ok.json");
      expect(enveloped).toMatchObject({ type: "EnvelopedVerifiableCredential" });
      expect(JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString())).toMatchObject({ alg: "EdDSA", typ: "vc+jwt" });
    });
    it("A conforming verifier implementation consumes conforming documents, MUST perform verification on a conforming document as described in Section 4.9 Securing Mechanisms, MUST check that each required property satisfies the normative requirements for that property, and MUST produce errors when non-conforming documents are detected.", async () => {
      const { enveloped, jwt } = await issues("credential-ok.json");
      await verify(enveloped);
      await verify(jwt);
      await expect(verify(CREDENTIALS["credential-ok.json"])).rejects.toThrow();
    });
  });

  describe("Status", () => {
    it("If present (credentialStatus.id), the normative guidance in Section 4.3 Identifiers MUST be followed.", async () => {
      await issuesOrRejects(["credential-status-missing-id-ok.json", "credential-status-multiple-id-fail.json", "credential-status-nonurl-id-fail.json"]);
    });
    it("(If a credentialStatus property is present), The type property is REQUIRED. It is used to express the type of status information expressed by the object. The related normative guidance in Section 4.4 Types MUST be followed.", async () => {
      await issuesOrRejects(["credential-status-missing-type-fail.json", "credential-status-type-nonurl-fail.json"]);
      const { jwt } = await issues("credential-status-ok.json");
      // A status mechanism Haki does not read verifies with a warning, never silently.
      expect(await verify(jwt)).toMatchObject({ verified: true, warnings: [{ code: "STATUS_NOT_CHECKED" }] });
    });
  });

  describe("Verifiable Presentations", () => {
    it("The verifiableCredential property MAY be present. The value MUST be one or more verifiable credential and/or enveloped verifiable credential objects (to be clear, the values MUST NOT be non-object values such as numbers, strings, or URLs).", async () => {
      const withCredential = { "@context": [V2], type: ["VerifiablePresentation"], verifiableCredential: [{ "@context": [V2], type: ["VerifiableCredential"], validFrom: "2023-02-27T05:03:28Z", credentialSubject: { id: "did:example:subject" } }] };
      await verifyVp(await createVp(withCredential, { challenge }), { checks: ["proof"], challenge });
      const multiple = { ...withCredential, verifiableCredential: [...withCredential.verifiableCredential, ...withCredential.verifiableCredential] };
      await verifyVp(await createVp(multiple, { challenge }), { checks: ["proof"], challenge });
      await expect(verifyVp(PRESENTATIONS["presentation-vc-missing-required-type-fail.json"])).rejects.toThrow();
      // A credential as a string (a JWT, not an enveloped object) inside the presentation.
      const key = await holder;
      const stringVc = await new SignJWT({ "@context": [V2], type: ["VerifiablePresentation"], holder: key.did, verifiableCredential: [(await issues("credential-ok.json")).jwt] })
        .setProtectedHeader({ alg: "EdDSA", typ: "vp+jwt", kid: key.kid })
        .sign(key.privateKey);
      await expect(verifyVp(stringVc)).rejects.toThrow();
    });
  });

  describe("Data Schemas", () => {
    it("The value of the credentialSchema property MUST be one or more data schemas that provide verifiers with enough information to determine whether the provided data conforms to the provided schema(s).", async () => {
      await issuesOrRejects(["credential-schema-ok.json", "credential-schemas-ok.json"]);
    });
    it("Each credentialSchema MUST specify its type (for example, JsonSchema), and an id property that MUST be a URL identifying the schema file.", async () => {
      await issuesOrRejects(["credential-schema-no-type-fail.json", "credential-schema-no-id-fail.json", "credential-schema-non-url-id-fail.json"]);
    });
    it("If multiple schemas are present, validity is determined according to the processing rules outlined by each associated credentialSchema type property.", async () => {
      await issues("credential-schemas-ok.json");
    });
  });

  describe("Advanced Concepts", () => {
    it("JSON-LD-based processors MUST produce an error when a JSON-LD context redefines any term in the active context.", async () => {
      await issuesOrRejects(["credential-redef-type-fail.json", "credential-redef-type2-fail.json"]);
    });
    it("The value of the refreshService property MUST be one or more refresh services that provides enough information to the recipient's software such that the recipient can refresh the verifiable credential.", async () => {
      await issuesOrRejects(["credential-refresh-ok.json", "credential-refreshs-ok.json"]);
    });
    it("Each refreshService value MUST specify its type.", async () => {
      await rejects("credential-refresh-no-type-fail.json");
    });
    it("The value of the termsOfUse property MUST specify one or more terms of use policies under which the creator issued the credential or presentation.", async () => {
      await issues("credential-termsofuses-ok.json");
    });
    it("Each termsOfUse value MUST specify its type, for example, IssuerPolicy, and MAY specify its instance id.", async () => {
      await issuesOrRejects(["credential-termsofuse-no-type-fail.json", "credential-termsofuse-id-ok.json"]);
    });
    it("The value of the evidence property MUST be one or more evidence schemes providing enough information for a verifier to determine whether the evidence gathered by the issuer meets its confidence requirements for relying on the credential.", async () => {
      await issues("credential-evidences-ok.json");
    });
  });

  it("(not mirrored: Data Integrity) a credential or presentation with an embedded proof is refused with ERR_ALG_UNSUPPORTED, not verified", async () => {
    const proof = { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod", verificationMethod: "did:key:z6Mk#z6Mk", proofValue: "z" };
    await expect(verify({ ...CREDENTIALS["credential-ok.json"], proof })).rejects.toMatchObject({ body: { errors: [{ code: "ERR_ALG_UNSUPPORTED" }] } });
    await expect(verifyVp({ ...PRESENTATIONS["presentation-ok.json"], proof })).rejects.toMatchObject({ body: { errors: [{ code: "ERR_ALG_UNSUPPORTED" }] } });
  });
});
