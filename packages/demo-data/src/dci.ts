/**
 * The synthetic registry in the shape of a DCI Social Registry search response: households as
 * `Group` reg_records (group_identifier, group_type, address, poverty_score, group_head_info,
 * group_size, member_list), members as `Member` with a `Person` demographic_info, paged.
 * For a mock DCI registry; the envelope `signature` is the mock server's job and is left out.
 * Pure code: runs in Node and the browser.
 */
import * as z from "zod";
import { DemoDataError } from "./errors";
import { generateRegistry, type Household, type Person, type RegistryOptions } from "./generate";

export interface DciIdentifier {
  identifier_type: string;
  identifier_value: string;
}

export interface DciAddress {
  /** The village. */
  locality: string;
  /** Admin area code, e.g. "KE-047". */
  region_code: string;
  country_code: string;
}

export interface DciPerson {
  identifier: DciIdentifier[];
  name: { given_name: string; surname: string };
  sex: "male" | "female";
  birth_date: string;
  address: DciAddress[];
  phone_number?: string[];
}

export interface DciMember {
  member_identifier: DciIdentifier[];
  demographic_info: DciPerson;
}

export interface DciGroup {
  group_identifier: DciIdentifier[];
  group_type: "household";
  address: DciAddress[];
  poverty_score: number;
  poverty_score_type: string;
  group_head_info: DciMember;
  group_size: number;
  member_list: DciMember[];
}

export interface DciSearchResponse {
  header: {
    version: "1.0.0";
    message_id: string;
    message_ts: string;
    action: "on-search";
    status: "succ";
    total_count: number;
    completed_count: number;
    sender_id: string;
    receiver_id: string;
    is_msg_encrypted: false;
  };
  message: {
    transaction_id: string;
    correlation_id: string;
    search_response: [
      {
        reference_id: string;
        timestamp: string;
        status: "succ";
        data: {
          version: "1.0.0";
          reg_type: string;
          reg_record_type: "Group";
          reg_records: DciGroup[];
        };
        pagination: { page_size: number; page_number: number; total_count: number };
        locale: string;
      },
    ];
  };
}

/** identifier_type of the registry's own household and member ids. */
export const HOUSEHOLD_ID_TYPE = "HOUSEHOLD_ID";
export const MEMBER_ID_TYPE = "MEMBER_ID";
export const SOCIAL_REGISTRY_TYPE = "ns:org:RegistryType:Social";

export const DciPageOptions = z.object({
  /** 1-based page number. */
  pageNumber: z.number().int().min(1),
  pageSize: z.number().int().min(1).max(10_000),
  /** Records matching the search over all pages. */
  totalCount: z.number().int().min(0),
  /** Time stamped on the message (passed in: output never depends on the clock). */
  timestamp: z.union([z.date(), z.iso.datetime({ offset: true })]),
  transactionId: z.string().min(1).max(99).optional(),
  referenceId: z.string().min(1).max(99).optional(),
  messageId: z.string().min(1).max(99).optional(),
  correlationId: z.string().min(1).max(99).optional(),
  senderId: z.string().min(1).max(200).optional(),
  receiverId: z.string().min(1).max(200).optional(),
  /** ISO 639-3 code of the response's language. */
  locale: z.string().regex(/^[a-z]{3}$/).optional(),
});
export type DciPageOptions = z.input<typeof DciPageOptions>;

function address(h: Household): DciAddress {
  return { locality: h.address.village, region_code: h.address.admin_area_code, country_code: h.country_code };
}

function toMember(h: Household, p: Person): DciMember {
  return {
    member_identifier: [{ identifier_type: MEMBER_ID_TYPE, identifier_value: p.identifier }],
    demographic_info: {
      identifier: [{ identifier_type: MEMBER_ID_TYPE, identifier_value: p.identifier }],
      name: { given_name: p.given_name, surname: p.surname },
      sex: p.sex,
      birth_date: p.birth_date,
      address: [address(h)],
      ...(p.phone_number ? { phone_number: [p.phone_number] } : {}),
    },
  };
}

