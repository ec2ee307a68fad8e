import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFORMANCE_FIXTURE, describeRegistryConnector, type ConnectorFixture } from "./conformance";
import { RegistryError, type RegistryItem } from "./connector";
import { createDciConnector, DCI_DEFAULT_MAPPINGS, type DciConnectorArgs } from "./dci";
import { createDciTestKey, DCI_SPEC_GROUP, DCI_SPEC_PERSON, mockDciSearch, startMockDciRegistry, type MockDciRegistry } from "./dci-testing";

/** The fixture as a registry with its own record fields would serve it: numbers as numbers, blanks left out. */
function toRecords(f: ConnectorFixture): Record<string, unknown>[] {
  return f.rows.map((row) => {
    const out: Record<string, unknown> = {};
    f.header.forEach((h, i) => {
      const v = row[i] ?? "";
      if (v !== "") out[h] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    });
    return out;
  });
}

let conformanceRegistry: MockDciRegistry;
beforeAll(async () => {
  conformanceRegistry = await startMockDciRegistry({ records: toRecords(CONFORMANCE_FIXTURE) });
});
afterAll(() => conformanceRegistry.close());

describeRegistryConnector("dci (mock registry over HTTP, 2 records a page)", (f) => {
  conformanceRegistry.setRecords(toRecords(f));
  return createDciConnector({
    baseUrl: conformanceRegistry.url,
    senderId: "haki",
    receiverId: "sr.example.gov",
    query: { queryType: "idtype-value", query: { type: "DISTRICT", value: "KE-047" } },
    pageSize: 2,
    mapping: f.mapping,
  });
});

const base = (registry: MockDciRegistry, extra: Partial<DciConnectorArgs> = {}): DciConnectorArgs => ({
  ...mockDciSearch(registry),
  mapping: { ...DCI_DEFAULT_MAPPINGS.Group },
  retryDelayMs: 1,
  ...extra,
});

async function collect(connector: ReturnType<typeof createDciConnector>, args: Parameters<ReturnType<typeof createDciConnector>["read"]>[0] = {}) {
  const items: RegistryItem[] = [];
  for await (const i of connector.read(args)) items.push(i);
  return items;
}

async function failure(p: Promise<unknown>): Promise<RegistryError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(RegistryError);
  return e as RegistryError;
}

function group(id: string, extra: Record<string, unknown> = {}) {
  return { group_identifier: [{ identifier_type: "HOUSEHOLD_ID", identifier_value: id }], group_size: 3, poverty_score: 12, ...extra };
}

