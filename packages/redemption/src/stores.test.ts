import { describeLocalStore } from "./conformance";
import { createMemoryStore } from "./stores";

describeLocalStore("memory", async () => createMemoryStore());
