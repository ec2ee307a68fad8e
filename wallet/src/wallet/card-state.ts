/**
 * Asking the programme office about the profile's own cards, when online: one request per office,
 * signed by the profile's holder key (fresh, one-time), for the cards that office issued. The answer
 * (state, reason, contact, what is left, the hand-overs) is saved with each card; a card the office
 * does not answer for keeps what was known. Loaded on demand with the status refresh.
 */
import { CARD_STATE_PATH, signCardStateRequest } from "@haki/card-state/request";
import { CardStateResponse } from "@haki/card-state/response";
import type { WalletDb } from "../storage/db";
import type { Session } from "../storage/profiles";
import { putRecords } from "../storage/records";
import { decodeEntitlement } from "./cards";
import { CardStateUnavailableError } from "./errors";
import { loadHolderKey } from "./holder-key";
import type { KnownStatus, StoredCredential } from "./schemas";
import { startRefresh, type RefreshOptions } from "./status";

async function askOffice(url: string, request: string, fetchImpl: typeof fetch): Promise<CardStateResponse> {
  let res: Response;
  try {
    res = await fetchImpl(`${url.replace(/\/+$/, "")}${CARD_STATE_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request }),
      cache: "no-store",
    });
  } catch (cause) {
    throw new CardStateUnavailableError("The programme office cannot be reached", undefined, { cause });
  }
  if (!res.ok) throw new CardStateUnavailableError(`The programme office answered ${res.status}`, res.status);
  const body = CardStateResponse.safeParse(await res.json().catch(() => undefined));
  if (!body.success) throw new CardStateUnavailableError("The programme office's answer is not one", res.status, { cause: body.error });
  return body.data;
}

/**
 * Refreshes what every office says about the profile's cards; returns how many cards it answered
 * for. Throws `CardStateUnavailableError` when no office could be asked (offline, refused).
 *
 * @example
 * if (navigator.onLine) await refreshCardStates(db, session);
 */
export async function refreshCardStates(db: WalletDb, session: Session, options: RefreshOptions = {}): Promise<number> {
  const { fetchImpl, now, items } = await startRefresh(db, session, options);
  const byOffice = new Map<string, { id: string; jti: string; value: StoredCredential }[]>();
  for (const item of items) {
    const jti = decodeEntitlement(item.value.jwt)?.jti;
    if (!item.value.issuerUrl || !jti) continue;
    byOffice.set(item.value.issuerUrl, [...(byOffice.get(item.value.issuerUrl) ?? []), { id: item.id, jti, value: item.value }]);
  }
  if (byOffice.size === 0) return 0;
  const key = await loadHolderKey(db, session);
  const updates: { kind: "credential"; id: string; value: StoredCredential }[] = [];
  let failure: unknown;
  for (const [office, cards] of byOffice) {
    try {
      for (let i = 0; i < cards.length; i += 20) {
        const batch = cards.slice(i, i + 20);
        const request = await signCardStateRequest({ holder: key, audience: office, credentials: batch.map((c) => c.jti), now });
        const answer = await askOffice(office, request, fetchImpl);
        for (const card of answer.cards) {
          const mine = batch.find((c) => c.jti === card.id);
          if (!mine) continue;
          const status: KnownStatus = { revoked: card.status === "revoked", suspended: card.status === "suspended", checkedAt: answer.checkedAt };
          updates.push({ kind: "credential", id: mine.id, value: { ...mine.value, status, office: { card, checkedAt: answer.checkedAt } } });
        }
      }
    } catch (e) {
      failure = e;
    }
  }
  if (updates.length) await putRecords(db, session, updates);
  if (failure && updates.length === 0) throw failure;
  return updates.length;
}
