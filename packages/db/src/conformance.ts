/**
 * The conformance suite of `@haki/db/bulk`: what every bulk connection must do, whatever the
 * database behind it. `bulk/bulk.test.ts` runs it on SQLite and on PostgreSQL; a new database
 * passes it before the issuer uses it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "./index";
import {
  findOfferByAccessToken,
  importProgressStatement,
  insertRowErrorsStatement,
  insertSignedStatements,
  positionSpan,
  preparedSpan,
  prepareStatements,
  progressStatement,
  pruneUsedNonces,
  readCounter,
  recordDeliveries,
  recordUsedNonce,
  reservePositions,
  selectEntitled,
  selectEntitlementForCredential,
  selectKnownRows,
  selectPending,
  setCounterStatement,
  spanStatements,
  spendAccessToken,
  storeSignedStatement,
  takeNumber,
  upsertBeneficiariesStatement,
  type BeneficiaryRow,
  type BulkSql,
} from "./bulk/index";

/** A database for one run of the suite: a Prisma client to check with, and bulk connections to test. */
export interface BulkSqlFixture {
  db: Db;
  /** A new bulk connection to the same database (the suite closes it). */
  open(): BulkSql;
  drop(): Promise<void>;
}

/** A small list size, so a test crosses from one status list to the next. */
const LIST_SIZE = 8;

const person = (n: number, over: Partial<BeneficiaryRow> = {}): BeneficiaryRow => ({
  id: `b${String(n).padStart(3, "0")}`,
  ref: `HK-${String(n).padStart(10, "0")}`,
  registryIdHash: `hash-${n}`,
  rowHash: "row-1",
  displayName: n % 2 ? `Person ${n}` : null,
  area: "KE-047",
  householdSize: n,
  povertyScore: 0.5,
  enrolment: "active",
  attributes: "{}",
  ...over,
});

/**
 * Runs the bulk SQL contract against one implementation.
 *
 * @example
 * describeBulkSql("sqlite", async () => { const t = await createTestDatabase("sqlite"); return { db: t.db, open: () => openBulkSql(t.url), drop: t.drop }; });
 */
