/**
 * A mock DCI Social Registry for tests (Node only): a real HTTP server on 127.0.0.1 that answers
 * `POST /registry/sync/search` page by page from a list of records, signs its answers when given a
 * key, publishes its JWKS at `/.well-known/jwks.json`, and can be told to misbehave; and the DCI
 * specification's example Group and Person records.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { signEnvelope, type SigningCryptoKey } from "./lib/dci-signature";
import type { DciJwk } from "./dci";

/** One way to misbehave, for `times` matching requests (once unless told). */
export type MockDciFault = { page?: number; times?: number } & (
  | { kind: "status"; status: number }
  | { kind: "delay"; ms: number }
  | { kind: "truncate" }
  | { kind: "body"; body: string }
  | { kind: "reject"; code: string; message: string; inHeader?: boolean }
  | { kind: "tamper" }
  | { kind: "wrong-page" }
  /** Answers 307 to `location` (a registry sending the issuer elsewhere). */
  | { kind: "redirect"; location: string }
);

export interface MockDciRegistry {
  /** Base URL to give the connector. */
  url: string;
  jwksUrl: string;
  /** Parsed bodies of every search request received, in order. */
  requests: { body: unknown; authorization: string | undefined }[];
  faults: MockDciFault[];
  /** Replaces the records served (a registry that changed between imports). */
  setRecords(records: MockDciRecords): void;
  close(): Promise<void>;
}

/** Records to serve: an array, or anything with `length` and `slice` (to generate them lazily). */
export interface MockDciRecords {
  readonly length: number;
  slice(start: number, end: number): unknown[];
}

export interface MockDciOptions {
  records: MockDciRecords;
  recordType?: "Group" | "Person";
  registryId?: string;
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
  /** Signs answers with this key, listed in the JWKS under `keyId`. */
  sign?: { privateKey: SigningCryptoKey; publicJwk: DciJwk; keyId: string };
  /** Leave out `pagination` (the registry's last page is then the first short one). */
  noPagination?: boolean;
  /** Address to listen on (127.0.0.1 unless told; any 127.x address is this machine). */
  host?: string;
  /** Close the connection after each answer, so every request opens a new one. */
  closeConnections?: boolean;
}

/**
 * An Ed25519 key pair for a signing mock registry.
 *
 * @example
 * const key = await createDciTestKey("key-1");
 * const registry = await startMockDciRegistry({ records, sign: key });
 */
export async function createDciTestKey(keyId: string): Promise<{ privateKey: SigningCryptoKey; publicJwk: DciJwk; keyId: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as { privateKey: SigningCryptoKey; publicKey: SigningCryptoKey };
  const jwk = (await crypto.subtle.exportKey("jwk", pair.publicKey)) as DciJwk;
  return { privateKey: pair.privateKey, publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: keyId }, keyId };
}

/**
 * Starts a mock registry on 127.0.0.1 (a free port).
 *
 * @example
 * const registry = await startMockDciRegistry({ records: [{ group_identifier: [{ identifier_type: "HH", identifier_value: "H-1" }] }] });
 * createDciConnector({ baseUrl: registry.url, ... });
 * await registry.close();
 */
