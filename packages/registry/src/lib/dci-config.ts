/** The DCI source's configuration: the search query, the stored per-source settings and the connector's arguments (re-exported by `../dci`). */
import * as z from "zod";
import { ColumnMapping } from "../record";

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
