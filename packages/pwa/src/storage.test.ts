import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { guardQuota, openAppDb, parseStored, type Migration } from "./storage";

let n = 0;
const fresh = () => `pwa-test-${n++}`;

describe("openAppDb", () => {
  it("runs only the migrations a database has not seen, in order, with the upgrade transaction", async () => {
    const name = fresh();
    const ran: number[] = [];
    const v1: Migration[] = [
      (db) => {
        ran.push(1);
        db.createObjectStore("meta");
      },
    ];
    const first = await openAppDb(name, v1);
    await first.put("meta", { label: "old" }, "settings");
    first.close();
    const v2: Migration[] = [
      ...v1,
      (db, tx) => {
        ran.push(2);
        db.createObjectStore("settings");
        // A migration may move data: read it through the upgrade transaction.
        void tx.objectStore("meta").get("settings").then((v) => tx.objectStore("settings").put(v, "current"));
      },
    ];
    const second = await openAppDb(name, v2);
    expect(ran).toEqual([1, 2]);
    expect(second.version).toBe(2);
    expect(await second.get("settings", "current")).toEqual({ label: "old" });
    second.close();
  });

  it("says ERR_STORAGE_UNAVAILABLE when the browser will not open the database", async () => {
    const name = fresh();
    const db = await openAppDb(name, [(d) => d.createObjectStore("a"), (d) => d.createObjectStore("b")]);
    db.close();
    // An older app version meeting a newer database: IndexedDB refuses (VersionError).
    await expect(openAppDb(name, [(d) => d.createObjectStore("a")])).rejects.toMatchObject({ code: "ERR_STORAGE_UNAVAILABLE" });
  });
});

describe("guardQuota", () => {
  it("turns a quota failure into ERR_STORAGE_QUOTA, itself or as an abort's cause, and lets others through", async () => {
    const quota = new DOMException("full", "QuotaExceededError");
    await expect(guardQuota(Promise.reject(quota))).rejects.toMatchObject({ code: "ERR_STORAGE_QUOTA", cause: quota });
    await expect(guardQuota(Promise.reject(new Error("aborted", { cause: quota })))).rejects.toMatchObject({ code: "ERR_STORAGE_QUOTA" });
    const other = new DOMException("gone", "InvalidStateError");
    await expect(guardQuota(Promise.reject(other))).rejects.toBe(other);
    await expect(guardQuota(Promise.resolve(3))).resolves.toBe(3);
  });
});

describe("parseStored", () => {
  it("returns valid values and refuses damaged ones with ERR_STORAGE_DAMAGED naming what", () => {
    const Row = z.object({ id: z.string() });
    expect(parseStored(Row, { id: "a" }, "row")).toEqual({ id: "a" });
    expect(() => parseStored(Row, { id: 1 }, "row")).toThrow(expect.objectContaining({ code: "ERR_STORAGE_DAMAGED", message: "Stored row is damaged" }));
  });
});
