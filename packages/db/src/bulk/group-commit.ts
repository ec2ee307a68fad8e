/**
 * Group commit: items asked for in the same turn of the event loop (and while a batch is being
 * written) are written together, one transaction a batch, instead of one transaction each. Each
 * caller gets its own item's result. When a batch fails, its items are written again one by one,
 * so one item that conflicts fails alone and the others go through.
 *
 * @example
 * const record = groupCommit(async (batch: Delivery[]) => { await writeAll(batch); return batch.map(() => undefined); }, 200);
 * await record(delivery);
 */
export function groupCommit<I, O>(write: (batch: I[]) => Promise<O[]>, maxBatch: number): (item: I) => Promise<O> {
  type Pending = { item: I; resolve: (out: O) => void; reject: (error: unknown) => void };
  const queue: Pending[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          const out = await write(batch.map((p) => p.item));
          batch.forEach((p, i) => p.resolve(out[i]!));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          for (const p of batch) {
            try {
              p.resolve((await write([p.item]))[0]!);
            } catch (alone) {
              p.reject(alone);
            }
          }
        }
      }
    } finally {
      writing = false;
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      // The first item waits one turn of the event loop, so items asked for in the same turn share it.
      if (!writing) {
        writing = true;
        setImmediate(() => void drain());
      }
    });
}
