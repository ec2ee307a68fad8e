import type { Locale } from "@haki/i18n/core";
import { formatMoney } from "@haki/i18n/benefit";
import type { HandedOver } from "@haki/redemption/receipts";
import type { OutboxItem } from "@haki/redemption/stores";
import { useMemo } from "preact/hooks";
import type { ReceiptNote } from "../../storage/db";
import { readReceiptLines, summarizeReceipts, type Total } from "../../verifier/receipts-summary";
import { useI18n, type TFunction } from "../i18n";

function number(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(n);
}

/** What one receipt handed over, in words. */
function handedOverWords(h: HandedOver, locale: Locale, t: TFunction): string {
  if (h.type === "Cash") return formatMoney(h.amount, h.currency, locale);
  if (h.type === "InKind") return `${number(h.quantity, locale)} ${h.unit} ${h.item}`;
  return h.amount !== undefined && h.currency ? `${t("receipts.voucher")} (${formatMoney(h.amount, h.currency, locale)})` : t("receipts.voucher");
}

/** A total in words: money, stock in kind, vouchers counted. */
function totalWords(x: Total, locale: Locale, t: TFunction): string {
  if (x.type === "Cash") return formatMoney(x.amount, x.currency, locale);
  if (x.type === "InKind") return `${number(x.quantity, locale)} ${x.unit} ${x.item}`;
  return t("receipts.vouchers", { count: x.count }) + (x.currency && x.amount ? ` (${formatMoney(x.amount, x.currency, locale)})` : "");
}

function Totals(props: { count: number; totals: Total[] }) {
  const { t, locale } = useI18n();
  return (
    <span>
      {t("receipts.handOvers", { count: props.count })}: {props.totals.map((x) => totalWords(x, locale, t)).join(" · ")}
    </span>
  );
}

/**
 * The clerk's books: totals per day and per programme round (with the stock handed out), then
 * every receipt with its reference, the name shown, what was handed over, when, and whether the
 * programme office has it.
 */
export function ReceiptsScreen(props: {
  items: OutboxItem[];
  notes: ReceiptNote[];
  programmeName: (id: string) => string;
  sending: boolean;
  onSend: () => void;
}) {
  const { t, locale } = useI18n();
  const lines = useMemo(() => readReceiptLines(props.items, props.notes), [props.items, props.notes]);
  const summary = useMemo(() => summarizeReceipts(lines), [lines]);
  const states = new Map(props.items.map((i) => [i.id, i]));
  const time = (sec: number) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(sec * 1000));
  const day = (d: string) => new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: "UTC" }).format(new Date(`${d}T12:00:00Z`));
  const pending = props.items.filter((i) => i.state === "pending").length;
  // The list scrolls and may hold no button (Send now is off when all is sent): focusable, so a
  // keyboard can scroll it too.
  return (
    <main class="screen" tabIndex={0} aria-labelledby="receipts-title">
      <h1 id="receipts-title">{t("receipts.title")}</h1>
      <div class="actions top">
        <button type="button" class="primary big" disabled={props.sending || pending === 0} onClick={props.onSend}>
          {props.sending ? t("receipts.sending") : t("receipts.sendNow")}
        </button>
      </div>
      {lines.length === 0 && <p>{t("receipts.empty")}</p>}
      {summary.days.length > 0 && (
        <section aria-labelledby="by-day">
          <h2 id="by-day">{t("receipts.byDay")}</h2>
          <ul class="totals" data-testid="totals-by-day">
            {summary.days.slice(0, 14).map((d) => (
              <li key={d.day} data-day={d.day}>
                <strong>{day(d.day)}</strong>
                <br />
                <Totals count={d.count} totals={d.totals} />
              </li>
            ))}
          </ul>
          <h2>{t("receipts.byCycle")}</h2>
          <ul class="totals" data-testid="totals-by-cycle">
            {summary.cycles.map((c) => (
              <li key={`${c.programme}/${c.cycle}`}>
                <strong>
                  {props.programmeName(c.programme)} · {c.cycle}
                </strong>
                <br />
                <Totals count={c.count} totals={c.totals} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {lines.length > 0 && <h2>{t("receipts.list")}</h2>}
      <ul class="receipts" data-testid="receipts">
        {lines.slice(0, 200).map((l) => {
          const item = states.get(l.id);
          return (
            <li key={l.id} data-state={l.state} data-receipt={l.id}>
              <strong>{handedOverWords(l.handedOver, locale, t)}</strong> · {l.name ?? (l.visualCheck ? t("receipts.noName") : l.beneficiary)}
              <div class="small">
                {t("receipts.ref", { id: l.id.slice(0, 8) })} · {time(l.at)} · <span class="state">{t(`receipts.${l.state}`)}</span>
                {item && item.state === "pending" && item.attempts > 0 && <> · {t("receipts.nextTry", { time: time(Math.floor(item.nextAttemptAt / 1000)) })}</>}
              </div>
              {item?.lastError && item.state !== "sent" && <div class="small warn">{item.lastError}</div>}
            </li>
          );
        })}
      </ul>
    </main>
  );
}
