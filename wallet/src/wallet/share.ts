/**
 * Answering a service's OpenID4VP 1.0 request (DCQL) from any conformant verifier: read it (QR or
 * link), find the cards that answer it, say exactly what would be shared, and send a presentation
 * only when everything that would go is covered by what the person agreed to. The answer is
 * encrypted to the verifier when it asks so (`direct_post.jwt`), and only then goes through a relay.
 */
import { sdJwtVcWallet } from "@haki/openid4vp/formats/dc-sd-jwt";
import { JWT_VC_JSON, jwtVcJsonWallet } from "@haki/openid4vp/formats/jwt-vc-json";
import { Openid4vpError } from "@haki/openid4vp/errors";
import {
  createPresentationAnswer,
  declinePresentationRequest,
  planPresentation,
  readPresentationRequest,
  submitPresentationAnswer,
  type PresentationPlan,
} from "@haki/openid4vp/wallet";
import type { ClaimPath, HeldCredential, WalletFormat } from "@haki/openid4vp/formats";
import type { HolderKey } from "./holder-key";
import type { WalletDb } from "../storage/db";
import type { Session } from "../storage/profiles";
import { listRecords } from "../storage/records";
import { decodeEntitlement, cardState, type CardFormat } from "./cards";
import { loadHolderKey } from "./holder-key";
import { recordPresented } from "./present";
import { StoredCredential } from "./schemas";

type Fetch = typeof globalThis.fetch;

/**
 * Whether a scanned text or an opened URL is an OpenID4VP request: the `openid4vp://` scheme, or a
 * link (to this wallet) carrying `client_id` with `request_uri` or `request`.
 *
 * @example
 * isPresentationRequest("openid4vp://?client_id=...&request_uri=..."); // true
 */
export function isPresentationRequest(text: string): boolean {
  const s = text.trim();
  if (/^openid4vp:/i.test(s)) return true;
  try {
    const params = new URL(s).searchParams;
    return params.has("client_id") && (params.has("request_uri") || params.has("request"));
  } catch {
    return false;
  }
}

/**
 * The OpenID4VP Credential Format Identifier of a stored card: VC 2.0 `vc+jwt` and VC 1.1 VC-JWTs
 * are both W3C credentials secured as a JWT (`jwt_vc_json`); an SD-JWT VC is `dc+sd-jwt`.
 */
export function presentationFormat(format: CardFormat): string {
  return format === "dc+sd-jwt" ? "dc+sd-jwt" : JWT_VC_JSON;
}

/** The formats this wallet answers in: its VC-JWTs whole, its SD-JWT VCs with only the claims asked. */
function walletFormats(key: HolderKey): WalletFormat[] {
  return [jwtVcJsonWallet(key), sdJwtVcWallet(key)];
}

/** The cards this profile may present: its held, currently usable credentials, each with its OpenID4VP format. */
async function usableCards(db: WalletDb, session: Session, now: Date): Promise<HeldCredential[]> {
  const { items } = await listRecords(db, session, "credential", StoredCredential);
  return items.flatMap(({ id, value }) => {
    const payload = decodeEntitlement(value.jwt);
    if (!payload || cardState(payload, value.status, now, value.office) !== "active") return [];
    return [{ id, format: presentationFormat(payload.format), credential: value.jwt }];
  });
}

/**
 * Reads a request and plans the answer from the profile's cards. Throws `Openid4vpError`
 * (`ERR_VP_REQUEST_INVALID`, `ERR_VP_REQUEST_UNREACHABLE`, `ERR_VP_CLIENT_*`, `ERR_VP_NO_MATCH`, ...).
 *
 * @example
 * const plan = await planShare(db, session, scanned);
 * show(plan.request.verifier, plan.credentials[0].disclosed);
 */
export async function planShare(db: WalletDb, session: Session, text: string, options: { fetch?: Fetch; now?: Date } = {}): Promise<PresentationPlan> {
  const request = await readPresentationRequest(text, options.fetch ? { fetch: options.fetch } : {});
  const key = await loadHolderKey(db, session);
  return planPresentation(request, await usableCards(db, session, options.now ?? new Date()), walletFormats(key));
}

/**
 * Sends the answer if everything it would disclose is covered by `agreed` (claim paths); otherwise
 * throws `ConsentExceededError` (`ERR_VP_CONSENT_EXCEEDED`) and sends nothing. Notes the sharing in
 * the profile's history.
 *
 * @example
 * await shareAnswer(db, session, plan, { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) });
 */
export async function shareAnswer(db: WalletDb, session: Session, plan: PresentationPlan, consent: { agreed: readonly ClaimPath[] }, options: { fetch?: Fetch } = {}): Promise<void> {
  const key = await loadHolderKey(db, session);
  const answer = await createPresentationAnswer(plan, walletFormats(key), consent);
  const sent = await submitPresentationAnswer(answer, options.fetch ? { fetch: options.fetch } : {});
  if (sent.status < 200 || sent.status >= 300) throw new Openid4vpError("ERR_VP_SUBMIT_FAILED");
  const label = plan.request.verifier.knownAs ?? plan.request.verifier.name ?? plan.request.verifier.responseHost;
  for (const c of plan.credentials) await recordPresented(db, session, c.credential.id, label);
}

/**
 * Tells the verifier the person said no (`access_denied`); nothing else is sent.
 *
 * @example
 * await declineShare(plan.request);
 */
export async function declineShare(request: PresentationPlan["request"], options: { fetch?: Fetch } = {}): Promise<void> {
  await declinePresentationRequest(request, options.fetch ? { fetch: options.fetch } : {});
}

/** The group a claim is shown under, in plain words (wallet messages `share.claim.<group>`). */
export type ClaimGroup = "name" | "programme" | "benefit" | "area" | "cycle" | "reference" | "holder" | "card";

/**
 * Which plain-words group a claim path belongs to: the consent screen lists groups, not JSON paths.
 * A VC-JWT's subject is under `credentialSubject`; an SD-JWT VC's members are top-level claims,
 * and its holder key is `cnf`.
 *
 * @example
 * claimGroup(["credentialSubject", "benefit", "amount"]); // "benefit"
 * claimGroup(["benefit", "amount"]); // "benefit" (SD-JWT VC)
 */
export function claimGroup(path: ClaimPath): ClaimGroup {
  if (path[0] === "cnf") return "holder";
  const member = path[0] === "credentialSubject" ? path[1] : path[0];
  if (path[0] !== "credentialSubject" && member === "id") return "card";
  switch (member) {
    case "name":
      return "name";
    case "programme":
      return "programme";
    case "benefit":
    case "redemption":
      return "benefit";
    case "area":
    case "servicePoints":
      return "area";
    case "cycle":
      return "cycle";
    case "beneficiary":
      return "reference";
    case "id":
      return "holder";
    default:
      return "card";
  }
}
