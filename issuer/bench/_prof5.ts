import { createTestDatabase } from "@haki/db/testing";
const d = await createTestDatabase("sqlite");
await d.db.$executeRawUnsafe(`CREATE TABLE E (id TEXT PRIMARY KEY, status TEXT, credential TEXT)`);
for (const n of [100, 250, 500, 1000]) {
  const values = Array.from({ length: n }, () => "(?, ?)").join(", ");
  const params: string[] = [];
  for (let i = 0; i < n; i++) params.push(`id-${n}-${i}`, "x".repeat(1000));
  let t = performance.now();
  for (let k = 0; k < 5; k++) await d.db.$executeRawUnsafe(`INSERT OR REPLACE INTO E VALUES ${Array.from({ length: n }, () => "(?, ?, 'p')").join(", ")}`, ...params);
  console.log(n, "insert ms per row", ((performance.now() - t) / 5 / n).toFixed(3));
  t = performance.now();
  for (let k = 0; k < 5; k++) await d.db.$queryRawUnsafe(`SELECT ${Array.from({ length: n }, () => "?").join(", ")}`, ...params.slice(0, n));
  console.log(n, "select params ms per param", ((performance.now() - t) / 5 / n).toFixed(3));
}
await d.drop();