export function describeBulkSql(name: string, makeFixture: () => Promise<BulkSqlFixture>): void {
  describe(`bulk SQL on ${name}`, () => {
    let f: BulkSqlFixture;
    let bulk: BulkSql;
    const at = new Date("2027-03-01T08:30:00.125Z");

    beforeAll(async () => {
      f = await makeFixture();
      bulk = f.open();
      await f.db.registrySource.create({ data: { id: "src", name: "Registry", mapping: "{}" } });
      await f.db.programme.create({ data: { id: "p", code: "cash", name: "Cash", benefitType: "cash", currency: "KES", createdBy: "u" } });
      await f.db.cycle.create({
        data: { id: "c", programmeId: "p", code: "2027-03", validFrom: at, validUntil: at, amount: "10", rule: "{}", preparedBy: "u" },
      });
      await f.db.issuanceJob.create({ data: { id: "job", cycleId: "c", state: "running", workerId: "w1", createdBy: "u" } });
    }, 60_000);
    afterAll(async () => {
      await bulk?.close();
      await f?.drop();
    });

    it("upserts beneficiaries with dates Prisma reads back as the same instant, and only rewrites changed rows", async () => {
      const rows = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => person(n));
      const [written] = await bulk.batch([upsertBeneficiariesStatement(bulk, { sourceId: "src", rows, at })]);
      expect(written).toBe(10);
      const b = await f.db.beneficiary.findUniqueOrThrow({ where: { id: "b001" } });
      expect(b).toMatchObject({ ref: "HK-0000000001", displayName: "Person 1", householdSize: 1, povertyScore: 0.5 });
      expect(b.createdAt.toISOString()).toBe(at.toISOString());
      const known = await selectKnownRows(bulk, { sourceId: "src", hashes: ["hash-1", "hash-2", "hash-99"] });
      expect([...known]).toEqual(expect.arrayContaining([["hash-1", "row-1"], ["hash-2", "row-1"]]));
      expect(known.size).toBe(2);
      // Same rows again: nothing changes; one changed row: that one is updated in place (id and ref kept).
      const again = [person(1, { id: "new-id", ref: "HK-NEW0000001", rowHash: "row-2", area: "KE-042" }), person(2, { id: "x", ref: "HK-X" })];
      const [changed] = await bulk.batch([upsertBeneficiariesStatement(bulk, { sourceId: "src", rows: again, at })]);
      expect(changed).toBe(1);
      expect(await f.db.beneficiary.findUniqueOrThrow({ where: { id: "b001" } })).toMatchObject({ area: "KE-042", ref: "HK-0000000001" });
    });

    it("recognises a unique-key clash on the column named, and no other", async () => {
      const clash = person(50, { ref: "HK-0000000003" });
      const e = await bulk.batch([upsertBeneficiariesStatement(bulk, { sourceId: "src", rows: [clash], at })]).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).not.toBeNull();
      expect(bulk.isUniqueViolation(e, "Beneficiary", "ref")).toBe(true);
      expect(bulk.isUniqueViolation(e, "Beneficiary", "id")).toBe(false);
      expect(bulk.isUniqueViolation(new Error("x"), "Beneficiary", "ref")).toBe(false);
      expect(bulk.isUniqueViolation(null, "Beneficiary", "ref")).toBe(false);
    });

    it("runs a batch in one transaction: a failing statement rolls back the ones before it", async () => {
      await expect(
        bulk.batch([setCounterStatement(bulk, "rollback", 1), { sql: `UPDATE "NoSuchTable" SET "x" = 1`, params: [] }]),
      ).rejects.toThrow();
      expect(await readCounter(bulk, "rollback")).toBeNull();
    });

    it("builds a statement from the counts of those before it", async () => {
      await bulk.batch([setCounterStatement(bulk, "n-a", 1), setCounterStatement(bulk, "n-b", 1)]);
      const changed = await bulk.batch([
        { sql: `UPDATE "Counter" SET "value" = "value" + 1 WHERE "name" IN ('n-a', 'n-b')`, params: [] },
        (c) => setCounterStatement(bulk, "n-sum", c[0]!),
      ]);
      expect(changed).toEqual([2, 1]);
      expect(await readCounter(bulk, "n-sum")).toBe(2);
    });

    it("chains statements built from the rows of those before it; a builder that throws rolls the chain back", async () => {
      await bulk.batch([setCounterStatement(bulk, "c-a", 40)]);
      const results = await bulk.chain([
        { sql: `UPDATE "Counter" SET "value" = "value" + 2 WHERE "name" = 'c-a' RETURNING "value"`, params: [] },
        (r) => setCounterStatement(bulk, "c-b", Number(r[0]!.rows[0]!.value) + 1),
        { sql: `SELECT "name", "value" FROM "Counter" WHERE "name" IN ('c-a', 'c-b') ORDER BY "name"`, params: [] },
      ]);
      expect(results[0]).toMatchObject({ changes: 1, rows: [{ value: 42 }] });
      expect(results[2]!.rows.map((r) => [r.name, Number(r.value)])).toEqual([["c-a", 42], ["c-b", 43]]);
      await expect(
        bulk.chain([
          { sql: `UPDATE "Counter" SET "value" = 0 WHERE "name" = 'c-a'`, params: [] },
          () => {
            throw new Error("refused");
          },
        ]),
      ).rejects.toThrow("refused");
      expect(await readCounter(bulk, "c-a")).toBe(42);
    });

    it("hands out each number of a counter once, to two connections taking at the same time", async () => {
      await bulk.batch([setCounterStatement(bulk, "chunks", 0)]);
      const other = f.open();
      try {
        const take = async (c: BulkSql) => {
          const got: number[] = [];
          for (let i = 0; i < 30; i++) {
            const k = await takeNumber(c, "chunks", 50);
            if (k !== null) got.push(k);
          }
          return got;
        };
        const [a, b] = await Promise.all([take(bulk), take(other)]);
        expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect(await takeNumber(bulk, "chunks", 50)).toBeNull();
        expect(await takeNumber(bulk, "missing-counter", 50)).toBeNull();
      } finally {
        await other.close();
      }
    });

    it("prepares pending entitlements at reserved positions across two lists and publishes their span", async () => {
      const first = await reservePositions(bulk, 3); // positions 0..2 stay unused (a page that never landed)
      const page = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ id: `e${n}`, beneficiaryId: `b00${n}` }));
      const changed = await bulk.batch([
        ...prepareStatements(bulk, { cycleId: "c", page, at, listSize: LIST_SIZE }),
        ...spanStatements(bulk, "job", { reserved: page.length }),
      ]);
      expect(changed.slice(0, 2)).toEqual([1, 8]);
      const rows = await f.db.entitlement.findMany({ where: { cycleId: "c" }, orderBy: { id: "asc" } });
      const positions = rows.map((r) => (r.statusList - 1) * LIST_SIZE + r.statusIndex);
      expect(positions).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((p) => p + first));
      expect(rows.every((r) => r.status === "pending" && r.createdAt.toISOString() === at.toISOString())).toBe(true);
      // Bulk issuance delivers on paper first (issue 12, one bearer form: migration 0013's default).
      expect(rows.every((r) => r.bearerForm === "paper")).toBe(true);
      expect(await preparedSpan(bulk, "job")).toEqual({ first: first + 3, last: first + 10 });
      expect(await positionSpan(bulk, "c", LIST_SIZE)).toEqual({ first: first + 3, last: first + 10 });
      expect(await positionSpan(bulk, "no-such-cycle", LIST_SIZE)).toBeNull();
      // Preparing the same beneficiaries again adds nothing (one entitlement per cycle and person).
      const [, again] = await bulk.batch(prepareStatements(bulk, { cycleId: "c", page: page.map((e) => ({ ...e, id: `x${e.id}` })), at, listSize: LIST_SIZE }));
      expect(again).toBe(0);
      expect([...(await selectEntitled(bulk, { cycleId: "c", from: "b002", to: "b004" }))].sort()).toEqual(["b002", "b003", "b004"]);
    });

    it("reads pending rows by id range and by status positions, with the beneficiary's fields", async () => {
      const byIds = await selectPending(bulk, { cycleId: "c", filter: { kind: "ids", after: "e2", upto: "e5" }, limit: 10 });
      expect(byIds.map((r) => r.id)).toEqual(["e3", "e4", "e5"]);
      expect(byIds[0]).toMatchObject({ beneficiary: { ref: "HK-0000000003", displayName: "Person 3", area: "KE-047" } });
      const one = byIds[0]!;
      const byPosition = await selectPending(bulk, {
        cycleId: "c",
        filter: { kind: "positions", list: one.statusList, fromIndex: one.statusIndex, toIndex: one.statusIndex + 1 },
        limit: 10,
      });
      expect(byPosition.map((r) => r.id)).toEqual(["e3"]);
      expect(typeof byPosition[0]!.statusList).toBe("number");
    });

    it("stores a signed page once, and renews the lease only for the worker that holds the job", async () => {
      const page = [{ id: "e1" }, { id: "e2" }];
      const progress = (workerId: string) => (c: number[]) => progressStatement(bulk, { jobId: "job", workerId, add: c[0]!, at, cursor: "sign:e2", total: 8 });
      expect(await bulk.batch([storeSignedStatement(bulk, page, ["jwt-1", "jwt-2"], at), progress("w1")])).toEqual([2, 1]);
      // A second store of the same page (a crash, two workers) changes nothing; another worker holds no lease.
      expect(await bulk.batch([storeSignedStatement(bulk, page, ["other-1", "other-2"], at), progress("w2")])).toEqual([0, 0]);
      const e1 = await f.db.entitlement.findUniqueOrThrow({ where: { id: "e1" } });
      expect(e1).toMatchObject({ status: "issued", credential: "jwt-1" });
      expect(e1.issuedAt?.toISOString()).toBe(at.toISOString());
      expect(await f.db.issuanceJob.findUniqueOrThrow({ where: { id: "job" } })).toMatchObject({ done: 2, cursor: "sign:e2", total: 8 });
      expect((await f.db.issuanceJob.findUniqueOrThrow({ where: { id: "job" } })).heartbeatAt?.toISOString()).toBe(at.toISOString());
      expect(() => storeSignedStatement(bulk, page, ["only-one"], at)).toThrow(expect.objectContaining({ code: "ERR_BULK_INPUT" }));
    });

    it("inserts rows signed before they were stored, with integer positions, skipping people who have one", async () => {
      const rows = [
        { id: "s9", beneficiaryId: "b009", statusList: 7, statusIndex: 5, credential: "jwt-9" },
        { id: "s1", beneficiaryId: "b001", statusList: 7, statusIndex: 6, credential: "jwt-dup" },
      ];
      expect(await bulk.batch(insertSignedStatements(bulk, { cycleId: "c", rows, at }))).toEqual([1]);
      expect(await f.db.entitlement.findUniqueOrThrow({ where: { id: "s9" } })).toMatchObject({ status: "issued", statusList: 7, statusIndex: 5, credential: "jwt-9", bearerForm: "paper" });
      expect(await f.db.entitlement.findUnique({ where: { id: "s1" } })).toBeNull();
    });

    it("records an import run's progress and row errors", async () => {
      await f.db.importRun.create({ data: { id: "run", sourceId: "src", fileName: "x.csv" } });
      const counts = { rowsRead: 12, created: 10, updated: 1, unchanged: 0, rejected: 1 };
      const errors = [{ line: 7, column: "household_size", code: "ERR_ROW_INVALID", message: "x".repeat(600) }, { line: 9, code: "ERR_ROW_MALFORMED", message: "bad" }];
      await bulk.batch([insertRowErrorsStatement(bulk, { runId: "run", errors }), importProgressStatement(bulk, { runId: "run", counts, bytesRead: 4096 })]);
      expect(await f.db.importRun.findUniqueOrThrow({ where: { id: "run" } })).toMatchObject({ ...counts, bytesRead: 4096 });
      const stored = await f.db.importRowError.findMany({ where: { runId: "run" }, orderBy: { row: "asc" } });
      expect(stored.map((e) => [e.row, e.column, e.code, e.message.length])).toEqual([[7, "household_size", "ERR_ROW_INVALID", 500], [9, null, "ERR_ROW_MALFORMED", 3]]);
    });

    it("finds and spends an access token once, with its expiry read back as the same instant", async () => {
      const expiresAt = new Date("2027-03-02T08:30:00.250Z");
      await f.db.offer.create({
        data: { id: "e1", entitlementId: "e1", codeHash: "code-1", txCodeHash: "pin-1", expiresAt, accessTokenHash: "tok-1", accessTokenExpiresAt: new Date(at.getTime() + 60_000) },
      });
      const offer = { id: "e1", credentialConfigurationId: "EntitlementCredential_jwt_vc_json", codeHash: "code-1", txCodeHash: "pin-1", expiresAt };
      expect(await findOfferByAccessToken(bulk, { tokenHash: "tok-1", now: at })).toEqual(offer);
      expect(await findOfferByAccessToken(bulk, { tokenHash: "tok-1", now: new Date(at.getTime() + 60_000) })).toBeUndefined(); // expired
      expect(await findOfferByAccessToken(bulk, { tokenHash: "tok-other", now: at })).toBeUndefined();
      const other = f.open();
      try {
        const spent = await Promise.all([bulk, bulk, other].map((sql) => spendAccessToken(sql, { tokenHash: "tok-1", now: at })));
        expect(spent.filter(Boolean)).toEqual([offer]);
      } finally {
        await other.close();
      }
      expect(await findOfferByAccessToken(bulk, { tokenHash: "tok-1", now: at })).toBeUndefined();
      expect((await f.db.offer.findUniqueOrThrow({ where: { id: "e1" } })).accessTokenUsedAt?.toISOString()).toBe(at.toISOString());
    });

    it("records a spent nonce once (a replay is refused) and prunes it once expired", async () => {
      const expiresAt = new Date(at.getTime() + 300_000);
      expect(await recordUsedNonce(bulk, { nonceHash: "n-1", expiresAt, now: at })).toBe(true);
      expect(await recordUsedNonce(bulk, { nonceHash: "n-1", expiresAt, now: at })).toBe(false);
      // Replayed at the same moment on one connection (a group-committed one writes both in one transaction).
      const twice = await Promise.all([0, 1].map(() => recordUsedNonce(bulk, { nonceHash: "n-2", expiresAt, now: at })));
      expect(twice.sort()).toEqual([false, true]);
      expect(await pruneUsedNonces(bulk, { now: at })).toBe(0);
      expect(await pruneUsedNonces(bulk, { now: new Date(expiresAt.getTime() + 1) })).toBe(2);
      expect(await recordUsedNonce(bulk, { nonceHash: "n-1", expiresAt, now: at })).toBe(true);
    });

    it("reads an entitlement with its beneficiary for a credential, integers as numbers", async () => {
      const e = await selectEntitlementForCredential(bulk, "e1");
      const stored = await f.db.entitlement.findUniqueOrThrow({ where: { id: "e1" }, include: { beneficiary: true } });
      const { ref, displayName, area } = stored.beneficiary;
      expect(e).toEqual({ id: "e1", cycleId: "c", status: "issued", statusList: stored.statusList, statusIndex: stored.statusIndex, ref, displayName, area });
      expect(ref).toBe("HK-0000000001");
      expect(await selectEntitlementForCredential(bulk, "no-such")).toBeUndefined();
    });

    it("records deliveries on offers and entitlements with chained audit rows; a missing offer writes nothing", async () => {
      await f.db.offer.create({ data: { id: "e2", entitlementId: "e2", codeHash: "code-2", expiresAt: at } });
      await bulk.batch([setCounterStatement(bulk, "audit", 0)]);
      const rows = (first: number, prevHash: string | undefined, ids: string[]) =>
        ids.map((id, i) => ({ seq: first + i, at, actorId: null, action: "credential.deliver", subject: id, details: "{}", prevHash: i ? `h${first + i - 1}` : (prevHash ?? "genesis"), hash: `h${first + i}`, alg: "hmac-sha256" }));
      const seen: [number, string | undefined][] = [];
      const deliveries = [
        { entitlementId: "e1", holderDid: "did:key:z1", count: 1, notificationIdHash: "notif-1" },
        { entitlementId: "e2", holderDid: "did:key:z2", count: 3, notificationIdHash: null },
      ];
      await recordDeliveries(bulk, { deliveries, at, auditRows: (first, prev) => (seen.push([first, prev]), rows(first, prev, ["e1", "e2"])) });
      await recordDeliveries(bulk, { deliveries: [deliveries[0]!], at, auditRows: (first, prev) => (seen.push([first, prev]), rows(first, prev, ["e1"])) });
      expect(seen).toEqual([[1, undefined], [3, "h2"]]);
      const offers = await f.db.offer.findMany({ where: { id: { in: ["e1", "e2"] } }, orderBy: { id: "asc" } });
      expect(offers.map((o) => [o.holderDid, o.credentialCount, o.notificationIdHash, o.credentialIssuedAt?.toISOString()])).toEqual([
        ["did:key:z1", 1, "notif-1", at.toISOString()],
        ["did:key:z2", 3, null, at.toISOString()],
      ]);
      // The phone's claim (a fresh status position, bearerForm "phone") is the issuer's, made before
      // signing: recording the delivery changes neither the form nor the position.
      expect(await f.db.entitlement.findUniqueOrThrow({ where: { id: "e2" } })).toMatchObject({ holderDid: "did:key:z2", bearerForm: "paper" });
      const audit = await f.db.auditEvent.findMany({ orderBy: { seq: "asc" } });
      expect(audit.every((a) => a.alg === "hmac-sha256")).toBe(true);
      expect(audit.map((a) => [a.seq, a.subject, a.prevHash, a.hash, a.at.toISOString()])).toEqual([
        [1, "e1", "genesis", "h1", at.toISOString()],
        [2, "e2", "h1", "h2", at.toISOString()],
        [3, "e1", "h2", "h3", at.toISOString()],
      ]);
      await expect(
        recordDeliveries(bulk, { deliveries: [{ ...deliveries[0]!, holderDid: "did:key:z9" }, { entitlementId: "e3", holderDid: "did:key:z3", count: 1, notificationIdHash: null }], at, auditRows: (first, prev) => rows(first, prev, ["e1", "e3"]) }),
      ).rejects.toThrow();
      expect((await f.db.offer.findUniqueOrThrow({ where: { id: "e1" } })).holderDid).toBe("did:key:z1");
      expect(await readCounter(bulk, "audit")).toBe(3);
      expect(await f.db.auditEvent.count()).toBe(3);
    });

    it("keeps an entitlement's redeemed flag from the receipts naming it (stored, moved, deleted), whoever writes them", async () => {
      const redeemed = async () => (await f.db.entitlement.findMany({ where: { id: { in: ["e1", "e2"] } }, orderBy: { id: "asc" } })).map((e) => e.redeemed);
      expect(await redeemed()).toEqual([false, false]);
      const receipt = (id: string, entitlementId: string) => ({
        id, entitlementKey: `k|${entitlementId}`, entitlementId, cycleId: "c", programme: "cash", cycleCode: "2027-03", beneficiaryRef: "HK-1", servicePoint: "sp", device: "d", amount: "10", redeemedAt: at, jws: "x.y.z",
      });
      await f.db.receipt.create({ data: receipt("r1", "e1") });
      // Through the bulk connection too (the flag is the database's, not the client's).
      const p = bulk.params();
      await bulk.batch([{ sql: `INSERT INTO "Receipt" ("id", "entitlementKey", "entitlementId", "programme", "cycleCode", "beneficiaryRef", "servicePoint", "device", "redeemedAt", "receivedAt", "jws") VALUES (${["r2", "k", "e1", "cash", "2027-03", "HK-1", "sp", "d"].map(p.add).join(", ")}, ${p.date(at)}, ${p.date(at)}, ${p.add("x.y.z")})`, params: p.values }]);
      expect(await redeemed()).toEqual([true, false]);
      await f.db.receipt.update({ where: { id: "r2" }, data: { entitlementId: "e2" } });
      expect(await redeemed()).toEqual([true, true]);
      await f.db.receipt.delete({ where: { id: "r1" } });
      expect(await redeemed()).toEqual([false, true]);
      await f.db.receipt.create({ data: { ...receipt("r3", "e2"), entitlementId: null } });
      await f.db.receipt.deleteMany({ where: { id: { in: ["r2", "r3"] } } });
      expect(await redeemed()).toEqual([false, false]);
    });
  });
}
