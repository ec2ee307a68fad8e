import { describeBulkSql } from "../conformance";
import { createTestDatabase, testProviders } from "../testing";
import { openBulkSql } from "./index";

for (const provider of testProviders()) {
  describeBulkSql(provider, async () => {
    const t = await createTestDatabase(provider);
    return { db: t.db, open: () => openBulkSql(t.url), drop: t.drop };
  });
}
