import { describe, expect, it } from "vitest";
import * as z from "zod";
import { HOUSEHOLD_ID_TYPE, MEMBER_ID_TYPE, syntheticDciPage, toDciGroup, toDciSearchResponse, type DciPageOptions } from "./dci";
import { generateRegistry } from "./generate";

// The parts of the DCI Social Registry search response a connector reads, checked strictly.
const Identifier = z.strictObject({ identifier_type: z.string(), identifier_value: z.string().min(1) });
const Address = z.strictObject({ locality: z.string().min(1), region_code: z.string().min(1), country_code: z.string().length(2) });
const Member = z.strictObject({
  member_identifier: z.array(Identifier).length(1),
  demographic_info: z.strictObject({
    identifier: z.array(Identifier).length(1),
    name: z.strictObject({ given_name: z.string().min(1), surname: z.string().min(1) }),
    sex: z.enum(["male", "female", "other", "unknown"]),
    birth_date: z.iso.date(),
    address: z.array(Address).length(1),
    phone_number: z.array(z.string().regex(/^\+\d+$/)).length(1).optional(),
  }),
});
const Group = z.strictObject({
  group_identifier: z.array(Identifier).length(1),
  group_type: z.literal("household"),
  address: z.array(Address).length(1),
  poverty_score: z.number().min(0).max(100),
  poverty_score_type: z.string(),
  group_head_info: Member,
  group_size: z.number().int().min(1),
  member_list: z.array(Member).min(1),
});
const SearchResponse = z.strictObject({
  header: z.strictObject({
    version: z.string(),
    message_id: z.string(),
    message_ts: z.iso.datetime({ offset: true }),
    action: z.literal("on-search"),
    status: z.literal("succ"),
    total_count: z.number().int(),
    completed_count: z.number().int(),
    sender_id: z.string(),
    receiver_id: z.string(),
    is_msg_encrypted: z.boolean(),
  }),
  message: z.strictObject({
    transaction_id: z.string(),
    correlation_id: z.string(),
    search_response: z
      .array(
        z.strictObject({
          reference_id: z.string(),
          timestamp: z.iso.datetime({ offset: true }),
          status: z.literal("succ"),
          data: z.strictObject({
            version: z.string(),
            reg_type: z.literal("ns:org:RegistryType:Social"),
            reg_record_type: z.literal("Group"),
            reg_records: z.array(Group),
          }),
          pagination: z.strictObject({ page_size: z.number().int(), page_number: z.number().int(), total_count: z.number().int() }),
          locale: z.string().length(3),
        }),
      )
      .length(1),
  }),
});

const timestamp = "2027-03-01T08:00:00Z";

describe("DCI search responses", () => {
  it("maps a household to a Group with its head and members", () => {
    const households = [...generateRegistry({ households: 300, seed: 7 })];
    for (const h of households) {
      const g = Group.parse(toDciGroup(h));
      expect(g.group_identifier).toEqual([{ identifier_type: HOUSEHOLD_ID_TYPE, identifier_value: h.group_identifier }]);
      expect(g.group_size).toBe(g.member_list.length);
      expect(g.group_head_info).toEqual(g.member_list[0]);
      expect(g.address[0]).toEqual({ locality: h.address.village, region_code: h.address.admin_area_code, country_code: h.country_code });
      g.member_list.forEach((m, k) => {
        const p = h.members[k]!;
        expect(m.member_identifier).toEqual([{ identifier_type: MEMBER_ID_TYPE, identifier_value: p.identifier }]);
        expect(m.demographic_info.name).toEqual({ given_name: p.given_name, surname: p.surname });
        expect(m.demographic_info.phone_number).toEqual(p.phone_number ? [p.phone_number] : undefined);
      });
    }
  });

  it("pages a registry: the pages put together are the registry, with totals on every page", () => {
    const all = [...generateRegistry({ households: 250, seed: 7 })].map(toDciGroup);
    const pages = [1, 2, 3, 4].map((n) => SearchResponse.parse(syntheticDciPage({ households: 250, seed: 7 }, { pageNumber: n, pageSize: 100, timestamp })));
    expect(pages.map((p) => p.message.search_response[0]!.data.reg_records.length)).toEqual([100, 100, 50, 0]);
    expect(pages.flatMap((p) => p.message.search_response[0]!.data.reg_records)).toEqual(all);
    for (const [i, p] of pages.entries()) {
      expect(p.message.search_response[0]!.pagination).toEqual({ page_size: 100, page_number: i + 1, total_count: 250 });
      expect(p.header.message_ts).toBe(timestamp);
    }
  });

  it("is deterministic and survives JSON (names in every script intact)", () => {
    const a = syntheticDciPage({ households: 1000, seed: 3 }, { pageNumber: 2, pageSize: 500, timestamp: new Date(timestamp) });
    const b = syntheticDciPage({ households: 1000, seed: 3 }, { pageNumber: 2, pageSize: 500, timestamp: new Date(timestamp) });
    expect(a).toEqual(b);
    const json = JSON.stringify(a);
    expect(JSON.parse(json)).toEqual(a);
    expect(json).toMatch(/[\u0600-\u06FF]/);
    expect(json).toMatch(/[\u1200-\u137F]/);
    expect(a.header.message_ts).toBe("2027-03-01T08:00:00.000Z");
  });

  it("takes the envelope ids it is given", () => {
    const r = toDciSearchResponse(generateRegistry({ households: 2, seed: 1 }), {
      pageNumber: 1,
      pageSize: 10,
      totalCount: 2,
      timestamp,
      transactionId: "txn-1",
      referenceId: "ref-1",
      messageId: "msg-1",
      correlationId: "cor-1",
      senderId: "registry.example",
      receiverId: "issuer.example",
      locale: "fra",
    });
    expect(r.header).toMatchObject({ message_id: "msg-1", sender_id: "registry.example", receiver_id: "issuer.example" });
    expect(r.message).toMatchObject({ transaction_id: "txn-1", correlation_id: "cor-1" });
    expect(r.message.search_response[0]).toMatchObject({ reference_id: "ref-1", locale: "fra" });
  });

  it("refuses bad page options and overfull pages with ERR_DEMO_DATA_OPTIONS", () => {
    const bad: Partial<DciPageOptions>[] = [
      { pageNumber: 0 },
      { pageSize: 0 },
      { totalCount: -1 },
      { timestamp: "yesterday" },
      { locale: "en" },
    ];
    for (const b of bad) {
      expect(() => toDciSearchResponse([], { pageNumber: 1, pageSize: 10, totalCount: 0, timestamp, ...b })).toThrow(
        expect.objectContaining({ code: "ERR_DEMO_DATA_OPTIONS" }),
      );
    }
    expect(() => toDciSearchResponse(generateRegistry({ households: 3, seed: 1 }), { pageNumber: 1, pageSize: 2, totalCount: 3, timestamp })).toThrow(
      expect.objectContaining({ code: "ERR_DEMO_DATA_OPTIONS" }),
    );
  });
});
