/**
 * The relay a PWA verifier needs (it cannot receive a POST): the issuer keeps, per request, the
 * signed request object (public) and, once the wallet answers, the answer as it came: a JWE encrypted
 * to a key only the verifier device holds, or a bare OAuth error code. Anything in the clear is
 * refused and nothing of it kept. The verifier collects the answer once, with a secret only it has
 * (the transaction id; the relay keeps its SHA-256); records expire. Storage-agnostic: the issuer
 * provides a `RelayStore` (a table) and routes.
 */
import { Openid4vpError, type Openid4vpErrorCode } from "./errors";
import { base64url, base64urlDecode, randomToken, sha256 } from "./lib/jose";

/** What the relay holds for a request: never a presentation in the clear. */
export type RelayAnswer = { kind: "jwe"; jwe: string } | { kind: "error"; error: RelayErrorCode; state?: string };

export interface RelayRecord {
  requestId: string;
  /** base64url SHA-256 of the verifier's transaction id. */
  transactionHash: string;
  /** The signed request object, served to wallets at the request URI. */
  requestObject?: string;
  /** The `kid` of the verifier's encryption key: an answer must name it. */
  encryptionKid?: string;
  expiresAt: number;
  /** Who opened it (the issuer's enrolled device id), for per-device caps; never sent to wallets. */
  openedBy?: string;
  answer?: RelayAnswer;
}

/**
 * Storage for relay records. `saveAnswer` and `take` must be atomic (one wins when two race):
 * a SQL store does `UPDATE ... WHERE answer IS NULL` and `DELETE ... RETURNING`.
 */
export interface RelayStore {
  create(record: RelayRecord): Promise<void>;
  get(requestId: string): Promise<RelayRecord | undefined>;
  setRequestObject(requestId: string, requestObject: string, encryptionKid: string | undefined): Promise<void>;
  /** Stores the answer unless one is there; false when one was. */
  saveAnswer(requestId: string, answer: RelayAnswer): Promise<boolean>;
  /** Removes and returns the record (undefined when gone). */
  take(requestId: string): Promise<RelayRecord | undefined>;
  /** Removes records expired at `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
}

/** OAuth / OpenID4VP error codes a wallet may send unencrypted (no personal data in them). */
export const RELAY_ERROR_CODES = ["access_denied", "invalid_request", "invalid_client", "vp_formats_not_supported", "invalid_request_uri_method", "invalid_transaction_data", "wallet_unavailable", "invalid_scope"] as const;
export type RelayErrorCode = (typeof RELAY_ERROR_CODES)[number];

/** HTTP status for each relay failure, for the issuer's route wrapper. */
export const RELAY_HTTP_STATUS: Partial<Record<Openid4vpErrorCode, number>> = {
  ERR_RELAY_UNKNOWN_REQUEST: 404,
  ERR_RELAY_EXPIRED: 410,
  ERR_RELAY_ALREADY_ANSWERED: 409,
  ERR_RELAY_NOT_ENCRYPTED: 400,
  ERR_RELAY_TOO_LARGE: 413,
  ERR_RELAY_FORBIDDEN: 403,
};

export interface RelayOptions {
  /** Public base URL of the relay routes, e.g. `https://issuer.example/api/openid4vp`. */
  baseUrl: string;
  /** How long a request may wait for its answer (default 600 s). */
  ttlSeconds?: number;
  /** Largest answer accepted, in bytes of form body (default 64 KiB). */
  maxBodyBytes?: number;
  now?: () => number;
}

export interface OpenedRequest {
  requestId: string;
  /** The verifier's secret for collecting the answer; the relay keeps only its hash. */
  transactionId: string;
  requestUri: string;
  responseUri: string;
  expiresAt: number;
}

export type Collected = { status: "pending" } | { status: "answered"; answer: RelayAnswer };

const enc = new TextEncoder();

async function hashOf(transactionId: string): Promise<string> {
  return base64url(await sha256(enc.encode(transactionId)));
}

function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A compact JWE whose header says ECDH-ES key agreement (and the verifier's kid when known). */
function checkJwe(jwe: string, kid: string | undefined): void {
  if (!COMPACT_JWE.test(jwe)) throw new Openid4vpError("ERR_RELAY_NOT_ENCRYPTED");
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64urlDecode(jwe.split(".")[0]!)));
  } catch (cause) {
    throw new Openid4vpError("ERR_RELAY_NOT_ENCRYPTED", undefined, { cause });
  }
  if (typeof header.alg !== "string" || !header.alg.startsWith("ECDH-ES") || typeof header.enc !== "string" || typeof header.epk !== "object") {
    throw new Openid4vpError("ERR_RELAY_NOT_ENCRYPTED");
  }
  if (kid !== undefined && header.kid !== kid) throw new Openid4vpError("ERR_RELAY_NOT_ENCRYPTED", "This answer is not encrypted to this request's key.");
}

