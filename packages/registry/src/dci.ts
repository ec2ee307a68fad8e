/**
 * DCI Social Registry connector: pages through a social registry's synchronous search API
 * (`POST {baseUrl}/registry/sync/search`, DCI Social Registry API v1.0.0) and yields the returned
 * Group or Person records as Haki registry records, mapped and validated exactly like CSV rows.
 * Responses are checked with zod and, when a JWKS is configured, by their envelope signature.
 * Runs on fetch and Web Crypto only, so it works in Node and the browser alike.
 */
import * as z from "zod";
import { readCappedBytes } from "@haki/capped-body";
import { RegistryError, type ReadArgs, type RegistryConnector, type RegistryItem } from "./connector";
import { mapRow } from "./record";
import { DciSourceConfig, type DciAuth, type DciConnectorArgs, type DciJwk, type DciJwks } from "./lib/dci-config";
import { SyncSearchResponse } from "./lib/dci-response";
import { flattenDciRecord } from "./lib/dci-flatten";
import { parseSignature, signingString, verifySigningString } from "./lib/dci-signature";

export { signEnvelope as signDciEnvelope } from "./lib/dci-signature";
export { flattenDciRecord } from "./lib/dci-flatten";
export { DciQuery, DCI_DEFAULT_MAPPINGS, DciSourceConfig, type DciAuth, type DciJwk, type DciJwks, type DciConnectorArgs } from "./lib/dci-config";
/** Exported for tests and the mock registry: the response shape the connector accepts. */
export { SyncSearchResponse as DciSyncSearchResponse } from "./lib/dci-response";

// ---------- connector ----------

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Creates a connector over a DCI Social Registry's sync search API.
 *
 * @example
 * const connector = createDciConnector({
 *   baseUrl: "https://sr.example.gov/api", senderId: "haki.example.org", receiverId: "sr.example.gov",
 *   auth: { bearer: token }, recordType: "Group",
 *   query: { queryType: "predicate", query: [{ expression1: { attribute_name: "poverty_score", operator: "lt", attribute_value: 30 } }] },
 *   mapping: { group_identifier: "registryId", group_size: "householdSize", poverty_score: "povertyScore" },
 * });
 * for await (const item of connector.read({ signal })) if (item.ok) upsert(item.record);
 */
export function createDciConnector(args: DciConnectorArgs): RegistryConnector {
  const { auth, fetch: fetchArg, verify, retryDelayMs, maxResponseBytes, now, newId, ...rest } = args;
  const config = DciSourceConfig.parse(rest);
  const jwks = verify?.jwks ?? config.jwksUrl;
  const ctx: Ctx = {
    config,
    auth,
    fetch: fetchArg ?? ((...a) => globalThis.fetch(...a)),
    jwks,
    skew: verify?.maxClockSkewSeconds ?? 300,
    retryDelayMs: retryDelayMs ?? 500,
    maxBytes: maxResponseBytes ?? DEFAULT_MAX_BYTES,
    now: now ?? (() => new Date()),
    newId: newId ?? (() => crypto.randomUUID()),
  };
  return { kind: "dci-social-registry", read: (readArgs) => readDci(ctx, readArgs ?? {}) };
}

interface Ctx {
  config: DciSourceConfig;
  auth: DciAuth | undefined;
  fetch: typeof fetch;
  jwks: DciJwks | string | undefined;
  skew: number;
  retryDelayMs: number;
  maxBytes: number;
  now: () => Date;
  newId: () => string;
}

const aborted = () => new RegistryError("ERR_REGISTRY_ABORTED", "The import was stopped.");

