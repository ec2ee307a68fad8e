/** The person's cards: one per entitlement, with programme, what it gives, where, until when, status. */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { EntitlementJwtPayload } from "@haki/credentials/model";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import { deleteRecord, listRecords, putRecord } from "../../storage/records";
import { describeBenefit } from "@haki/i18n/benefit";
import { cardState, decodeEntitlement, type CardState } from "../../wallet/cards";
import { StoredCredential, type HistoryEvent } from "../../wallet/schemas";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import { Icon, type IconName } from "../icons";
import { ScreenHeader } from "../screen-header";

export interface CardItem {
  id: string;
  stored: StoredCredential;
  payload: EntitlementJwtPayload;
}

/** Loads the profile's cards (damaged ones counted apart). */
export function useCards(db: WalletDb, session: Session, version: number): { cards: CardItem[]; damaged: number; loaded: boolean } {
  const [state, setState] = useState({ cards: [] as CardItem[], damaged: 0, loaded: false });
  useEffect(() => {
    void listRecords(db, session, "credential", StoredCredential).then(({ items, damaged }) => {
      const cards = items.flatMap((i) => {
        const payload = decodeEntitlement(i.value.jwt);
        return payload ? [{ id: i.id, stored: i.value, payload }] : [];
      });
      cards.sort((a, b) => a.payload.exp - b.payload.exp);
      setState({ cards, damaged: damaged.length + items.length - cards.length, loaded: true });
    });
  }, [session.profile.id, version]);
  return state;
}

const STATE_ICON: Record<CardState, IconName> = {
  active: "check",
  suspended: "pause",
  revoked: "cross",
  expired: "clock",
  "not-yet-valid": "clock",
};

function benefitIcon(p: EntitlementJwtPayload): IconName {
  const type = p.vc.credentialSubject.benefit.type;
  return type === "Cash" ? "cash" : type === "InKind" ? "basket" : "ticket";
}

export function StateBadge(props: { state: CardState }): JSX.Element {
  const { t } = useI18n();
  return (
    <span class={`badge s-${props.state}`} data-state={props.state}>
      <Icon name={STATE_ICON[props.state]} /> {t(`status.${props.state}`)}
    </span>
  );
}

function useFormat() {
  const { locale } = useI18n();
  return {
    date: (sec: number) => new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(sec * 1000)),
    when: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
  };
}

