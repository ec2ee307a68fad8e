/**
 * DCI Social Registry connector: pages through a social registry's synchronous search API
 * (`POST {baseUrl}/registry/sync/search`, DCI Social Registry API v1.0.0) and yields the returned
 * Group or Person records as Haki registry records, mapped and validated exactly like CSV rows.
 * Responses are checked with zod and, when a JWKS is configured, by their envelope signature.
 * Runs on fetch and Web Crypto only, so it works in Node and the browser alike.
 */
import * as z from "zod";
import { RegistryError, type ReadArgs, type RegistryConnector, type RegistryItem } from "./connector";
import { ColumnMapping, mapRow } from "./record";
import { flattenDciRecord } from "./lib/dci-flatten";
import { parseSignature, signingString, verifySigningString } from "./lib/dci-signature";

export { signEnvelope as signDciEnvelope } from "./lib/dci-signature";
export { flattenDciRecord } from "./lib/dci-flatten";

// ---------- configuration ----------

const IdTypeValueQuery = z.object({
  queryType: z.literal("idtype-value"),
  /** `{ type: "UIN", value: "12314567890" }` */
  query: z.object({ type: z.string().trim().min(1).max(200), value: z.union([z.string().max(1000), z.number(), z.boolean()]) }),
});
const ExpressionQuery = z.object({
  queryType: z.literal("expression"),
  /** `{ type: "ns:org:QueryType:expression", value: { expression: { collection: "Group", query: {...} } } }` */
  query: z.object({ type: z.string().trim().min(1).max(200), value: z.record(z.string(), z.unknown()) }),
});
const PredicateExpression = z.object({
  attribute_name: z.string().trim().min(1).max(200),
  operator: z.enum(["gt", "lt", "eq", "ge", "le", "in"]),
  attribute_value: z.union([z.string().max(1000), z.number(), z.boolean(), z.record(z.string(), z.unknown())]),
});
const PredicateQuery = z.object({
  queryType: z.literal("predicate"),
  /** `[{ seq_num: 1, expression1: { attribute_name: "poverty_score", operator: "lt", attribute_value: 30 } }]` */
  query: z
    .array(
      z.object({
        seq_num: z.number().optional(),
        expression1: PredicateExpression,
        condition: z.enum(["and", "or", "not"]).optional(),
        expression2: PredicateExpression.optional(),
      }),
    )
    .min(1)
    .max(50),
});

/** The search query, as DCI's `search_criteria.query_type` + `query` define it. */
export const DciQuery = z.discriminatedUnion("queryType", [IdTypeValueQuery, ExpressionQuery, PredicateQuery]);
export type DciQuery = z.infer<typeof DciQuery>;

/** Default DCI-field -> Haki-field mappings for the two record types. */
export const DCI_DEFAULT_MAPPINGS = {
  Group: {
    group_identifier: "registryId",
    "group_head_info.demographic_info.name": "name",
    group_size: "householdSize",
    poverty_score: "povertyScore",
  },
  Person: { identifier: "registryId", name: "name" },
} as const satisfies Record<string, ColumnMapping>;

/**
 * What a DCI source needs, minus secrets and functions: the part the issuer stores per source.
 */
export const DciSourceConfig = z.object({
  /** The registry's API root; the connector calls `{baseUrl}/registry/sync/search`. */
  baseUrl: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), "the registry URL must start with http:// or https://"),
  /** Haki's id as registered with the registry (`header.sender_id`). */
  senderId: z.string().trim().min(1).max(200),
  /** The registry's id (`header.receiver_id`); signed responses must come from it. */
  receiverId: z.string().trim().min(1).max(200),
  /** `search_criteria.reg_type`. */
  registryType: z.string().trim().min(1).max(200).default("ns:org:RegistryType:Social"),
  /** `search_criteria.reg_record_type`: households (Group) or people (Person). */
  recordType: z.enum(["Group", "Person"]).default("Group"),
  /** `search_criteria.reg_event_type`, when the registry wants one. */
  regEventType: z.string().trim().min(1).max(200).optional(),
  query: DciQuery,
  sort: z.array(z.object({ attribute_name: z.string().trim().min(1).max(200), sort_order: z.enum(["asc", "desc"]) })).max(10).optional(),
  /** DCI `consent` / `authorize` objects, passed through as the registry defines them. */
  consent: z.record(z.string(), z.unknown()).optional(),
  authorize: z.record(z.string(), z.unknown()).optional(),
  /** Records asked for per page (`pagination.page_size`). */
  pageSize: z.number().int().min(1).max(10_000).default(500),
  /** ISO 639-3 language code (`locale`). */
  locale: z.string().regex(/^[a-z]{3}$/, "locale: a three-letter ISO 639-3 code such as eng, fra, ara, swa").default("eng"),
  /** `{ "<DCI field path>": "<Haki field>" }`, e.g. `{ group_identifier: "registryId", poverty_score: "povertyScore" }`. */
  mapping: ColumnMapping,
  /** Where the registry publishes its signing keys; responses are verified when set. */
  jwksUrl: z.string().trim().url().optional(),
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  retries: z.number().int().min(0).max(10).default(2),
});
export type DciSourceConfig = z.infer<typeof DciSourceConfig>;