async function* readDci(ctx: Ctx, { signal, onProgress }: ReadArgs): AsyncGenerator<RegistryItem> {
  const { config } = ctx;
  const transactionId = ctx.newId();
  const idField = Object.entries(config.mapping).find(([, t]) => t === "registryId")?.[0];
  let keys: Map<string, DciJwk> | undefined;
  let line = 0;
  let bytes = 0;
  for (let page = 1; ; page++) {
    if (signal?.aborted) throw aborted();
    const { envelope, raw, size } = await fetchPage(ctx, transactionId, page, signal);
    bytes += size;
    if (ctx.jwks !== undefined) {
      keys ??= await loadKeys(ctx, signal);
      await checkSignature(ctx, envelope.signature, raw, keys);
    }
    const { records, last } = readPage(envelope, page, config.pageSize);
    for (const raw of records) {
      line++;
      const cells = flattenDciRecord(raw);
      if (!cells) {
        yield { ok: false, line, errors: [{ line, code: "ERR_ROW_MALFORMED", message: "This record is not a JSON object." }] };
      } else {
        const mapped = mapRow(cells, config.mapping);
        const registryId = idField ? cells[idField]?.trim() || undefined : undefined;
        yield mapped.ok
          ? { ok: true, line, record: mapped.record }
          : { ok: false, line, errors: mapped.issues.map((i) => ({ line, column: i.column, code: "ERR_ROW_INVALID", message: i.message, registryId })) };
      }
      if (signal?.aborted) throw aborted();
    }
    onProgress?.({ rows: line, bytes });
    if (last) return;
  }
}

/** The records of one page and whether it is the last one. */
function readPage(envelope: SyncSearchResponse, page: number, pageSize: number): { records: unknown[]; last: boolean } {
  const { header, message } = envelope;
  if (header.is_msg_encrypted) {
    throw new RegistryError("ERR_REGISTRY_BAD_RESPONSE", "The registry sent an encrypted message; Haki reads only plain DCI messages.");
  }
  if (header.status === "rjct") throw rejected(header.status_reason_code, header.status_reason_message);
  const response = message?.search_response[0];
  if (!response) throw new RegistryError("ERR_REGISTRY_BAD_RESPONSE", "The registry's answer holds no search response.");
  if (response.status === "rjct") throw rejected(response.status_reason_code, response.status_reason_message);
  if (response.status !== "succ") {
    throw new RegistryError("ERR_REGISTRY_BAD_RESPONSE", `The registry answered "${response.status}" to a synchronous search; it should answer with the records.`);
  }
  const records = response.data?.reg_records ?? [];
  const p = response.pagination;
  if (p) {
    if (p.page_number !== page) {
      // A registry that ignores page_number would otherwise send page 1 forever.
      throw new RegistryError("ERR_REGISTRY_BAD_RESPONSE", `The registry sent page ${p.page_number} when page ${page} was asked for.`);
    }
    const size = p.page_size > 0 ? p.page_size : pageSize;
    return { records, last: records.length === 0 || page * size >= p.total_count };
  }
  return { records, last: records.length < pageSize };
}

function rejected(code: string | undefined, message: string | undefined): RegistryError {
  const why = message?.trim() || code || "no reason given";
  return new RegistryError("ERR_REGISTRY_REJECTED", `The registry refused the search: ${why}.`, { reasonCode: code });
}

function searchEnvelope(ctx: Ctx, transactionId: string, page: number) {
  const { config } = ctx;
  const ts = ctx.now().toISOString();
  return {
    header: {
      version: "1.0.0",
      message_id: ctx.newId(),
      message_ts: ts,
      action: "search",
      sender_id: config.senderId,
      receiver_id: config.receiverId,
      total_count: 1,
      is_msg_encrypted: false,
    },
    message: {
      transaction_id: transactionId,
      search_request: [
        {
          reference_id: `${transactionId}-${page}`,
          timestamp: ts,
          search_criteria: {
            version: "1.0.0",
            reg_type: config.registryType,
            reg_record_type: config.recordType,
            ...(config.regEventType ? { reg_event_type: config.regEventType } : {}),
            query_type: config.query.queryType,
            query: config.query.query,
            ...(config.sort ? { sort: config.sort } : {}),
            pagination: { page_size: config.pageSize, page_number: page },
            ...(config.consent ? { consent: config.consent } : {}),
            ...(config.authorize ? { authorize: config.authorize } : {}),
          },
          locale: config.locale,
        },
      ],
    },
  };
}

