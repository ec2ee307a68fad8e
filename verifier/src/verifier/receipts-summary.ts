/**
 * The clerk's books from the receipts on this device: each receipt as a line (reference, name
 * shown, what was handed over, when, sent or not), and totals per day and per programme round,
 * with the stock handed out (in-kind quantities by item). Read from the signed receipts themselves,
 * so the books say what was signed.
 */
import { Receipt, type HandedOver } from "@haki/redemption/receipts";
import type { OutboxItem } from "@haki/redemption/stores";
import { decodeJwt } from "jose";
import type { ReceiptNote } from "../storage/db";

export interface ReceiptLine {
  id: string;
  /** Seconds since epoch. */
  at: number;
  state: OutboxItem["state"];
  name?: string;
  beneficiary: string;
  programme: string;
  cycle: string;
  handedOver: HandedOver;
  visualCheck: boolean;
}

/** A sum of one kind of thing handed over. */
export type Total =
  | { type: "Cash"; currency: string; amount: number }
  | { type: "InKind"; item: string; unit: string; quantity: number }
  | { type: "Voucher"; currency?: string; count: number; amount: number };

export interface Totals {
  count: number;
  totals: Total[];
}
export interface ReceiptSummary {
  /** Newest day first; `day` is YYYY-MM-DD in the device's time zone. */
  days: (Totals & { day: string })[];
  cycles: (Totals & { programme: string; cycle: string })[];
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const ORDER: Record<Total["type"], number> = { Cash: 0, InKind: 1, Voucher: 2 };
const label = (t: Total) => (t.type === "InKind" ? `${t.item} ${t.unit}` : (t.currency ?? ""));

/**
 * The receipts as lines, newest first; a receipt that does not read is left out (the outbox still
 * sends it).
 *
 * @example
 * const lines = readReceiptLines(await db.listOutbox(), await db.listNotes());
 */
export function readReceiptLines(outbox: readonly OutboxItem[], notes: readonly ReceiptNote[]): ReceiptLine[] {
  const names = new Map(notes.map((n) => [n.receipt, n.displayName]));
  const lines: ReceiptLine[] = [];
  for (const item of outbox) {
    let r: Receipt;
    try {
      r = Receipt.parse(decodeJwt(item.jws));
    } catch {
      continue;
    }
    const name = names.get(r.id);
    lines.push({
      id: r.id,
      at: r.at,
      state: item.state,
      ...(name ? { name } : {}),
      beneficiary: r.beneficiary,
      programme: r.programme,
      cycle: r.cycle,
      handedOver: r.handedOver,
      visualCheck: r.visualCheck,
    });
  }
  return lines.sort((a, b) => b.at - a.at || a.id.localeCompare(b.id));
}

function add(totals: Total[], h: HandedOver): void {
  switch (h.type) {
    case "Cash": {
      const t = totals.find((x): x is Extract<Total, { type: "Cash" }> => x.type === "Cash" && x.currency === h.currency);
      if (t) t.amount = round(t.amount + h.amount);
      else totals.push({ type: "Cash", currency: h.currency, amount: h.amount });
      return;
    }
    case "InKind": {
      const t = totals.find((x): x is Extract<Total, { type: "InKind" }> => x.type === "InKind" && x.item === h.item && x.unit === h.unit);
      if (t) t.quantity = round(t.quantity + h.quantity);
      else totals.push({ type: "InKind", item: h.item, unit: h.unit, quantity: h.quantity });
      return;
    }
    case "Voucher": {
      const t = totals.find((x): x is Extract<Total, { type: "Voucher" }> => x.type === "Voucher" && x.currency === h.currency);
      if (t) {
        t.count++;
        t.amount = round(t.amount + (h.amount ?? 0));
      } else totals.push({ type: "Voucher", ...(h.currency ? { currency: h.currency } : {}), count: 1, amount: h.amount ?? 0 });
    }
  }
}

/**
 * Totals per day (in `timeZone`, default the device's) and per programme round.
 *
 * @example
 * summarizeReceipts(lines).days[0]; // { day: "2027-03-10", count: 12, totals: [{ type: "InKind", item: "Maize flour", unit: "kg", quantity: 96 }] }
 */
export function summarizeReceipts(lines: readonly ReceiptLine[], options: { timeZone?: string } = {}): ReceiptSummary {
  const dayOf = new Intl.DateTimeFormat("en-CA", { timeZone: options.timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const days = new Map<string, Totals & { day: string }>();
  const cycles = new Map<string, Totals & { programme: string; cycle: string }>();
  for (const l of lines) {
    const day = dayOf.format(new Date(l.at * 1000));
    const d = days.get(day) ?? { day, count: 0, totals: [] };
    d.count++;
    add(d.totals, l.handedOver);
    days.set(day, d);
    const key = `${l.programme}\u0000${l.cycle}`;
    const c = cycles.get(key) ?? { programme: l.programme, cycle: l.cycle, count: 0, totals: [] };
    c.count++;
    add(c.totals, l.handedOver);
    cycles.set(key, c);
  }
  const ordered = <T extends Totals>(t: T): T => ({ ...t, totals: [...t.totals].sort((a, b) => ORDER[a.type] - ORDER[b.type] || label(a).localeCompare(label(b))) });
  return {
    days: [...days.values()].sort((a, b) => b.day.localeCompare(a.day)).map(ordered),
    cycles: [...cycles.values()].sort((a, b) => a.programme.localeCompare(b.programme) || b.cycle.localeCompare(a.cycle)).map(ordered),
  };
}
