/**
 * Group commit for a whole connection: the transactions (`chain`, `batch`) asked for in one turn of
 * the event loop, or while the previous group is being written, run as one transaction, each caller
 * getting its own statements' results. For SQLite, where every commit takes the one write lock and
 * appends to the WAL: a credential request's single-statement writes (its c_nonce spent, its access
 * token spent) cost about as much as a whole delivery batch when each commits alone, and under 100
 * wallets they were a fifth of the issuer's CPU. PostgreSQL commits in parallel on its pool and is
 * not wrapped (see `deliverySql` in the issuer).
 *
 * A group that fails (a builder throws, a constraint is broken) is run again one transaction at a
 * time, so only the failing caller fails and the others commit; a builder may therefore run twice
 * and must not have effects beyond building its statement.
 */
import { groupCommit } from "./group-commit";
import { batchAsChain, type BulkSql, type ChainItem, type StatementResult } from "./types";

/** Most transactions merged into one. */
const MAX_MERGED = 200;

/**
 * @example
 * const sql = groupTransactions(openBulkSql("file:./.data/haki.db"));
 * const [spent] = await sql.chain([{ sql: `UPDATE ... RETURNING "id"`, params }]); // committed with the others of its turn
 */
export function groupTransactions(bulk: BulkSql): BulkSql {
  const run = groupCommit(async (chains: ChainItem[][]): Promise<StatementResult[][]> => {
    if (chains.length === 1) return [await bulk.chain(chains[0]!)];
    const starts: number[] = [];
    const merged: ChainItem[] = [];
    for (const items of chains) {
      const start = merged.length;
      starts.push(start);
      // A builder sees the results of its own chain only, as it would alone.
      for (const item of items) merged.push(typeof item === "function" ? (results) => item(results.slice(start)) : item);
    }
    const results = await bulk.chain(merged);
    return chains.map((items, i) => results.slice(starts[i], starts[i]! + items.length));
  }, MAX_MERGED);
  return {
    ...bulk,
    chain: run,
    batch: async (statements) => (await run(batchAsChain(statements))).map((r) => r.changes),
  };
}
