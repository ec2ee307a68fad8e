/**
 * The shared test suite every RegistryConnector passes. An implementation supplies a factory that
 * serves the fixture below from its own kind of source (a CSV text, a mocked DCI API...).
 */
import { describe, expect, it } from "vitest";
import { RegistryError, type RegistryConnector, type RegistryItem } from "./connector";
import type { ColumnMapping } from "./record";

export interface ConnectorFixture {
  header: string[];
  /** Cells in header order, in source order. */
  rows: string[][];
  mapping: ColumnMapping;
}

/** The fixture the suite uses: valid rows, invalid ones, and a column that is not mapped. */
export const CONFORMANCE_FIXTURE: ConnectorFixture = {
  header: ["hh_id", "head_name", "district", "hh_size", "pmt_score", "status", "phone", "disability"],
  rows: [
    ["H-001", "Amina Odhiambo", "KE-047", "5", "21.5", "Active", "+254700000001", "yes"],
    ["H-002", "", "KE-047", "3", "", "", "+254700000002", ""],
    ["H-003", "Juma Ali", "KE-047", "not-a-number", "10", "Active", "+254700000003", "no"],
    ["", "No Id", "KE-001", "2", "1", "Active", "", ""],
    ["H-005", "Grace", "KE-022", "7", "-3", "Deceased", "", "yes"],
  ],
  mapping: {
    hh_id: "registryId",
    head_name: "name",
    district: "area",
    hh_size: "householdSize",
    pmt_score: "povertyScore",
    status: "enrolment",
    disability: "attributes.disability",
  },
};

async function collect(it: AsyncIterable<RegistryItem>): Promise<RegistryItem[]> {
  const out: RegistryItem[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * Registers the conformance suite for one connector implementation.
 *
 * @example
 * describeRegistryConnector("csv", (f) => createCsvConnector({ open: () => [toCsv(f)], mapping: f.mapping }));
 */
export function describeRegistryConnector(name: string, makeConnector: (fixture: ConnectorFixture) => RegistryConnector): void {
  describe(`RegistryConnector conformance: ${name}`, () => {
    it("yields every row in source order, valid ones mapped and typed", async () => {
      const items = await collect(makeConnector(CONFORMANCE_FIXTURE).read());
      expect(items).toHaveLength(5);
      const lines = items.map((i) => i.line);
      expect([...lines].sort((a, b) => a - b)).toEqual(lines);
      expect(items[0]).toMatchObject({
        ok: true,
        record: {
          registryId: "H-001",
          name: "Amina Odhiambo",
          area: "KE-047",
          householdSize: 5,
          povertyScore: 21.5,
          enrolment: "active",
          attributes: { disability: "yes" },
        },
      });
      expect(items[1]).toMatchObject({ ok: true, record: { registryId: "H-002", enrolment: "active", attributes: {} } });
      const second = items[1];
      if (second?.ok) {
        expect(second.record.name).toBeUndefined();
        expect(second.record.povertyScore).toBeUndefined();
      }
      expect(items[4]).toMatchObject({ ok: true, record: { registryId: "H-005", enrolment: "deceased", povertyScore: -3 } });
    });

    it("reports invalid rows with a code and the column, and carries on", async () => {
      const items = await collect(makeConnector(CONFORMANCE_FIXTURE).read());
      const bad = items.filter((i) => !i.ok);
      expect(bad).toHaveLength(2);
      expect(bad[0]).toMatchObject({ ok: false, errors: [{ code: "ERR_ROW_INVALID", column: "hh_size", registryId: "H-003" }] });
      expect(bad[1]).toMatchObject({ ok: false, errors: [{ code: "ERR_ROW_INVALID", column: "hh_id" }] });
    });

    it("never passes on unmapped columns", async () => {
      const items = await collect(makeConnector(CONFORMANCE_FIXTURE).read());
      expect(JSON.stringify(items)).not.toContain("+2547");
    });

    it("reads the same rows again on a second pass (re-import)", async () => {
      const c = makeConnector(CONFORMANCE_FIXTURE);
      expect(await collect(c.read())).toEqual(await collect(c.read()));
    });

    it("reports progress, ending with the row count", async () => {
      const seen: number[] = [];
      await collect(makeConnector(CONFORMANCE_FIXTURE).read({ onProgress: (p) => seen.push(p.rows) }));
      expect(seen.at(-1)).toBe(5);
    });

    it("stops with ERR_REGISTRY_ABORTED when the signal fires", async () => {
      const controller = new AbortController();
      const run = async () => {
        for await (const _ of makeConnector(CONFORMANCE_FIXTURE).read({ signal: controller.signal })) controller.abort();
      };
      const error = await run().then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect(error).toMatchObject({ code: "ERR_REGISTRY_ABORTED" });
    });
  });
}