export type DciAuth =
  | { bearer: string }
  /** Called before every request, so a short-lived token can be refreshed. */
  | { headers: () => Record<string, string> | Promise<Record<string, string>> };

/** A public JWK as a registry's key set lists it (Ed25519: kty "OKP", crv "Ed25519"). */
export interface DciJwk {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
}

export interface DciJwks {
  keys: DciJwk[];
}

export interface DciConnectorArgs extends z.input<typeof DciSourceConfig> {
  auth?: DciAuth;
  /** Defaults to the global fetch; inject one for tests or a proxy. */
  fetch?: typeof fetch;
  /**
   * Envelope signature check: the registry's JWKS (or where to fetch it). Overrides `jwksUrl`.
   * When set, an unsigned or mis-signed response fails the import.
   */
  verify?: { jwks: DciJwks | string; maxClockSkewSeconds?: number };
  /** First wait before a retry (doubles each time); 500 ms unless told. */
  retryDelayMs?: number;
  /** A page bigger than this fails with ERR_REGISTRY_BAD_RESPONSE (50 MB unless told). */
  maxResponseBytes?: number;
  /** Clock and ids, injectable for tests. */
  now?: () => Date;
  newId?: () => string;
}

// ---------- response schemas (DCI Social Registry API v1.0.0) ----------

const Status = z.enum(["rcvd", "pdng", "succ", "rjct"]);

const SearchResponseItem = z.looseObject({
  reference_id: z.string(),
  timestamp: z.string(),
  status: Status,
  status_reason_code: z.string().optional(),
  status_reason_message: z.string().optional(),
  data: z
    .looseObject({
      version: z.string().optional(),
      reg_type: z.string().optional(),
      reg_record_type: z.string().optional(),
      reg_records: z.array(z.unknown()),
    })
    .optional(),
  pagination: z
    .looseObject({
      page_size: z.number().int().min(0),
      page_number: z.number().int().min(0),
      total_count: z.number().int().min(0),
    })
    .optional(),
  locale: z.string().optional(),
});

const SyncSearchResponse = z.object({
  signature: z.string().nullish(),
  header: z.looseObject({
    version: z.string().optional(),
    message_id: z.string(),
    message_ts: z.string(),
    action: z.string(),
    status: Status,
    status_reason_code: z.string().optional(),
    status_reason_message: z.string().optional(),
    total_count: z.number().int().optional(),
    completed_count: z.number().int().optional(),
    sender_id: z.string().optional(),
    receiver_id: z.string().optional(),
    is_msg_encrypted: z.boolean().optional(),
  }),
  // The sync search response requires only the header: a registry refusing the whole message may
  // send no message at all.
  message: z
    .looseObject({
      transaction_id: z.union([z.string(), z.number()]),
      correlation_id: z.string().optional(),
      search_response: z.array(SearchResponseItem),
    })
    .optional(),
});
type SyncSearchResponse = z.infer<typeof SyncSearchResponse>;

/** Exported for tests and the mock registry: the response shape the connector accepts. */
export { SyncSearchResponse as DciSyncSearchResponse };

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

async function readLimited(res: Response, max: number): Promise<{ text: string; size: number }> {
  if (!res.body) return { text: "", size: 0 };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new RegistryError("ERR_REGISTRY_BAD_RESPONSE", `A page of the registry's answer is larger than ${Math.round(max / 1024 / 1024)} MB; use a smaller page size.`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), size };
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
