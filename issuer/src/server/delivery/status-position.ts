/**
 * Moving an entitlement to a fresh status position: the one way a bearer form of it dies
 * everywhere. The old position is revoked (offline verifiers refuse whatever was signed at it from
 * their next list refresh) and the entitlement, with whatever is signed at the new position, stays
 * valid. Used when a phone or card is lost, when a phone collects it under the programme's
 * "one bearer form" rule, and when paper replaces the phone.
 */
import type { Tx } from "@haki/db";
import { ApiError } from "@/server/api/errors";
import { STATUS_LIST_SIZE } from "@/server/issuance/entitlement-input";
import { writeStatusBit } from "@/server/status/status-lists";

/** Where an entitlement's status lives: list number and index. */
export interface StatusPosition {
  list: number;
  index: number;
}

/**
 * The next unused status position (inside the caller's transaction).
 *
 * @example
 * const to = await allocateStatusPosition(tx); // { list: 1, index: 1207 }
 */
export async function allocateStatusPosition(tx: Tx): Promise<StatusPosition> {
  const counter = await tx.counter.update({ where: { name: "status-index" }, data: { value: { increment: 1 } } });
  const position = counter.value - 1;
  return { list: Math.floor(position / STATUS_LIST_SIZE) + 1, index: position % STATUS_LIST_SIZE };
}

/**
 * Moves an issued entitlement from `from` to `to` with `data`, and revokes `from`, inside the
 * caller's transaction. The old position in the WHERE clause: of two moves racing, one wins and
 * the other throws ERR_CONFLICT (nothing of it is written).
 *
 * @example
 * await moveStatusPosition(tx, e.id, from, to, { bearerForm: "phone" });
 */
export async function moveStatusPosition(
  tx: Tx,
  entitlementId: string,
  from: StatusPosition,
  to: StatusPosition,
  data: { credential?: string; holderDid?: null; replacedAt?: Date; bearerForm?: "paper" | "phone" },
): Promise<void> {
  const { count } = await tx.entitlement.updateMany({
    where: { id: entitlementId, status: "issued", statusList: from.list, statusIndex: from.index },
    data: { statusList: to.list, statusIndex: to.index, ...data },
  });
  if (count !== 1) throw new ApiError("ERR_CONFLICT", "The entitlement changed meanwhile; reload and try again.");
  await writeStatusBit(tx, from.list, from.index, "revocation", true);
}
