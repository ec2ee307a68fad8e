// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- jsonld ships no types: the ambient declarations must reach every project that compiles this file (the issuer too)
/// <reference path="./lib/jsonld.d.ts" />
/**
 * The W3C VC Data Model 2.0 rules for any credential or presentation, not only Haki's entitlement:
 * what the VC-API issues under the `issue:any` scope and verifies from other issuers. Two layers:
 * - the data model's normative statements on the JSON (sections 4.x: `@context` an ordered set
 *   starting with the v2 context, single URL `id`s, `type` with VerifiableCredential, `issuer` a URL
 *   or an object with one, subjects that say something, dateTimeStamp validity with validFrom not
 *   after validUntil, `type` on status, schema, terms of use, evidence and refresh entries, names
 *   and descriptions as strings or language value objects);
 * - JSON-LD expansion in safe mode (jsonld.js) against contexts held in this package (the v2 base
 *   context, the W3C examples and status contexts, Haki's own): every term and type must map to an
 *   absolute IRI and no protected term may be redefined. A context URL that is not held is refused:
 *   nothing is fetched (offline, and no request forgery through `@context`).
 * Server side (jsonld is not in the PWAs' bundles).
 */
import jsonld from "jsonld";
import { contexts as w3cContexts } from "@digitalbazaar/credentials-context";
import { CONTEXT as STATUS_CONTEXT, CONTEXT_URL as STATUS_CONTEXT_URL } from "@digitalbazaar/vc-bitstring-status-list-context";
import entitlementV1 from "../contexts/entitlement-v1.json" with { type: "json" };
import entitlementV2 from "../contexts/entitlement-v2.json" with { type: "json" };
import examplesV2 from "../contexts/w3c-credentials-examples-v2.json" with { type: "json" };
import { ENTITLEMENT_CONTEXT_V1, ENTITLEMENT_CONTEXT_V2, W3C_CREDENTIALS_V2 } from "./model";

/** The W3C examples context (used throughout the specification's examples and test suites). */
export const W3C_EXAMPLES_CONTEXT_V2 = "https://www.w3.org/ns/credentials/examples/v2";

/** One violation: where (a JSON path such as `credentialSubject[1].id`) and what. */
export interface DataModelIssue {
  path: string;
  message: string;
}

/**
 * The contexts resolved offline: W3C credentials v2 (and v1, undefined-terms v2), the Bitstring
 * Status List context, the W3C examples v2 context, and Haki's entitlement contexts.
 *
 * @example
 * bundledContexts().has("https://www.w3.org/ns/credentials/v2"); // true
 */
export function bundledContexts(): ReadonlyMap<string, unknown> {
  return BUNDLED;
}
const BUNDLED: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...w3cContexts,
  [STATUS_CONTEXT_URL, STATUS_CONTEXT],
  [W3C_EXAMPLES_CONTEXT_V2, examplesV2],
  [ENTITLEMENT_CONTEXT_V1, entitlementV1],
  [ENTITLEMENT_CONTEXT_V2, entitlementV2],
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A URL as the data model means it: an absolute URL with a scheme (https:, did:, urn:, ...), no
 * whitespace. Relative references (`//host/x`, `fake-issuer`) are not URLs here.
 */
export function isAbsoluteUrl(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value) && URL.canParse(value);
}