describe("DCI connector", () => {
  let registry: MockDciRegistry;
  beforeAll(async () => {
    registry = await startMockDciRegistry({ records: [], token: "s3cret" });
  });
  afterAll(() => registry.close());
  const reset = (records: unknown[]) => {
    registry.setRecords(records);
    registry.requests.length = 0;
    registry.faults.length = 0;
  };
  const auth = { bearer: "s3cret" };

  it("maps the spec's Group example with the default mapping, passing on nothing else", async () => {
    reset([DCI_SPEC_GROUP]);
    const items = await collect(createDciConnector(base(registry, { auth })));
    expect(items).toEqual([
      { ok: true, line: 1, record: { registryId: "G9876543210", name: "Alice Smith", householdSize: 4, povertyScore: 45.2, enrolment: "active", attributes: {} } },
    ]);
    expect(JSON.stringify(items)).not.toMatch(/M9876543210|"9876543210"|Main St|1985/);
  });

  it("maps Person records, identifiers by type and mapped attributes", async () => {
    reset([DCI_SPEC_PERSON]);
    const items = await collect(
      createDciConnector(
        base(registry, {
          auth,
          recordType: "Person",
          mapping: { "identifier.UIN": "registryId", name: "name", "address.0.postal_code": "area", sex: "attributes.sex", "phone_number.length": "attributes.phones" },
        }),
      ),
    );
    expect(items).toEqual([
      { ok: true, line: 1, record: { registryId: "4567890123", name: "Amina Atieno Odhiambo", area: "40100", enrolment: "active", attributes: { sex: "female", phones: 1 } } },
    ]);
    expect(JSON.stringify(items)).not.toContain("+2547");
  });

  it("sends the DCI search envelope, with the token, page after page in one transaction", async () => {
    reset([group("H-1"), group("H-2"), group("H-3")]);
    const consent = { "@type": "Consent", ts: "2027-01-01T00:00:00Z", purpose: { text: "Programme enrolment", code: "enrol" } };
    const items = await collect(
      createDciConnector(base(registry, { auth, regEventType: "REGISTER", sort: [{ attribute_name: "poverty_score", sort_order: "asc" }], consent })),
    );
    expect(items.map((i) => i.ok && i.record.registryId)).toEqual(["H-1", "H-2", "H-3"]);
    expect(registry.requests).toHaveLength(2);
    const [first, second] = registry.requests.map((r) => r.body as { header: Record<string, unknown>; message: { transaction_id: string; search_request: Record<string, unknown>[] } });
    expect(registry.requests[0]!.authorization).toBe("Bearer s3cret");
    expect(first!.header).toMatchObject({ version: "1.0.0", action: "search", sender_id: "haki.example.org", receiver_id: "sr.example.gov", total_count: 1 });
    expect(first!.header.message_id).not.toBe(second!.header.message_id);
    expect(Date.parse(String(first!.header.message_ts))).not.toBeNaN();
    expect(first!.message.search_request[0]).toMatchObject({
      reference_id: expect.any(String),
      timestamp: expect.any(String),
      locale: "eng",
      search_criteria: {
        version: "1.0.0",
        reg_type: "ns:org:RegistryType:Social",
        reg_record_type: "Group",
        reg_event_type: "REGISTER",
        query_type: "predicate",
        query: [{ seq_num: 1, expression1: { attribute_name: "poverty_score", operator: "lt", attribute_value: 50 } }],
        sort: [{ attribute_name: "poverty_score", sort_order: "asc" }],
        pagination: { page_size: 2, page_number: 1 },
        consent,
      },
    });
    expect(second!.message.search_request[0]).toMatchObject({ search_criteria: { pagination: { page_size: 2, page_number: 2 } } });
    expect(second!.message.transaction_id).toBe(first!.message.transaction_id);
  });

  it("stops at the last page by total_count, and by a short page when the registry sends no pagination", async () => {
    reset([group("H-1"), group("H-2"), group("H-3"), group("H-4")]);
    expect(await collect(createDciConnector(base(registry, { auth })))).toHaveLength(4);
    expect(registry.requests).toHaveLength(2);
    reset([]);
    expect(await collect(createDciConnector(base(registry, { auth })))).toEqual([]);
    expect(registry.requests).toHaveLength(1);

    const plain = await startMockDciRegistry({ records: [group("H-1"), group("H-2"), group("H-3"), group("H-4")], noPagination: true });
    try {
      expect(await collect(createDciConnector(base(plain)))).toHaveLength(4);
      expect(plain.requests).toHaveLength(3); // the third page comes back empty
    } finally {
      await plain.close();
    }
  });

  it("reports malformed and invalid records by record number and carries on", async () => {
    reset([group("H-1"), null, "not a record", group("H-4", { group_size: "many" }), { poverty_score: 3 }, group("H-6")]);
    const items = await collect(createDciConnector(base(registry, { auth })));
    expect(items.map((i) => [i.line, i.ok])).toEqual([
      [1, true],
      [2, false],
      [3, false],
      [4, false],
      [5, false],
      [6, true],
    ]);
    expect(items[1]).toMatchObject({ errors: [{ line: 2, code: "ERR_ROW_MALFORMED" }] });
    expect(items[3]).toMatchObject({ errors: [{ line: 4, code: "ERR_ROW_INVALID", column: "group_size", registryId: "H-4" }] });
    expect(items[4]).toMatchObject({ errors: [{ line: 5, code: "ERR_ROW_INVALID", column: "group_identifier" }] });
  });

  it("retries a 500 and carries on; gives up with ERR_REGISTRY_HTTP after the retries", async () => {
    reset([group("H-1"), group("H-2"), group("H-3")]);
    registry.faults.push({ page: 2, kind: "status", status: 503 });
    expect(await collect(createDciConnector(base(registry, { auth, retries: 1 })))).toHaveLength(3);
    expect(registry.requests).toHaveLength(3);

    reset([group("H-1")]);
    registry.faults.push({ kind: "status", status: 500, times: 3 });
    const e = await failure(collect(createDciConnector(base(registry, { auth, retries: 2 }))));
    expect(e).toMatchObject({ code: "ERR_REGISTRY_HTTP", status: 500 });
    expect(registry.requests).toHaveLength(3);
  });

  it("times out a silent registry (ERR_REGISTRY_TIMEOUT), and recovers when a retry gets an answer", async () => {
    reset([group("H-1")]);
    registry.faults.push({ kind: "delay", ms: 400, times: 2 });
    const e = await failure(collect(createDciConnector(base(registry, { auth, timeoutMs: 100, retries: 1 }))));
    expect(e.code).toBe("ERR_REGISTRY_TIMEOUT");
    reset([group("H-1")]);
    registry.faults.push({ kind: "delay", ms: 400 });
    expect(await collect(createDciConnector(base(registry, { auth, timeoutMs: 100, retries: 1 })))).toHaveLength(1);
  });

  it("fails at once, without retrying, on a refused token or an unreachable registry", async () => {
    reset([group("H-1")]);
    const e = await failure(collect(createDciConnector(base(registry, { auth: { bearer: "wrong" }, retries: 3 }))));
    expect(e).toMatchObject({ code: "ERR_REGISTRY_UNAUTHORIZED", status: 401 });
    expect(registry.requests).toHaveLength(1);
    const gone = await failure(collect(createDciConnector(base(registry, { baseUrl: "http://127.0.0.1:9", retries: 1 }))));
    expect(gone.code).toBe("ERR_REGISTRY_UNREACHABLE");
  });

  it("follows no redirect: the token never reaches the host a registry points to (ERR_REGISTRY_REDIRECT)", async () => {
    const elsewhere = await startMockDciRegistry({ records: [group("H-9")] });
    try {
      reset([group("H-1")]);
      registry.faults.push({ kind: "redirect", location: `${elsewhere.url}/registry/sync/search` });
      const e = await failure(collect(createDciConnector(base(registry, { auth, retries: 3 }))));
      expect(e).toMatchObject({ code: "ERR_REGISTRY_REDIRECT", status: 307 });
      expect(registry.requests).toHaveLength(1); // not retried
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it("fails truncated or foreign answers with ERR_REGISTRY_BAD_RESPONSE", async () => {
    reset([group("H-1"), group("H-2"), group("H-3")]);
    registry.faults.push({ page: 2, kind: "truncate" });
    const items: RegistryItem[] = [];
    const e = await failure(
      (async () => {
        for await (const i of createDciConnector(base(registry, { auth })).read()) items.push(i);
      })(),
    );
    expect(e.code).toBe("ERR_REGISTRY_BAD_RESPONSE");
    expect(items).toHaveLength(2); // page 1 was read before page 2 failed

    for (const body of ['{"ok":true}', "[]", '{"header":{"message_id":"1"},"message":{}}']) {
      reset([group("H-1")]);
      registry.faults.push({ kind: "body", body });
      expect((await failure(collect(createDciConnector(base(registry, { auth }))))).code).toBe("ERR_REGISTRY_BAD_RESPONSE");
    }
    reset([group("H-1"), group("H-2"), group("H-3")]);
    registry.faults.push({ page: 2, kind: "wrong-page" });
    expect((await failure(collect(createDciConnector(base(registry, { auth }))))).code).toBe("ERR_REGISTRY_BAD_RESPONSE");
  });

  it("raises ERR_REGISTRY_REJECTED with the registry's reason when it answers rjct", async () => {
    reset([group("H-1")]);
    registry.faults.push({ kind: "reject", code: "rjct.search_criteria.invalid", message: "unknown attribute poverty_scor" });
    const e = await failure(collect(createDciConnector(base(registry, { auth }))));
    expect(e).toMatchObject({ code: "ERR_REGISTRY_REJECTED", reasonCode: "rjct.search_criteria.invalid" });
    expect(e.message).toContain("unknown attribute poverty_scor");
    reset([group("H-1")]);
    registry.faults.push({ kind: "reject", code: "rjct.version.invalid", message: "version", inHeader: true });
    expect(await failure(collect(createDciConnector(base(registry, { auth }))))).toMatchObject({ code: "ERR_REGISTRY_REJECTED", reasonCode: "rjct.version.invalid" });
  });

  it("verifies a signed header-only refusal and reports the refusal", async () => {
    const key = await createDciTestKey("k");
    const signed = await startMockDciRegistry({ records: [group("H-1")], sign: key });
    try {
      signed.faults.push({ kind: "reject", code: "rjct.total_count.limit_exceeded", message: "too many", inHeader: true });
      const e = await failure(collect(createDciConnector(base(signed, { jwksUrl: signed.jwksUrl }))));
      expect(e).toMatchObject({ code: "ERR_REGISTRY_REJECTED", reasonCode: "rjct.total_count.limit_exceeded" });
    } finally {
      await signed.close();
    }
  });

  it("stops with ERR_REGISTRY_ABORTED mid-way, also while waiting to retry", async () => {
    reset([group("H-1"), group("H-2"), group("H-3"), group("H-4"), group("H-5")]);
    const controller = new AbortController();
    const seen: string[] = [];
    const e = await failure(
      (async () => {
        for await (const i of createDciConnector(base(registry, { auth })).read({ signal: controller.signal })) {
          if (i.ok) seen.push(i.record.registryId);
          if (seen.length === 3) controller.abort();
        }
      })(),
    );
    expect(e.code).toBe("ERR_REGISTRY_ABORTED");
    expect(seen).toEqual(["H-1", "H-2", "H-3"]);
    expect(registry.requests).toHaveLength(2); // page 3 was never asked for

    reset([group("H-1")]);
    registry.faults.push({ kind: "status", status: 503, times: 5 });
    const waiting = new AbortController();
    const started = Date.now();
    setTimeout(() => waiting.abort(), 50);
    const e2 = await failure(collect(createDciConnector(base(registry, { auth, retries: 5, retryDelayMs: 10_000 })), { signal: waiting.signal }));
    expect(e2.code).toBe("ERR_REGISTRY_ABORTED");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("DCI envelope signatures", () => {
  let key: Awaited<ReturnType<typeof createDciTestKey>>;
  let registry: MockDciRegistry;
  beforeAll(async () => {
    key = await createDciTestKey("sr-key-1");
    registry = await startMockDciRegistry({ records: [group("H-1"), group("H-2"), group("H-3")], sign: key });
  });
  afterAll(() => registry.close());

  it("accepts answers signed by the registry's published key (JWKS by URL or given)", async () => {
    expect(await collect(createDciConnector(base(registry, { jwksUrl: registry.jwksUrl })))).toHaveLength(3);
    expect(await collect(createDciConnector(base(registry, { verify: { jwks: { keys: [key.publicJwk] } } })))).toHaveLength(3);
  });

  it("fails a tampered page with ERR_REGISTRY_SIGNATURE", async () => {
    registry.faults.push({ page: 2, kind: "tamper" });
    const items: RegistryItem[] = [];
    const e = await failure(
      (async () => {
        for await (const i of createDciConnector(base(registry, { jwksUrl: registry.jwksUrl })).read()) items.push(i);
      })(),
    );
    expect(e.code).toBe("ERR_REGISTRY_SIGNATURE");
    expect(items).toHaveLength(2);
  });

  it("fails answers signed by another key, by another sender, expired, or unsigned", async () => {
    const other = await createDciTestKey("sr-key-1");
    expect((await failure(collect(createDciConnector(base(registry, { verify: { jwks: { keys: [other.publicJwk] } } }))))).code).toBe("ERR_REGISTRY_SIGNATURE");
    expect((await failure(collect(createDciConnector(base(registry, { verify: { jwks: { keys: [] } } }))))).code).toBe("ERR_REGISTRY_SIGNATURE");
    expect((await failure(collect(createDciConnector(base(registry, { receiverId: "other.example.gov", jwksUrl: registry.jwksUrl }))))).code).toBe("ERR_REGISTRY_SIGNATURE");
    const later = new Date(Date.now() + 3 * 3600_000);
    expect((await failure(collect(createDciConnector(base(registry, { jwksUrl: registry.jwksUrl, now: () => later }))))).code).toBe("ERR_REGISTRY_SIGNATURE");
    const unsigned = await startMockDciRegistry({ records: [group("H-1")] });
    try {
      const e = await failure(collect(createDciConnector(base(unsigned, { verify: { jwks: { keys: [key.publicJwk] } } }))));
      expect(e.code).toBe("ERR_REGISTRY_SIGNATURE");
      expect(e.message).toMatch(/not signed/);
    } finally {
      await unsigned.close();
    }
  });
});
