/**
 * The registry record as Haki keeps it: the least a programme needs to decide eligibility and to
 * hand a benefit over. Everything a registry export carries beyond the mapped fields is dropped at
 * the parser and never stored.
 */
import * as z from "zod";

/** Haki's own fields a registry column can be mapped to. */
export const RECORD_FIELDS = ["registryId", "name", "area", "householdSize", "povertyScore", "enrolment", "nationalId", "birthDate"] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];
/** A mapping target: one of RECORD_FIELDS, or `attributes.<name>` for an extra eligibility field. */
export type MappingTarget = RecordField | `attributes.${string}`;

const ATTRIBUTE_TARGET = /^attributes\.[a-z][a-zA-Z0-9_]{0,39}$/;

/** Column mapping saved per source: `{ "<column header in the export>": "<Haki field>" }`. */
export const ColumnMapping = z
  .record(
    z.string().trim().min(1).max(120),
    z.custom<MappingTarget>(
      (v) => typeof v === "string" && ((RECORD_FIELDS as readonly string[]).includes(v) || ATTRIBUTE_TARGET.test(v)),
      { message: `one of ${RECORD_FIELDS.join(", ")} or attributes.<name>` },
    ),
  )
  .refine((m) => Object.values(m).includes("registryId"), { message: "one column must map to registryId" })
  .refine((m) => new Set(Object.values(m)).size === Object.values(m).length, {
    message: "two columns map to the same field",
  });
export type ColumnMapping = z.infer<typeof ColumnMapping>;

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(s: T) => z.preprocess(emptyToUndefined, s.optional());

/** DCI IBR enrolment_status values (and Haki's lower-case forms), normalised. */
const ENROLMENT: Record<string, "active" | "deceased" | "exited" | "suspended"> = {
  active: "active",
  enrolled: "active",
  deceased: "deceased",
  graduated: "exited",
  exited: "exited",
  suspended: "suspended",
};

/** A validated registry record. */
export const RegistryRecord = z.object({
  /** The registry's own identifier for the person or household; Haki stores only a keyed hash. */
  registryId: z.string({ error: "the registry id is missing" }).trim().min(1, "the registry id is missing").max(100, "the registry id is longer than 100 characters"),
  /** Display name for the visual check at the counter (optional; leave unmapped to store none). */
  name: optional(z.string().trim().max(80)),
  /** Administrative area code, e.g. "KE-047". */
  area: optional(z.string().trim().regex(/^[A-Za-z0-9._:-]{1,64}$/, "area code: letters, digits, . _ : -")),
  householdSize: optional(
    z.coerce
      .number({ error: "household size must be a whole number from 1 to 200" })
      .int("household size must be a whole number from 1 to 200")
      .min(1, "household size must be a whole number from 1 to 200")
      .max(200, "household size must be a whole number from 1 to 200"),
  ),
  povertyScore: optional(
    z.coerce
      .number({ error: "poverty score must be a number" })
      .min(-1e6, "poverty score is out of range")
      .max(1e6, "poverty score is out of range"),
  ),
  enrolment: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? (ENROLMENT[v.trim().toLowerCase()] ?? v) : undefined),
    z.enum(["active", "deceased", "exited", "suspended"], { error: "status must be Active, Deceased, Graduated, Exited or Suspended" }).default("active"),
  ),
  /**
   * The person's national ID number, for programmes that bind paper cards to national ID cards
   * (`@haki/id-binding`): the issuer keeps it sealed, never in a credential. Leave unmapped otherwise.
   */
  nationalId: optional(z.string().trim().min(4, "the national ID number is too short").max(64, "the national ID number is longer than 64 characters")),
  /** Date of birth, `YYYY-MM-DD` (DCI `birth_date`), bound with the national ID number. */
  birthDate: optional(
    z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "date of birth: YYYY-MM-DD")
      .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "date of birth: not a real date"),
  ),
  /** Extra mapped eligibility fields: numbers when they read as numbers, else text. */
  attributes: z.record(z.string(), z.union([z.string().max(200), z.number()])).default({}),
});
export type RegistryRecord = z.infer<typeof RegistryRecord>;

/**
 * Applies a column mapping to one row (header -> cell) and validates it. Unmapped columns are
 * ignored; `attributes.*` cells that read as numbers become numbers.
 *
 * @example
 * mapRow({ "HH ID": "H-1", Size: "4" }, { "HH ID": "registryId", Size: "householdSize" });
 * // { ok: true, record: { registryId: "H-1", householdSize: 4, enrolment: "active", attributes: {} } }
 */
export function mapRow(
  cells: Record<string, string>,
  mapping: ColumnMapping,
): { ok: true; record: RegistryRecord } | { ok: false; issues: { column: string | undefined; message: string }[] } {
  const input: Record<string, unknown> = { attributes: {} };
  const columnOf = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping)) {
    const value = cells[column];
    if (target.startsWith("attributes.")) {
      const key = target.slice("attributes.".length);
      columnOf.set(`attributes.${key}`, column);
      if (value === undefined || value.trim() === "") continue;
      const n = Number(value);
      (input.attributes as Record<string, unknown>)[key] = /^-?\d+(\.\d+)?$/.test(value.trim()) && Number.isFinite(n) ? n : value.trim();
    } else {
      columnOf.set(target, column);
      input[target] = value;
    }
  }
  const parsed = RegistryRecord.safeParse(input);
  if (parsed.success) return { ok: true, record: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => {
      const field = i.path.slice(0, i.path[0] === "attributes" ? 2 : 1).join(".");
      return { column: columnOf.get(field) ?? field, message: i.message };
    }),
  };
}
