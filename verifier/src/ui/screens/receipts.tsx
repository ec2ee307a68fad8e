import type { OutboxItem } from "@haki/redemption/stores";
import type { TFunction } from "../i18n";

export function ReceiptsScreen(props: {
  t: TFunction;
  locale: string;
  items: OutboxItem[];
  sending: boolean;
  onSend: () => void;
}) {
  const { t } = props;
  const time = (ms: number) => new Date(ms).toLocaleString(props.locale);
  const items = [...props.items].reverse();
  return (
    <main class="screen">
      <h1>{t("receipts.title")}</h1>
      {items.length === 0 && <p>{t("receipts.empty")}</p>}
      <ul class="receipts" data-testid="receipts">
        {items.slice(0, 200).map((i) => (
          <li key={i.id} data-state={i.state}>
            <strong>{t(`receipts.${i.state}`)}</strong> · {time(i.createdAt)}
            <div class="small">
              {i.id.slice(0, 8)} · {t("receipts.attempts", { n: i.attempts })}
              {i.state === "pending" && i.attempts > 0 && (
                <> · {t("receipts.nextTry", { time: time(i.nextAttemptAt) })}</>
              )}
            </div>
            {i.lastError && i.state !== "sent" && <div class="small warn">{i.lastError}</div>}
          </li>
        ))}
      </ul>
      <div class="actions">
        <button type="button" class="primary big" disabled={props.sending} onClick={props.onSend}>
          {props.sending ? t("receipts.sending") : t("receipts.sendNow")}
        </button>
      </div>
    </main>
  );
}
