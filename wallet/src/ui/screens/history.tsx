/** What happened on this profile: cards added, shown, deleted; newest first. */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import { listRecords } from "../../storage/records";
import { HistoryEvent } from "../../wallet/schemas";
import { useI18n } from "../i18n";
import { InnerScreen } from "../screen-header";

export function History(props: { db: WalletDb; session: Session; onBack: () => void }): JSX.Element {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<HistoryEvent[]>([]);
  useEffect(() => {
    void listRecords(props.db, props.session, "history", HistoryEvent).then(({ items }) =>
      setItems(items.map((i) => i.value).sort((a, b) => b.at.localeCompare(a.at))),
    );
  }, [props.session.profile.id]);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (
    <InnerScreen icon="history" title={t("history.title")} onBack={props.onBack}>
      <ul class="history" role="list">
        {items.map((h) => (
          <li>
            <strong>{t(`history.${h.event}`)}</strong>
            {h.label && <span> · {h.label}</span>}
            <br />
            <time dateTime={h.at}>{fmt.format(new Date(h.at))}</time>
          </li>
        ))}
      </ul>
    </InnerScreen>
  );
}