async function authHeaders(auth: DciAuth | undefined): Promise<Record<string, string>> {
  if (!auth) return {};
  if ("bearer" in auth) return { authorization: `Bearer ${auth.bearer}` };
  return await auth.headers();
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(aborted());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** One page, with retries on network errors, timeouts, 429 and 5xx. */
async function fetchPage(ctx: Ctx, transactionId: string, page: number, signal?: AbortSignal): Promise<Page> {
  const url = `${ctx.config.baseUrl.replace(/\/+$/, "")}/registry/sync/search`;
  let lastError: RegistryError | undefined;
  for (let attempt = 0; attempt <= ctx.config.retries; attempt++) {
    if (attempt > 0) await sleep(ctx.retryDelayMs * 2 ** (attempt - 1), signal);
    if (signal?.aborted) throw aborted();
    try {
      const { text, size } = await post(ctx, url, searchEnvelope(ctx, transactionId, page), signal);
      return { ...parseEnvelope(text), size };
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      const transient = e.code === "ERR_REGISTRY_TIMEOUT" || e.code === "ERR_REGISTRY_UNREACHABLE" || (e.code === "ERR_REGISTRY_HTTP" && (e.status === 429 || (e.status ?? 0) >= 500));
      if (!transient) throw e;
      lastError = e;
    }
  }
  throw lastError!;
}

async function post(ctx: Ctx, url: string, body: unknown, signal?: AbortSignal): Promise<{ text: string; size: number }> {
  const timeout = AbortSignal.timeout(ctx.config.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const why = (e: unknown): RegistryError => {
    if (signal?.aborted) return aborted();
    if (timeout.aborted) return new RegistryError("ERR_REGISTRY_TIMEOUT", `The registry did not answer within ${Math.round(ctx.config.timeoutMs / 1000)} s.`, { cause: e });
    return new RegistryError("ERR_REGISTRY_UNREACHABLE", `The registry could not be reached: ${(e as Error).message}`, { cause: e });
  };
  let res: Response;
  try {
    res = await ctx.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...(await authHeaders(ctx.auth)) },
      body: JSON.stringify(body),
      signal: combined,
      // A redirect would carry the token to another host: never followed.
      redirect: "manual",
    });
  } catch (e) {
    // An outbound policy (the fetch given) refusing the address answers with its own code.
    if (e instanceof RegistryError) throw e;
    throw why(e);
  }
  refuseRedirect(res, url);
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    if (res.status === 401 || res.status === 403) {
      throw new RegistryError("ERR_REGISTRY_UNAUTHORIZED", `The registry refused Haki's credentials (HTTP ${res.status}); check the access token.`, { status: res.status });
    }
    throw new RegistryError("ERR_REGISTRY_HTTP", `The registry answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}.`, { status: res.status });
  }
  try {
    return await readLimited(res, ctx.maxBytes);
  } catch (e) {
    if (e instanceof RegistryError) throw e;
    throw why(e);
  }
}

/** Throws ERR_REGISTRY_REDIRECT for a redirect (a browser's "manual" mode shows it as an opaque answer). */
function refuseRedirect(res: Response, url: string): void {
  if (res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400)) {
    void res.body?.cancel().catch(() => undefined);
    throw new RegistryError("ERR_REGISTRY_REDIRECT", `The registry at ${url} answered with a redirect${res.headers.get("location") ? ` to ${res.headers.get("location")}` : ""}; Haki follows none: enter the registry's final address.`, { status: res.status || undefined });
  }
}

/** The answer's text and its size in bytes; ERR_REGISTRY_BAD_RESPONSE past `max` bytes (the rest is not read). */
async function readLimited(res: Response, max: number): Promise<{ text: string; size: number }> {
  const bytes = await readCappedBytes(res, max, () => new RegistryError("ERR_REGISTRY_BAD_RESPONSE", `A page of the registry's answer is larger than ${Math.round(max / 1024 / 1024)} MB; use a smaller page size.`));
  return { text: new TextDecoder().decode(bytes), size: bytes.byteLength };
}

interface Page {
  envelope: SyncSearchResponse;
  /** The envelope as sent (key order intact): the signature covers this, not the parsed copy. */
  raw: { header: unknown; message: unknown };
  size: number;
}