export function CardList(props: {
  db: WalletDb;
  session: Session;
  version: number;
  flash?: string | undefined;
  onOpen: (id: string) => void;
  onReceive: () => void;
  online: boolean;
}): JSX.Element {
  const { t, locale } = useI18n();
  const f = useFormat();
  const [checked, setChecked] = useState(0);
  const [checking, setChecking] = useState(false);
  const { cards, damaged, loaded } = useCards(props.db, props.session, props.version + checked);
  const now = new Date();
  const refresh = async () => {
    setChecking(true);
    try {
      const { refreshStatuses } = await import("../../wallet/status");
      await refreshStatuses(props.db, props.session);
    } catch {
      // Offline or the issuer is unreachable: the last known status stays on screen.
    } finally {
      setChecking(false);
      setChecked((n) => n + 1);
    }
  };
  // Check once per opening of the list when online (cheap: one small file per programme).
  useEffect(() => {
    const fresh = cards.every((c) => c.stored.status && Date.now() - Date.parse(c.stored.status.checkedAt) < 10 * 60_000);
    if (props.online && loaded && cards.length > 0 && checked === 0 && !fresh) void refresh();
  }, [props.online, loaded]);
  return (
    <section class="stack">
      <h1>
        <Icon name="card" /> {t("menu.cards")}
      </h1>
      {props.flash && (
        <p class="alert good" role="status">
          <Icon name="check" /> {props.flash}
        </p>
      )}
      {damaged > 0 && (
        <p class="alert bad" role="alert">
          <Icon name="warn" /> {t("cards.damaged", { count: damaged })}
        </p>
      )}
      {loaded && cards.length === 0 && <p class="empty">{t("cards.none")}</p>}
      <ul class="list" role="list">
        {cards.map((c) => {
          const s = c.payload.vc.credentialSubject;
          const state = cardState(c.payload, c.stored.status, now);
          return (
            <li>
              <button type="button" class={`card s-${state}`} onClick={() => props.onOpen(c.id)} data-card={c.id}>
                <span class="card-head">
                  <Icon name={benefitIcon(c.payload)} size="2em" />
                  <span class="card-title">{s.programme.name}</span>
                </span>
                <span class="card-benefit">{describeBenefit(s.benefit, locale)}</span>
                <span class="card-meta">{t("cards.validUntil", { date: f.date(c.payload.exp) })}</span>
                <StateBadge state={state} />
                <span class="card-meta">
                  {c.stored.status ? t("cards.lastChecked", { when: f.when(c.stored.status.checkedAt) }) : t("cards.neverChecked")}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {cards.length > 0 && (
        <button type="button" class="big" disabled={!props.online || checking} onClick={() => void refresh()} data-testid="refresh">
          <Icon name="refresh" /> {checking ? t("cards.refreshing") : t("cards.refresh")}
        </button>
      )}
      <button type="button" class="big primary" onClick={props.onReceive}>
        <Icon name="camera" /> {t("cards.receive")}
      </button>
    </section>
  );
}

export function CardDetail(props: {
  db: WalletDb;
  session: Session;
  id: string;
  version: number;
  onPresent: (id: string) => void;
  onDeleted: () => void;
  onBack: () => void;
}): JSX.Element {
  const { t, locale } = useI18n();
  const f = useFormat();
  const { cards, loaded } = useCards(props.db, props.session, props.version);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const card = cards.find((c) => c.id === props.id);
  if (!loaded) return <p role="status">{t("pin.working")}</p>;
  if (!card) return <p class="alert bad">{t("errors.damaged")}</p>;
  const s = card.payload.vc.credentialSubject;
  const state = cardState(card.payload, card.stored.status, new Date());
  const where = s.servicePoints
    ? t("cards.servicePoints", { list: s.servicePoints.join(", ") })
    : s.area
      ? t("cards.anywhereIn", { area: s.area })
      : t("cards.anywhere");

  return (
    <section class="stack">
      <ScreenHeader icon={benefitIcon(card.payload)} title={s.programme.name} onBack={props.onBack} />
      <StateBadge state={state} />
      <dl class="facts">
        <div>
          <dt>{t("cards.gives")}</dt>
          <dd class="big-text">{describeBenefit(s.benefit, locale)}</dd>
        </div>
        <div>
          <dt>
            <Icon name="pin" /> {t("cards.where")}
          </dt>
          <dd>{where}</dd>
        </div>
        <div>
          <dt>
            <Icon name="clock" /> {t("cards.validUntil", { date: "" }).replace(/[\s:]+$/, "")}
          </dt>
          <dd>{f.date(card.payload.exp)}</dd>
        </div>
        <div>
          <dt>{t("cards.cycle")}</dt>
          <dd>{s.cycle}</dd>
        </div>
        {card.stored.issuerName && (
          <div>
            <dt>{t("cards.programme")}</dt>
            <dd>{t("cards.from", { issuer: card.stored.issuerName })}</dd>
          </div>
        )}
        <div>
          <dt>
            <Icon name="refresh" /> {t("cards.refresh")}
          </dt>
          <dd>{card.stored.status ? t("cards.lastChecked", { when: f.when(card.stored.status.checkedAt) }) : t("cards.neverChecked")}</dd>
        </div>
      </dl>
      <button type="button" class="big primary present-btn" disabled={state !== "active"} onClick={() => props.onPresent(card.id)}>
        <Icon name="qr" /> {t("cards.show")}
      </button>
      {state !== "active" && <p class="help">{t("present.notActive", { status: t(`status.${state}`) })}</p>}
      {error && (
        <p class="alert bad" role="alert">
          {error}
        </p>
      )}
      {!confirming ? (
        <button type="button" class="big danger-outline" onClick={() => setConfirming(true)}>
          <Icon name="trash" /> {t("cards.delete")}
        </button>
      ) : (
        <div class="confirm" role="alertdialog" aria-label={t("cards.deleteConfirm")}>
          <p>{t("cards.deleteConfirm")}</p>
          <button
            type="button"
            class="big danger"
            onClick={async () => {
              try {
                const at = new Date().toISOString();
                const ev: HistoryEvent = { at, event: "deleted", credentialId: card.id, label: s.programme.name };
                await deleteRecord(props.db, props.session, "credential", card.id);
                await putRecord(props.db, props.session, "history", `${Date.parse(at)}-${crypto.randomUUID()}`, ev);
                props.onDeleted();
              } catch (e) {
                setError(errorText(e, t));
              }
            }}
          >
            <Icon name="trash" /> {t("cards.delete")}
          </button>
          <button type="button" class="big" onClick={() => setConfirming(false)}>
            {t("cancel")}
          </button>
        </div>
      )}
    </section>
  );
}
