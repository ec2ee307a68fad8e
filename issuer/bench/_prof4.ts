import Database from "better-sqlite3";
const db = new Database(":memory:");
db.exec(`CREATE TABLE E (id TEXT PRIMARY KEY, status TEXT, credential TEXT, issuedAt TEXT, cycleId TEXT); CREATE INDEX e1 ON E(cycleId, status, id);`);
const ins = db.prepare("INSERT INTO E VALUES (?, 'pending', NULL, NULL, 'c')");
db.transaction(() => { for (let i = 0; i < 100000; i++) ins.run(`id-${String(i).padStart(8, "0")}`); })();
const n = 1000;
const values = Array.from({ length: n }, () => "(?, ?)").join(", ");
const sqlA = `WITH v("id", "credential") AS (VALUES ${values}) UPDATE "E" SET "status" = 'issued', "credential" = v."credential", "issuedAt" = ? FROM v WHERE "E"."id" = v."id" AND "E"."status" = 'pending'`;
console.log(db.prepare("EXPLAIN QUERY PLAN " + sqlA).all(...Array(2 * n + 1).fill("x")).map((r: any) => r.detail).join(" | "));
const jwt = "x".repeat(1000);
let t = performance.now();
for (let p = 0; p < 10; p++) {
  const params: string[] = [];
  for (let i = 0; i < n; i++) params.push(`id-${String(p * n + i).padStart(8, "0")}`, jwt);
  db.prepare(sqlA).run(...params, "now");
}
console.log("A ms per 1000", (performance.now() - t) / 10);
const sqlB = `UPDATE "E" SET "status" = 'issued', "credential" = ?, "issuedAt" = ? WHERE "id" = ? AND "status" = 'pending'`;
t = performance.now();
const st = db.prepare(sqlB);
for (let p = 10; p < 20; p++) db.transaction(() => { for (let i = 0; i < n; i++) st.run(jwt, "now", `id-${String(p * n + i).padStart(8, "0")}`); })();
console.log("B ms per 1000", (performance.now() - t) / 10);