function parseEnvelope(text: string): Omit<Page, "size"> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RegistryError("ERR_REGISTRY_BAD_RESPONSE", "The registry's answer is not valid JSON (it may have been cut off).", { cause: e });
  }
  const parsed = SyncSearchResponse.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "";
    throw new RegistryError("ERR_REGISTRY_BAD_RESPONSE", `The registry's answer is not a DCI search response (${where}).`, { cause: parsed.error });
  }
  return { envelope: parsed.data, raw: json as Page["raw"] };
}

// ---------- signature ----------

const JwksSchema = z.object({ keys: z.array(z.looseObject({ kid: z.string().optional(), kty: z.string(), crv: z.string().optional(), x: z.string().optional() })) });

async function loadKeys(ctx: Ctx, signal?: AbortSignal): Promise<Map<string, DciJwk>> {
  let jwks: unknown = ctx.jwks;
  if (typeof ctx.jwks === "string") {
    const text = await getText(ctx, ctx.jwks, signal);
    try {
      jwks = JSON.parse(text);
    } catch (e) {
      throw new RegistryError("ERR_REGISTRY_SIGNATURE", "The registry's key set (JWKS) is not valid JSON.", { cause: e });
    }
  }
  const parsed = JwksSchema.safeParse(jwks);
  if (!parsed.success) throw new RegistryError("ERR_REGISTRY_SIGNATURE", "The registry's key set is not a JWKS.", { cause: parsed.error });
  const keys = new Map<string, DciJwk>();
  for (const k of parsed.data.keys) {
    if (k.kid && k.kty === "OKP" && k.crv === "Ed25519" && k.x) keys.set(k.kid, k);
  }
  return keys;
}

async function getText(ctx: Ctx, url: string, signal?: AbortSignal): Promise<string> {
  const timeout = AbortSignal.timeout(ctx.config.timeoutMs);
  try {
    const res = await ctx.fetch(url, { headers: { accept: "application/json" }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: "manual" });
    refuseRedirect(res, url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await readLimited(res, 1024 * 1024)).text;
  } catch (e) {
    if (signal?.aborted) throw aborted();
    if (e instanceof RegistryError) throw e;
    throw new RegistryError("ERR_REGISTRY_SIGNATURE", `The registry's signing keys could not be fetched from ${url}: ${(e as Error).message}`, { cause: e });
  }
}

async function checkSignature(ctx: Ctx, signature: string | null | undefined, raw: Page["raw"], keys: Map<string, DciJwk>): Promise<void> {
  const bad = (why: string) => new RegistryError("ERR_REGISTRY_SIGNATURE", `The registry's answer failed its signature check: ${why}.`);
  if (!signature) throw bad("it is not signed");
  const sig = parseSignature(signature);
  if (!sig) throw bad("the signature is not in the DCI format");
  if (sig.algorithm !== "ed25519") throw bad(`algorithm ${sig.algorithm} is not supported (ed25519 only)`);
  if (sig.headers.trim() !== "(created) (expires) digest") throw bad(`it signs "${sig.headers}", not "(created) (expires) digest"`);
  if (sig.senderId !== ctx.config.receiverId) throw bad(`it was signed by ${sig.senderId}, not by ${ctx.config.receiverId}`);
  const nowS = Math.floor(ctx.now().getTime() / 1000);
  if (sig.created > nowS + ctx.skew) throw bad("it was made in the future (check the clocks)");
  if (sig.expires < nowS - ctx.skew) throw bad("it has expired");
  const jwk = keys.get(sig.keyId);
  if (!jwk) throw bad(`the key ${sig.keyId} is not in the registry's key set`);
  let ok: boolean;
  try {
    ok = await verifySigningString(jwk, signingString(raw.header, raw.message, sig.created, sig.expires), sig.signature);
  } catch (e) {
    throw new RegistryError("ERR_REGISTRY_SIGNATURE", "The registry's answer failed its signature check: the key or signature is unusable.", { cause: e });
  }
  if (!ok) throw bad("the content does not match the signature");
}