export interface Relay {
  /** The verifier opens a request (online, before showing the QR). */
  openRequest(options?: { openedBy?: string }): Promise<OpenedRequest>;
  /** The verifier stores its signed request object, to be fetched by wallets at the request URI. */
  publishRequestObject(requestId: string, transactionId: string, requestObject: string, encryptionKid?: string): Promise<void>;
  /** A wallet fetches the request object (GET request_uri). */
  getRequestObject(requestId: string): Promise<string>;
  /** A wallet posts its answer (the `application/x-www-form-urlencoded` body of the POST to response_uri). */
  acceptAnswer(requestId: string, body: string): Promise<void>;
  /** The verifier polls; the answer is handed over once, then the record is gone. */
  collectAnswer(requestId: string, transactionId: string): Promise<Collected>;
  /** Deletes expired records (run it from a job). */
  sweep(): Promise<number>;
}

/**
 * The relay logic over a store.
 *
 * @example
 * const relay = createRelay(new MemoryRelayStore(), { baseUrl: "https://issuer.example/api/openid4vp" });
 * // route POST /responses/:id -> relay.acceptAnswer(id, await req.text())
 */
export function createRelay(store: RelayStore, options: RelayOptions): Relay {
  const ttl = (options.ttlSeconds ?? 600) * 1000;
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const now = options.now ?? (() => Date.now());
  const base = options.baseUrl.replace(/\/+$/, "");

  async function live(requestId: string): Promise<RelayRecord> {
    const record = typeof requestId === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(requestId) ? await store.get(requestId) : undefined;
    if (!record) throw new Openid4vpError("ERR_RELAY_UNKNOWN_REQUEST");
    if (now() >= record.expiresAt) throw new Openid4vpError("ERR_RELAY_EXPIRED");
    return record;
  }

  async function authorised(requestId: string, transactionId: string): Promise<RelayRecord> {
    const record = await live(requestId);
    if (typeof transactionId !== "string" || !sameText(await hashOf(transactionId), record.transactionHash)) throw new Openid4vpError("ERR_RELAY_FORBIDDEN");
    return record;
  }

  return {
    async openRequest(opts = {}) {
      const requestId = randomToken(16);
      const transactionId = randomToken(32);
      const expiresAt = now() + ttl;
      await store.create({ requestId, transactionHash: await hashOf(transactionId), expiresAt, ...(opts.openedBy ? { openedBy: opts.openedBy } : {}) });
      return { requestId, transactionId, requestUri: `${base}/requests/${requestId}`, responseUri: `${base}/responses/${requestId}`, expiresAt };
    },

    async publishRequestObject(requestId, transactionId, requestObject, encryptionKid) {
      await authorised(requestId, transactionId);
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(requestObject) || requestObject.length > maxBody) {
        throw new Openid4vpError("ERR_VP_REQUEST_INVALID", "The request object must be a signed JWT.");
      }
      await store.setRequestObject(requestId, requestObject, encryptionKid);
    },

    async getRequestObject(requestId) {
      const record = await live(requestId);
      if (!record.requestObject) throw new Openid4vpError("ERR_RELAY_UNKNOWN_REQUEST");
      return record.requestObject;
    },

    async acceptAnswer(requestId, body) {
      if (typeof body !== "string" || enc.encode(body).length > maxBody) throw new Openid4vpError("ERR_RELAY_TOO_LARGE");
      const record = await live(requestId);
      if (record.answer) throw new Openid4vpError("ERR_RELAY_ALREADY_ANSWERED");
      const form = new URLSearchParams(body);
      const keys = [...new Set(form.keys())];
      let answer: RelayAnswer;
      const response = form.get("response");
      const error = form.get("error");
      if (response !== null && keys.every((k) => k === "response")) {
        checkJwe(response, record.encryptionKid);
        answer = { kind: "jwe", jwe: response };
      } else if (error !== null && keys.every((k) => k === "error" || k === "state" || k === "error_description")) {
        if (!(RELAY_ERROR_CODES as readonly string[]).includes(error)) throw new Openid4vpError("ERR_RELAY_NOT_ENCRYPTED");
        const state = form.get("state");
        if (state !== null && !/^[A-Za-z0-9_-]{1,128}$/.test(state)) throw new Openid4vpError("ERR_RELAY_NOT_ENCRYPTED");
        // Only the code and the request's own state are kept: a description is free text from the wallet.
        answer = { kind: "error", error: error as RelayErrorCode, ...(state ? { state } : {}) };
      } else {
        throw new Openid4vpError("ERR_RELAY_NOT_ENCRYPTED");
      }
      if (!(await store.saveAnswer(requestId, answer))) throw new Openid4vpError("ERR_RELAY_ALREADY_ANSWERED");
    },

    async collectAnswer(requestId, transactionId) {
      const record = await authorised(requestId, transactionId);
      if (!record.answer) return { status: "pending" };
      const taken = await store.take(requestId);
      if (!taken?.answer) throw new Openid4vpError("ERR_RELAY_UNKNOWN_REQUEST");
      return { status: "answered", answer: taken.answer };
    },

    sweep: () => store.deleteExpired(now()),
  };
}

/**
 * The body to give `receivePresentationResponse` for a collected answer.
 *
 * @example
 * const got = await relay.collectAnswer(id, tx); if (got.status === "answered") await receivePresentationResponse(answerForm(got.answer), session, formats);
 */
export function answerForm(answer: RelayAnswer): Record<string, string> {
  return answer.kind === "jwe" ? { response: answer.jwe } : { error: answer.error, ...(answer.state ? { state: answer.state } : {}) };
}
