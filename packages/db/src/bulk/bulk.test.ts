import { describeBulkSql } from "../conformance";
import { createTestDatabase, testProviders } from "../testing";
import { groupTransactions, openBulkSql } from "./index";

for (const provider of testProviders()) {
  describeBulkSql(provider, async () => {
    const t = await createTestDatabase(provider);
    return { db: t.db, open: () => openBulkSql(t.url), drop: t.drop };
  });
}

// The issuer's SQLite connection of the credential endpoints: the same contract, group committed.
for (const provider of testProviders()) {
  describeBulkSql(`${provider}, group committed`, async () => {
    const t = await createTestDatabase(provider);
    return { db: t.db, open: () => groupTransactions(openBulkSql(t.url)), drop: t.drop };
  });
}
