import { createMemoryOfferStore } from "./memory-store";
import { offerStoreConformance } from "./testing";

offerStoreConformance(() => createMemoryOfferStore(), { name: "memory" });
