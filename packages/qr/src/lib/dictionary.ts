/**
 * The preset deflate dictionaries (RFC 1950 FDICT, as fflate's `dictionary` option) shared by every
 * encoder and decoder of a payload format (1: `HK1:`, 2: `HK2:`). Changing one byte makes older QR
 * codes unreadable: a new dictionary needs a new format version.
 *
 * Deflate finds matches by distance back from the current byte, and near matches are cheaper, so
 * the most frequent fragments sit at the end. It holds the vocabulary of compact mode (the text that
 * is left once the structure is gone: URL parts, programme and benefit words) followed by the JSON
 * skeleton of Haki's JWTs for generic mode (credentials not in canonical form).
 */
import { utf8Encode } from "./bytes";

const GENERIC_JSON = [
  '{"alg":"ES256","typ":"JWT","kid":"did:jwk:eyJ',
  '"credentialSubject":{"id":"did:key:z6Mk',
  '"issuanceDate":"20","expirationDate":"20","proof":{"type":"Ed25519Signature2020"',
  '{"iss":"did:web:","sub":"did:key:z6Mk","jti":"urn:uuid:","nbf":17,"exp":17,"iat":17,',
  '"vp":{"@context":["https://www.w3.org/2018/credentials/v1"],"type":["VerifiablePresentation"],"verifiableCredential":["eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6ImRpZDp',
  '"vc":{"@context":["https://www.w3.org/2018/credentials/v1","https://w3id.org/haki/entitlement/v1"],"type":["VerifiableCredential","EntitlementCredential"],"credentialSchema":{"id":"https://w3id.org/haki/entitlement/v1/schema.json","type":"JsonSchema"},',
  '"credentialSubject":{"beneficiary":"","name":"","programme":{"id":"","name":""},"cycle":"20","benefit":{"type":"Cash","amount":,"currency":"',
  '"benefit":{"type":"InKind","item":"","quantity":,"unit":"kg"},"benefit":{"type":"Voucher","description":"',
  '"redemption":"single","redemption":"partial","area":"","servicePoints":["',
  '"credentialStatus":[{"id":"https://',
  '","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"","statusListCredential":"https://',
  '"},{"id":"http://localhost:3000/status/suspension/',
  '","type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"","statusListCredential":"http://localhost:3000/status/',
  '{"alg":"EdDSA","typ":"JWT","kid":"did:key:z6Mk',
];

const COMPACT_VOCABULARY = [
  "Voucher for School Uniform Fuel Seeds Fertiliser Medicines Clinic Visit Maternal Health",
  "In-kind Food Ration Basket Maize Flour Rice Beans Sorghum Wheat Cooking Oil Sugar Salt litre bag tin piece",
  "Child Support Grant Disability Allowance Older Persons Pension Unconditional Conditional",
  "Emergency Drought Flood Response Household Nutrition Orphans and Vulnerable Children",
  "Social Safety Net Cash Transfer Programme Program Programa Programme National Urban Rural",
  "Allocation d'aide Alimentaire Transfert Monétaire برنامج التحويلات النقدية Mpango wa",
  "https://www.http://localhost:8080/http://localhost:3000/api/status/.gov.org/status-lists/",
  "credentials/status/suspension/status/revocation/",
];

/** Dictionary of compact mode (credential and presentation fields): the vocabulary only. */
export const COMPACT_DICTIONARY: Uint8Array = utf8Encode(COMPACT_VOCABULARY.join(" "));
/** Dictionary of generic mode (whole JWT header and payload text): JSON skeleton, then vocabulary. */
export const GENERIC_DICTIONARY: Uint8Array = utf8Encode(GENERIC_JSON.join("") + COMPACT_VOCABULARY.join(" "));

/**
 * Format 2. A did:web issuer's status list URLs, key ids and references no longer reach the
 * deflated part (they have field encodings of their own), so the compact vocabulary is mostly words:
 * benefit items and units, programme and cycle words in the four languages, common area code
 * prefixes, then format 1's URL parts for did:key issuers. The generic skeleton adds the VC 1.1
 * status context and the VC 2.0 claims set.
 */
const GENERIC_JSON_V2 = [
  ...GENERIC_JSON,
  '"@context":["https://www.w3.org/2018/credentials/v1","https://www.w3.org/ns/credentials/status/v1","https://w3id.org/haki/entitlement/v1"]',
  '{"alg":"EdDSA","typ":"vp+jwt","kid":"did:key:z6Mk',
  '{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiablePresentation"],"holder":"did:key:z6Mk',
  '"verifiableCredential":[{"@context":"https://www.w3.org/ns/credentials/v2","id":"data:application/vc+jwt,eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCIsImtpZCI6ImRpZDp3ZWI6',
  '{"alg":"EdDSA","typ":"vc+jwt","kid":"did:web:',
  '{"@context":["https://www.w3.org/ns/credentials/v2","https://w3id.org/haki/entitlement/v2"],"id":"urn:uuid:","type":["VerifiableCredential","EntitlementCredential"],"issuer":"did:web:","validFrom":"20","validUntil":"20","credentialSchema":{"id":"https://w3id.org/haki/entitlement/v2/schema.json","type":"JsonSchema"},"credentialSubject":{"id":"did:key:z6Mk',
];

const COMPACT_VOCABULARY_V2 = [
  ...COMPACT_VOCABULARY.slice(0, 6),
  "Programme de transferts monétaires Aide alimentaire Bon d'achat Pension sociale Allocation familiale",
  "Msaada wa chakula Fedha taslimu Pensheni ya wazee Vocha ya shule",
  "cash transfer food basket food ration school feeding nutrition support emergency relief pension grant allowance voucher",
  "maize flour rice beans cooking oil sugar salt soap seeds fertiliser blanket tarpaulin kg litre bag bar tin piece",
  "round cycle month quarter phase batch 2025-2026-2027-2028-",
  "KE-TZ-UG-ET-NG-GH-ML-NE-SN-SO-SD-CD-MZ-MW-ZM-BD-PK-PH-HT-",
  // Status list URLs of did:key issuers (local use: no did:web origin to make them relative).
  ...COMPACT_VOCABULARY.slice(6),
];

/** Dictionary of format 2's compact mode. */
export const COMPACT_DICTIONARY_V2: Uint8Array = utf8Encode(COMPACT_VOCABULARY_V2.join(" "));
/** Dictionary of format 2's generic mode. */
export const GENERIC_DICTIONARY_V2: Uint8Array = utf8Encode(GENERIC_JSON_V2.join("") + COMPACT_VOCABULARY_V2.join(" "));
