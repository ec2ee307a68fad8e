/**
 * Signing and storing one page: the work every step of bulk issuance repeats. Signing is CPU only;
 * each store is one transaction of multi-row statements with the job's progress in it.
 */
import { signCredential } from "@haki/credentials/sign";
import {
  insertSignedStatements,
  progressStatement,
  reservePositions,
  spanStatements,
  storeSignedStatement,
  type BatchItem,
  type BulkSql,
  type SignRow,
} from "@haki/db/bulk";
import { newEntitlementId } from "./entitlement-ids";
import { STATUS_LIST_SIZE, cycleCredentialFormat, entitlementInput } from "./entitlement-input";
import { makeCycleSigner } from "./cycle-signer";
import { cardRefOf, type BindingSource } from "./cycle-binding";
import { holdLease, type JobRun, type JobSigning, type PendingEntitlement } from "./issuance-job";
import type { EligibleBeneficiary } from "./eligible-page";

const cycleSigners = new WeakMap<
  object,
  { key: JobSigning["key"]; publicUrl: string; sign: ReturnType<typeof makeCycleSigner> }
>();

/**
 * Signs a page of entitlements. Signing is CPU only; the database is not touched.
 *
 * @example
 * const jwts = await signPage(page, { cycle, key, publicUrl, sign: signCredential });
 */
export function signPage(
  page: PendingEntitlement[],
  args: Pick<JobSigning, "cycle" | "key" | "publicUrl" | "sign" | "binding">,
): Promise<string[]> {
  const issuer = { did: args.key.did, publicUrl: args.publicUrl };
  const binding = args.binding;
  const options = { format: cycleCredentialFormat(args.cycle) };
  if (binding) {
    // Each card of a bound programme has its own binding (a 32 MiB scrypt, about half a second a
    // card): one at a time (a page side by side would want 32 MiB per card), through the full
    // signing path with the binding in the subject.
    return (async () => {
      const jwts: string[] = [];
      for (const e of page) {
        const rows = { entitlement: e, cycle: args.cycle, programme: args.cycle.programme, beneficiary: e.beneficiary };
        const idBinding = await binding.bindingOf(e.beneficiary as BindingSource, cardRefOf(entitlementInput(rows, issuer)));
        const input = entitlementInput({ ...rows, ...(idBinding ? { idBinding } : {}) }, issuer);
        jwts.push(await args.sign(input, args.key, options));
      }
      return jwts;
    })();
  }
  if (args.sign === signCredential) {
    // The default signer: validate the cycle once, not per credential (same bytes, see cycle-signer).
    let cached = cycleSigners.get(args.cycle);
    if (!cached || cached.key !== args.key || cached.publicUrl !== args.publicUrl) {
      cached = {
        key: args.key,
        publicUrl: args.publicUrl,
        sign: makeCycleSigner({ cycle: args.cycle, programme: args.cycle.programme }, args.key, issuer),
      };
      cycleSigners.set(args.cycle, cached);
    }
    return Promise.all(page.map(cached.sign));
  }
  return Promise.all(
    page.map((e) =>
      args.sign(
        entitlementInput(
          { entitlement: e, cycle: args.cycle, programme: args.cycle.programme, beneficiary: e.beneficiary },
          issuer,
        ),
        args.key,
        options,
      ),
    ),
  );
}

const sumOf = (changed: number[], n: number) => changed.slice(0, n).reduce((a, b) => a + b, 0);

/**
 * Stores signed credentials in one multi-row write per 1,000 and, with `progress`, adds them to
 * the job's count (renewing the lease when a worker id is given) in the same transaction. Only
 * still-pending rows change, so a page redone after a crash (or signed by two workers) is stored
 * once. Returns how many rows changed and whether the job still held (true without a lease).
 *
 * @example
 * const { stored } = await storeSigned(bulk, page, jwts, new Date());
 */
export async function storeSigned(
  bulk: BulkSql,
  page: { id: string }[],
  jwts: string[],
  at: Date,
  progress?: { jobId: string; workerId?: string; cursor?: string; total?: number },
): Promise<{ stored: number; held: boolean }> {
  const statements: BatchItem[] = [];
  for (let i = 0; i < page.length; i += 1000)
    statements.push(storeSignedStatement(bulk, page.slice(i, i + 1000), jwts.slice(i, i + 1000), at));
  if (statements.length === 0) return { stored: 0, held: true };
  const writes = statements.length;
  if (progress) statements.push((changed) => progressStatement(bulk, { ...progress, add: sumOf(changed, writes), at }));
  const changed = await bulk.batch(statements);
  return { stored: sumOf(changed, writes), held: !progress?.workerId || changed[writes] === 1 };
}

/**
 * The job's worker signs and stores a page of its own pending entitlements, with its progress and
 * lease renewal; throws `IssuanceLeaseLostError` when another worker holds the job now.
 *
 * @example
 * await signOwnPage(run, await selectPending(run.bulk, { cycleId, filter, limit: 1000 }));
 */
export async function signOwnPage(run: JobRun, page: SignRow[]): Promise<void> {
  const jwts = await signPage(page, run);
  const r = await storeSigned(run.bulk, page, jwts, run.ctx.now(), {
    jobId: run.jobId,
    workerId: run.options.workerId,
    cursor: `sign:${page[page.length - 1]!.id}`,
    total: run.total,
  });
  run.signed += r.stored;
  holdLease(r.held);
}

/**
 * Gives a page of beneficiaries their entitlements already signed: reserves the page's status
 * positions, signs, and inserts the finished rows with the job's progress in one transaction
 * (renewing the lease when `workerId` is given, and publishing the span when `publishSpan`). A
 * beneficiary who has an entitlement in the cycle meanwhile keeps it (the unique key skips the row).
 *
 * @example
 * const { stored, held } = await fusePage(bulk, signing, { page, at: new Date(), workerId });
 */
export async function fusePage(
  bulk: BulkSql,
  signing: JobSigning,
  args: { page: EligibleBeneficiary[]; at: Date; workerId?: string; cursor?: string; publishSpan?: boolean },
): Promise<{ stored: number; held: boolean }> {
  const first = await reservePositions(bulk, args.page.length);
  const rows = args.page.map((b, k) => ({
    id: newEntitlementId(),
    beneficiaryId: b.id,
    statusList: Math.floor((first + k) / STATUS_LIST_SIZE) + 1,
    statusIndex: (first + k) % STATUS_LIST_SIZE,
    beneficiary: b,
  }));
  const jwts = await signPage(rows, signing);
  const inserts = insertSignedStatements(bulk, {
    cycleId: signing.cycle.id,
    rows: rows.map((r, i) => ({ ...r, credential: jwts[i]! })),
    at: args.at,
  });
  const changed = await bulk.batch([
    ...inserts,
    ...(args.publishSpan ? spanStatements(bulk, signing.jobId, { first, last: first + rows.length - 1 }) : []),
    (c) =>
      progressStatement(bulk, {
        jobId: signing.jobId,
        workerId: args.workerId,
        add: sumOf(c, inserts.length),
        at: args.at,
        cursor: args.cursor,
      }),
  ]);
  return { stored: sumOf(changed, inserts.length), held: !args.workerId || changed[changed.length - 1] === 1 };
}
