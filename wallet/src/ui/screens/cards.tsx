/** The person's cards: one per entitlement, with programme, what is left, where, until when, status. */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { describeBenefit } from "@haki/i18n/benefit";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import { listRecords } from "../../storage/records";
import { cardState, decodeEntitlement, type CardPayload, type CardState } from "../../wallet/cards";
import { StoredCredential } from "../../wallet/schemas";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import { BigButton, Icon, type IconName } from "../icons";

export interface CardItem {
  id: string;
  stored: StoredCredential;
  payload: CardPayload;
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
  "used-up": "check",
};

export function benefitIcon(p: CardPayload): IconName {
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

/** Dates and times in the person's language. */
export function useFormat() {
  const { locale } = useI18n();
  return {
    date: (sec: number) => new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(sec * 1000)),
    when: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)),
  };
}

/** What the card gives, or what is left of it once the office has seen hand-overs. */
export function useBenefitWords() {
  const { t, locale } = useI18n();
  return (card: CardItem): string => {
    const benefit = card.payload.vc.credentialSubject.benefit;
    const office = card.stored.office?.card;
    if (!office || office.left >= office.total) return describeBenefit(benefit, locale);
    return t("cards.leftOf", { left: describeBenefit(benefit, locale, { amount: office.left }), total: describeBenefit(benefit, locale) });
  };
}

/** The card's area as a place name when the office gave one. */
export function placeOf(card: CardItem): string | undefined {
  const area = card.payload.vc.credentialSubject.area;
  if (!area) return undefined;
  const named = card.stored.office?.card.area;
  return named?.code === area ? named.name : area;
}

export function CardList(props: {
  db: WalletDb;
  session: Session;
  version: number;
  flash?: string | undefined;
  onOpen: (id: string) => void;
  onReceive: () => void;
  /** Answer a service's request (OpenID4VP) with a card. */
  onShare: () => void;
  online: boolean;
}): JSX.Element {
  const { t } = useI18n();
  const f = useFormat();
  const words = useBenefitWords();
  const [checked, setChecked] = useState(0);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<string>();
  const { cards, damaged, loaded } = useCards(props.db, props.session, props.version + checked);
  const now = new Date();
  const refresh = async () => {
    setChecking(true);
    setProblem(undefined);
    try {
      const { refreshStatuses } = await import("../../wallet/status");
      const { refreshCardStates } = await import("../../wallet/card-state");
      const { sendPendingNotifications } = await import("../../wallet/receive");
      await refreshStatuses(props.db, props.session).catch(() => 0);
      // Cards received while the issuer could not be told: it hears "accepted" now.
      await sendPendingNotifications(props.db, props.session).catch(() => 0);
      await refreshCardStates(props.db, props.session);
    } catch (e) {
      // Offline or the office is unreachable: the last known state stays on screen, said plainly.
      setProblem(errorText(e, t));
    } finally {
      setChecking(false);
      setChecked((n) => n + 1);
    }
  };
  // Check once per opening of the list when online (cheap: one small request per office).
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
      {problem && (
        <p class="alert warn" role="status" data-testid="refresh-problem">
          <Icon name="offline" /> {problem}
        </p>
      )}
      {loaded && cards.length === 0 && <p class="empty">{t("cards.none")}</p>}
      <ul class="list" role="list">
        {cards.map((c) => {
          const s = c.payload.vc.credentialSubject;
          const state = cardState(c.payload, c.stored.status, now, c.stored.office);
          const place = placeOf(c);
          return (
            <li>
              <button type="button" class={`card s-${state}`} onClick={() => props.onOpen(c.id)} data-card={c.id}>
                <span class="card-head">
                  <Icon name={benefitIcon(c.payload)} size="2em" />
                  <span class="card-title">{s.programme.name}</span>
                </span>
                <span class="card-benefit" data-testid="card-left">
                  {words(c)}
                </span>
                <StateBadge state={state} />
                <span class="card-meta">
                  {state === "not-yet-valid" ? t("cards.validFrom", { date: f.date(c.payload.nbf) }) : t("cards.validUntil", { date: f.date(c.payload.exp) })}
                  {place ? ` · ${place}` : ""}
                </span>
                <span class="card-meta">{c.stored.status ? t("cards.lastChecked", { when: f.when(c.stored.status.checkedAt) }) : t("cards.neverChecked")}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <BigButton icon="camera" primary onClick={props.onReceive}>
        {t("cards.receive")}
      </BigButton>
      {cards.length > 0 && (
        <BigButton icon="open" testId="open-share" onClick={props.onShare}>
          {t("share.open")}
        </BigButton>
      )}
      {cards.length > 0 && (
        <BigButton icon="refresh" testId="refresh" disabled={!props.online || checking} onClick={() => void refresh()}>
          {checking ? t("cards.refreshing") : t("cards.refresh")}
        </BigButton>
      )}
    </section>
  );
}
