import { afterAll } from "vitest";
import { describeRelayStore } from "@haki/openid4vp/conformance";
import { testProviders } from "@haki/db/testing";
import { createTestContext, type TestContext } from "@/test/context";
import { createPrismaRelayStore } from "./prisma-relay-store";

for (const provider of testProviders()) {
  const opened: TestContext[] = [];
  afterAll(async () => {
    for (const t of opened) await t.close();
  });
  describeRelayStore(`prisma on ${provider}`, async () => {
    const t = await createTestContext(provider);
    opened.push(t);
    return createPrismaRelayStore(t.ctx.db);
  });
}