// XML Schema 1.1 dateTimeStamp: a date-time with a required time zone (VCDM 2.0 4.8, 4.8.1).
const DATE_TIME_STAMP = /^-?([1-9][0-9]{3,}|0[0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|(24:00:00(\.0+)?))(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;

/** True for an XML Schema dateTimeStamp (`2027-03-01T00:00:00Z`, `...T19:10:39-06:00`, milliseconds allowed). */
export function isDateTimeStamp(value: unknown): value is string {
  return typeof value === "string" && DATE_TIME_STAMP.test(value) && !Number.isNaN(Date.parse(value));
}

class Issues {
  readonly list: DataModelIssue[] = [];
  add(path: string, message: string) {
    this.list.push({ path, message });
  }
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function checkContext(value: unknown, issues: Issues, contexts: ReadonlyMap<string, unknown>): void {
  if (!Array.isArray(value) || value.length === 0) return issues.add("@context", "must be an ordered set (an array)");
  if (value[0] !== W3C_CREDENTIALS_V2) issues.add("@context[0]", `must be ${W3C_CREDENTIALS_V2}`);
  value.slice(1).forEach((c, i) => {
    const path = `@context[${i + 1}]`;
    if (typeof c === "string") {
      if (!isAbsoluteUrl(c)) issues.add(path, "must be a URL or an object");
      else if (!contexts.has(c)) issues.add(path, "is not a context this service holds (contexts are never fetched)");
    } else if (!isObject(c)) issues.add(path, "must be a URL or an object");
  });
}

function checkId(value: unknown, path: string, issues: Issues): void {
  if (value === undefined) return;
  if (!isAbsoluteUrl(value)) issues.add(path, "must be a single URL");
}

function checkType(value: unknown, path: string, required: string | undefined, issues: Issues): void {
  const types = asList(value);
  if (value === undefined || types.length === 0) return issues.add(path, "is required");
  if (!types.every((t) => typeof t === "string" && t.length > 0)) return issues.add(path, "must be one or more strings");
  if (required && !types.includes(required)) issues.add(path, `must include ${required}`);
}

const LANGUAGE_KEYS = new Set(["@value", "@language", "@direction"]);
function checkLanguageValue(value: unknown, path: string, issues: Issues): void {
  if (value === undefined || typeof value === "string") return;
  for (const [i, v] of asList(value).entries()) {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    if (typeof v === "string") continue;
    if (!isObject(v) || typeof v["@value"] !== "string" || !Object.keys(v).every((k) => LANGUAGE_KEYS.has(k))) {
      issues.add(at, "must be a string or a language value object (@value, @language, @direction)");
    } else if ((v["@language"] !== undefined && typeof v["@language"] !== "string") || (v["@direction"] !== undefined && v["@direction"] !== "ltr" && v["@direction"] !== "rtl")) {
      issues.add(at, "has a bad @language or @direction");
    }
  }
}

/** Entries that must each be an object with a `type` (status, schema, terms of use, evidence, refresh). */
function checkTypedEntries(value: unknown, path: string, issues: Issues, options: { idRequired?: boolean } = {}): void {
  if (value === undefined) return;
  const list = asList(value);
  if (list.length === 0) return issues.add(path, "must not be empty");
  list.forEach((entry, i) => {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    if (!isObject(entry)) return issues.add(at, "must be an object");
    if (options.idRequired && entry.id === undefined) issues.add(`${at}.id`, "is required");
    checkId(entry.id, `${at}.id`, issues);
    checkType(entry.type, `${at}.type`, undefined, issues);
  });
}

function checkIssuer(value: unknown, issues: Issues): void {
  if (value === undefined) return issues.add("issuer", "is required");
  if (typeof value === "string") return checkId(value, "issuer", issues);
  if (!isObject(value)) return issues.add("issuer", "must be a URL or an object with an id");
  if (value.id === undefined) issues.add("issuer.id", "is required");
  else checkId(value.id, "issuer.id", issues);
  checkLanguageValue(value.name, "issuer.name", issues);
  checkLanguageValue(value.description, "issuer.description", issues);
}

function checkSubjects(value: unknown, issues: Issues): void {
  if (value === undefined) return issues.add("credentialSubject", "is required");
  const subjects = asList(value);
  if (subjects.length === 0) return issues.add("credentialSubject", "must name at least one subject");
  subjects.forEach((s, i) => {
    const at = Array.isArray(value) ? `credentialSubject[${i}]` : "credentialSubject";
    if (!isObject(s)) return issues.add(at, "must be an object");
    if (Object.keys(s).length === 0) issues.add(at, "must make at least one claim");
    checkId(s.id, `${at}.id`, issues);
  });
}

function checkValidity(c: Json, issues: Issues): void {
  for (const key of ["validFrom", "validUntil"] as const) {
    if (c[key] !== undefined && !isDateTimeStamp(c[key])) issues.add(key, "must be an XML Schema dateTimeStamp (e.g. 2027-03-01T00:00:00Z)");
  }
  if (isDateTimeStamp(c.validFrom) && isDateTimeStamp(c.validUntil) && Date.parse(c.validFrom) > Date.parse(c.validUntil)) {
    issues.add("validFrom", "must not be later than validUntil");
  }
}

/** What JSON-LD says about the document: expanded in safe mode with the offline loader. */
async function checkJsonLd(doc: Json, issues: Issues, contexts: ReadonlyMap<string, unknown>): Promise<void> {
  const documentLoader = async (url: string) => {
    const document = contexts.get(url);
    if (document === undefined) throw new Error(`context not held: ${url}`);
    return { contextUrl: null, documentUrl: url, document };
  };
  try {
    await jsonld.expand(doc, { documentLoader, safe: true });
  } catch (error) {
    const e = error as { message?: string; details?: { event?: { message?: string; details?: Record<string, unknown> }; code?: string } };
    const event = e.details?.event;
    const what = event ? `${event.message ?? ""} ${JSON.stringify(event.details ?? {})}` : (e.details?.code ?? e.message ?? "invalid JSON-LD");
    issues.add("@context", `JSON-LD: ${what}`.trim());
  }
}

/**
 * Checks a credential against VC Data Model 2.0: an empty list means it conforms (without its
 * securing mechanism, which the caller checks). Never throws.
 *
 * @example
 * const issues = await checkCredentialV2(body.credential);
 * if (issues.length) throw badRequest(issues); // [{ path: "issuer", message: "must be a single URL" }]
 */
export function checkCredentialV2(credential: unknown, options: CheckOptions = {}): Promise<DataModelIssue[]> {
  return checkDocument(credential, "credential", "VerifiableCredential", options, (credential, issues) => {
    checkLanguageValue(credential.name, "name", issues);
    checkLanguageValue(credential.description, "description", issues);
    checkIssuer(credential.issuer, issues);
    checkSubjects(credential.credentialSubject, issues);
    checkValidity(credential, issues);
    checkTypedEntries(credential.credentialStatus, "credentialStatus", issues);
    checkTypedEntries(credential.credentialSchema, "credentialSchema", issues, { idRequired: true });
    checkTypedEntries(credential.termsOfUse, "termsOfUse", issues);
    checkTypedEntries(credential.evidence, "evidence", issues);
    checkTypedEntries(credential.refreshService, "refreshService", issues);
  });
}

/**
 * What both checks do: the document is a JSON object with a `@context`, an `id` and a `type` that
 * includes `type`; then its own rules (`rest`); then JSON-LD, only on a document whose shape is
 * right (its errors say less than the rules).
 */
async function checkDocument(
  doc: unknown,
  kind: "credential" | "presentation",
  type: string,
  options: CheckOptions,
  rest: (doc: Json, issues: Issues) => void,
): Promise<DataModelIssue[]> {
  const contexts = options.contexts ?? BUNDLED;
  const issues = new Issues();
  if (!isObject(doc)) return [{ path: "", message: `a ${kind} must be a JSON object` }];
  checkContext(doc["@context"], issues, contexts);
  checkId(doc.id, "id", issues);
  checkType(doc.type, "type", type, issues);
  rest(doc, issues);
  if (issues.list.length === 0) await checkJsonLd(withoutJwtClaims(doc, options), issues, contexts);
  return issues.list;
}

export interface CheckOptions {
  /** Contexts resolved offline (default `bundledContexts()`). */
  contexts?: ReadonlyMap<string, unknown>;
  /**
   * Members that are JWT claims of the securing envelope (`iat`, `nonce`, `cnf`...), not JSON-LD
   * terms: left out of the JSON-LD expansion.
   */
  jwtClaims?: readonly string[];
}

/** The registered JWT claims (RFC 7519 4.1) and those of key binding and presentations. */
export const JWT_CLAIMS: readonly string[] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "nonce", "cnf"];

function withoutJwtClaims(doc: Json, options: CheckOptions): Json {
  const claims = new Set(options.jwtClaims ?? []);
  return claims.size === 0 ? doc : Object.fromEntries(Object.entries(doc).filter(([k]) => !claims.has(k)));
}

/**
 * Checks a presentation against VC Data Model 2.0 (the claims of a `vp+jwt`, or a bare one):
 * `@context`, `type` with VerifiablePresentation, `id`, `holder` (a URL or an object with one), and
 * `verifiableCredential` holding objects only (credentials or EnvelopedVerifiableCredentials;
 * never strings or URLs). JWT claims (`iat`, `nonce`, `aud`, ...) are left to the caller.
 *
 * @example
 * const issues = await checkPresentationV2(decodeJwt(vpJwt));
 */
export function checkPresentationV2(presentation: unknown, options: CheckOptions = {}): Promise<DataModelIssue[]> {
  return checkDocument(presentation, "presentation", "VerifiablePresentation", options, (presentation, issues) => {
    if (presentation.holder !== undefined) {
      if (isObject(presentation.holder)) checkId(presentation.holder.id, "holder.id", issues);
      else checkId(presentation.holder, "holder", issues);
    }
    const vcs = presentation.verifiableCredential;
    if (vcs !== undefined) {
      asList(vcs).forEach((vc, i) => {
        if (!isObject(vc)) issues.add(`verifiableCredential[${i}]`, "must be a credential or an enveloped credential object, never a string or URL");
        else checkType(vc.type, `verifiableCredential[${i}].type`, undefined, issues);
      });
    }
  });
}
