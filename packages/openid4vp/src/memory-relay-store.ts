/** An in-memory `RelayStore`: tests, and a single-process issuer. */
import type { RelayAnswer, RelayRecord, RelayStore } from "./relay";

export class MemoryRelayStore implements RelayStore {
  readonly records = new Map<string, RelayRecord>();

  async create(record: RelayRecord): Promise<void> {
    if (this.records.has(record.requestId)) throw new Error("duplicate request id");
    this.records.set(record.requestId, { ...record });
  }

  async get(requestId: string): Promise<RelayRecord | undefined> {
    const r = this.records.get(requestId);
    return r ? { ...r } : undefined;
  }

  async setRequestObject(requestId: string, requestObject: string, encryptionKid: string | undefined): Promise<void> {
    const r = this.records.get(requestId);
    if (r) this.records.set(requestId, { ...r, requestObject, ...(encryptionKid ? { encryptionKid } : {}) });
  }

  async saveAnswer(requestId: string, answer: RelayAnswer): Promise<boolean> {
    const r = this.records.get(requestId);
    if (!r || r.answer) return false;
    this.records.set(requestId, { ...r, answer });
    return true;
  }

  async take(requestId: string): Promise<RelayRecord | undefined> {
    const r = this.records.get(requestId);
    this.records.delete(requestId);
    return r;
  }

  async deleteExpired(now: number): Promise<number> {
    let n = 0;
    for (const [id, r] of this.records) {
      if (r.expiresAt <= now) {
        this.records.delete(id);
        n++;
      }
    }
    return n;
  }
}