export async function startMockDciRegistry(options: MockDciOptions): Promise<MockDciRegistry> {
  let records = options.records;
  const registryId = options.registryId ?? "sr.example.gov";
  const requests: MockDciRegistry["requests"] = [];
  const faults: MockDciFault[] = [];

  const takeFault = (page: number): MockDciFault | undefined => {
    const i = faults.findIndex((f) => f.page === undefined || f.page === page);
    if (i < 0) return undefined;
    const f = faults[i]!;
    const left = (f.times ?? 1) - 1;
    if (left <= 0) faults.splice(i, 1);
    else faults[i] = { ...f, times: left };
    return f;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: options.sign ? [options.sign.publicJwk] : [] }));
      return;
    }
    if (req.method !== "POST" || req.url !== "/registry/sync/search") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "err.request.not_found", message: "not found" }] }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: { header?: { message_id?: string }; message?: { transaction_id?: string; search_request?: { reference_id?: string; search_criteria?: { pagination?: { page_size?: number; page_number?: number } } }[] } };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "err.request.bad", message: "not JSON" }] }));
      return;
    }
    requests.push({ body, authorization: req.headers.authorization });
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "err.request.unauthorized", message: "unauthorized" }] }));
      return;
    }
    const search = body.message?.search_request?.[0];
    const pageSize = search?.search_criteria?.pagination?.page_size ?? 100;
    const page = search?.search_criteria?.pagination?.page_number ?? 1;
    const fault = takeFault(page);
    if (fault?.kind === "redirect") {
      res.writeHead(307, { location: fault.location }).end();
      return;
    }
    if (fault?.kind === "status") {
      res.writeHead(fault.status, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "err.service.unavailable", message: "down" }] }));
      return;
    }
    if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === "body") {
      res.writeHead(200, { "content-type": "application/json" }).end(fault.body);
      return;
    }
    const now = new Date().toISOString();
    const rejected = fault?.kind === "reject" ? fault : undefined;
    const header = {
      version: "1.0.0",
      message_id: `msg-${requests.length}`,
      message_ts: now,
      action: "on-search",
      status: rejected?.inHeader ? "rjct" : "succ",
      ...(rejected?.inHeader ? { status_reason_code: rejected.code, status_reason_message: rejected.message } : {}),
      total_count: 1,
      completed_count: 1,
      sender_id: registryId,
      receiver_id: "haki",
      is_msg_encrypted: false,
    };
    const servedPage = fault?.kind === "wrong-page" ? 1 : page;
    const slice = records.slice((servedPage - 1) * pageSize, servedPage * pageSize);
    const message = {
      transaction_id: body.message?.transaction_id ?? "t",
      correlation_id: `corr-${requests.length}`,
      search_response: [
        rejected && !rejected.inHeader
          ? { reference_id: search?.reference_id ?? "r", timestamp: now, status: "rjct", status_reason_code: rejected.code, status_reason_message: rejected.message }
          : {
              reference_id: search?.reference_id ?? "r",
              timestamp: now,
              status: "succ",
              data: { version: "1.0.0", reg_type: "ns:org:RegistryType:Social", reg_record_type: options.recordType ?? "Group", reg_records: slice },
              ...(options.noPagination ? {} : { pagination: { page_size: pageSize, page_number: servedPage, total_count: records.length } }),
              locale: "eng",
            },
      ],
    };
    const sent = rejected?.inHeader ? undefined : message;
    const signature = options.sign ? await signEnvelope(header, sent, { ...options.sign, senderId: registryId }) : undefined;
    if (fault?.kind === "tamper") (message.search_response[0] as { reference_id: string }).reference_id += "-changed";
    // A registry refusing the whole message answers with the header alone.
    const text = JSON.stringify({ ...(signature ? { signature } : {}), header, ...(sent ? { message: sent } : {}) });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(fault?.kind === "truncate" ? text.slice(0, Math.floor(text.length / 2)) : text);
  };

  const server = createServer((req, res) => {
    if (options.closeConnections) res.setHeader("connection", "close");
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  return {
    url,
    jwksUrl: `${url}/.well-known/jwks.json`,
    requests,
    faults,
    setRecords: (r) => {
      records = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * How tests point a connector at a mock registry: Haki as sender, the registry as receiver, Group
 * records with a poverty score below 50, two records a page.
 *
 * @example
 * createDciConnector({ ...mockDciSearch(registry), mapping: { ...DCI_DEFAULT_MAPPINGS.Group } });
 */
export function mockDciSearch(registry: Pick<MockDciRegistry, "url">) {
  return {
    baseUrl: registry.url,
    senderId: "haki.example.org",
    receiverId: "sr.example.gov",
    recordType: "Group" as const,
    query: { queryType: "predicate" as const, query: [{ seq_num: 1, expression1: { attribute_name: "poverty_score", operator: "lt" as const, attribute_value: 50 } }] },
    pageSize: 2,
  };
}

/**
 * The Group example of the DCI Social Registry API v1.0.0 (SearchResponse.reg_records), trimmed
 * to the fields Haki reads plus a few it must not pass on.
 */
export const DCI_SPEC_GROUP = {
  "@context": { spdci: "https://schema.spdci.org/extensions/social/v1/" },
  "@id": "https://example.org/group/001",
  "@type": "spdci:Group",
  group_identifier: [{ "@type": "Identifier", identifier_type: "NationalID", identifier_value: "G9876543210" }],
  group_type: "family",
  place: { "@type": "Place", geo: { "@type": "GeoCoordinates", latitude: "40.712776", longitude: "-74.005974" }, address: "123 Main St, Anytown, CountryName" },
  poverty_score: 45.2,
  poverty_score_type: "income-based",
  group_head_info: {
    "@type": "spdci:Member",
    member_identifier: [{ "@type": "Identifier", identifier_type: "NationalID", identifier_value: "M9876543210" }],
    demographic_info: {
      "@type": "SRPerson",
      identifier: [{ "@type": "Identifier", identifier_type: "NationalID", identifier_value: "9876543210" }],
      name: { "@type": "Name", surname: "Smith", given_name: "Alice", prefix: "Ms.", suffix: "" },
      sex: "female",
      birth_date: "1985-05-20T00:00:00Z",
    },
  },
  group_size: 4,
  member_list: [
    { "@type": "Member", member_identifier: [{ identifier_type: "NationalID", identifier_value: "M9876543210" }], demographic_info: { name: { surname: "Smith", given_name: "Alice" } } },
    { "@type": "Member", member_identifier: "M987654323", demographic_info: { name: { surname: "Smith", given_name: "Daisy" } } },
  ],
  registration_date: "2022-01-10T08:00:00Z",
  additional_attributes: [{ services: "receives_subsidy" }],
};

/** A Person record as the DCI Social Registry API v1.0.0 shapes one, with fields Haki must not pass on. */
export const DCI_SPEC_PERSON = {
  "@type": "SRPerson",
  identifier: [
    { identifier_type: "UIN", identifier_value: "4567890123" },
    { identifier_type: "NationalID", identifier_value: "9876543210" },
  ],
  name: { surname: "Odhiambo", given_name: "Amina", second_name: "Atieno" },
  sex: "female",
  birth_date: "1990-01-01",
  address: [{ "@type": "Address", street_address: "Plot 4", city: "Kisumu", postal_code: "40100", country: "KE" }],
  phone_number: ["+254700000001"],
};