/**
 * One household as a DCI `Group` reg_record (the head is `group_head_info` and also the first of
 * `member_list`).
 *
 * @example
 * const [h] = generateRegistry({ households: 1, seed: 7 });
 * toDciGroup(h!).group_identifier; // [{ identifier_type: "HOUSEHOLD_ID", identifier_value: "SR-ET-0000001" }]
 */
export function toDciGroup(h: Household): DciGroup {
  const members = h.members.map((p) => toMember(h, p));
  return {
    group_identifier: [{ identifier_type: HOUSEHOLD_ID_TYPE, identifier_value: h.group_identifier }],
    group_type: "household",
    address: [address(h)],
    poverty_score: h.poverty_score,
    poverty_score_type: "PMT",
    group_head_info: members[0]!,
    group_size: h.group_size,
    member_list: members,
  };
}

/**
 * Wraps one page of households in a DCI search response envelope (unsigned).
 *
 * @example
 * const page = [...generateRegistry({ households: 200, seed: 7, start: 100 })];
 * toDciSearchResponse(page, { pageNumber: 2, pageSize: 100, totalCount: 2000, timestamp: new Date("2027-03-01T08:00:00Z") });
 */
export function toDciSearchResponse(households: Iterable<Household>, options: DciPageOptions): DciSearchResponse {
  const parsed = DciPageOptions.safeParse(options);
  if (!parsed.success) {
    throw new DemoDataError("ERR_DEMO_DATA_OPTIONS", `Bad DCI page options: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  const o = parsed.data;
  const records: DciGroup[] = [];
  for (const h of households) records.push(toDciGroup(h));
  if (records.length > o.pageSize) {
    throw new DemoDataError("ERR_DEMO_DATA_OPTIONS", `A page holds at most ${o.pageSize} records; ${records.length} were given.`);
  }
  const ts = o.timestamp instanceof Date ? o.timestamp.toISOString() : o.timestamp;
  const transactionId = o.transactionId ?? "demo-transaction";
  return {
    header: {
      version: "1.0.0",
      message_id: o.messageId ?? `${transactionId}-page-${o.pageNumber}`,
      message_ts: ts,
      action: "on-search",
      status: "succ",
      total_count: 1,
      completed_count: 1,
      sender_id: o.senderId ?? "demo-social-registry",
      receiver_id: o.receiverId ?? "haki-issuer",
      is_msg_encrypted: false,
    },
    message: {
      transaction_id: transactionId,
      correlation_id: o.correlationId ?? `${transactionId}-correlation`,
      search_response: [
        {
          reference_id: o.referenceId ?? `${transactionId}-reference`,
          timestamp: ts,
          status: "succ",
          data: { version: "1.0.0", reg_type: SOCIAL_REGISTRY_TYPE, reg_record_type: "Group", reg_records: records },
          pagination: { page_size: o.pageSize, page_number: o.pageNumber, total_count: o.totalCount },
          locale: o.locale ?? "eng",
        },
      ],
    },
  };
}

/**
 * Page `pageNumber` of a synthetic registry as a DCI search response, generated directly (the
 * households of earlier pages are skipped, not built).
 *
 * @example
 * syntheticDciPage({ households: 1_000_000, seed: 7 }, { pageNumber: 5000, pageSize: 100, timestamp: "2027-03-01T08:00:00Z" });
 */
export function syntheticDciPage(
  registry: Omit<RegistryOptions, "start">,
  page: Omit<DciPageOptions, "totalCount">,
): DciSearchResponse {
  const size = page.pageSize;
  const start = (page.pageNumber - 1) * size;
  const end = Math.min(registry.households, start + size);
  const households = start < end ? generateRegistry({ ...registry, households: end, start }) : [];
  return toDciSearchResponse(households, { ...page, totalCount: registry.households });
}
