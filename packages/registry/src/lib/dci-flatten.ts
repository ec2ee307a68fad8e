/**
 * Turns one DCI registry record (a nested JSON-LD object) into `path -> text` cells, so the same
 * column mapping and validation as a CSV row apply. Paths join keys with dots; array items are
 * numbered (`address.0.city`). Two conveniences follow the DCI data objects:
 * - an Identifier list (`group_identifier`, `identifier`, `member_identifier`) also gives its first
 *   value at the list's own path and each value at `<path>.<identifier_type>`;
 * - a Name object (`given_name`, `second_name`, `surname`) also gives the joined name at its path;
 * - every list gives its length at `<path>.length` (e.g. `member_list.length` as household size).
 * JSON-LD keywords (`@context`, `@type`, `@id`) are skipped.
 */

const MAX_DEPTH = 8;
const MAX_CELLS = 5000;

function isIdentifier(v: unknown): v is { identifier_type?: unknown; identifier_value: unknown } {
  return typeof v === "object" && v !== null && "identifier_value" in v;
}

function isName(v: object): v is { given_name?: unknown; second_name?: unknown; surname?: unknown } {
  return "given_name" in v || "surname" in v;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "boolean") return String(v);
  return undefined;
}

/**
 * Flattens a record; `undefined` when it is not a JSON object.
 *
 * @example
 * flattenDciRecord({ group_identifier: [{ identifier_type: "HH", identifier_value: "H-1" }], group_size: 4 });
 * // { "group_identifier.length": "1", group_identifier: "H-1", "group_identifier.HH": "H-1",
 * //   "group_identifier.0.identifier_type": "HH", "group_identifier.0.identifier_value": "H-1", group_size: "4" }
 */
export function flattenDciRecord(record: unknown): Record<string, string> | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return undefined;
  const cells: Record<string, string> = {};
  let count = 0;
  const set = (path: string, value: string | undefined) => {
    if (value === undefined || path in cells || count >= MAX_CELLS) return;
    cells[path] = value;
    count++;
  };
  const walk = (value: unknown, path: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    const s = scalar(value);
    if (s !== undefined) return set(path, s);
    if (Array.isArray(value)) {
      set(`${path}.length`, String(value.length));
      value.forEach((item, i) => {
        if (isIdentifier(item)) {
          const v = scalar(item.identifier_value);
          if (i === 0 || !(path in cells)) set(path, v);
          const type = scalar(item.identifier_type);
          if (type) set(`${path}.${type}`, v);
        }
        walk(item, `${path}.${i}`, depth + 1);
      });
      return;
    }
    if (typeof value === "object" && value !== null) {
      if (path && isName(value)) {
        const parts = [value.given_name, value.second_name, value.surname].map(scalar).filter((p): p is string => !!p?.trim());
        if (parts.length) set(path, parts.map((p) => p.trim()).join(" "));
      }
      for (const [key, child] of Object.entries(value)) {
        if (key.startsWith("@")) continue;
        walk(child, path ? `${path}.${key}` : key, depth + 1);
      }
    }
  };
  walk(record, "", 0);
  return cells;
}
