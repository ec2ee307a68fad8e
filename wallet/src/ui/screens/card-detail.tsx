/**
 * One card: what is left and the button to show it first (visible without scrolling on a small
 * phone), then why it cannot be used and whom to ask, the facts, and the hand-overs the office has
 * seen (when, where, how much). Read aloud where the phone has a voice for the language.
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { describeBenefit } from "@haki/i18n/benefit";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import { cardState, type CardState } from "../../wallet/cards";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import { BigButton, Icon } from "../icons";
import { useReadAloud } from "@haki/pwa/preact";
import { InnerScreen } from "../screen-header";
import { StateBadge, benefitIcon, placeOf, useBenefitWords, useCards, useFormat, type CardItem } from "./cards";

/** Why the card cannot be used and whom to ask, in plain words. */
function stateWords(card: CardItem, state: CardState, t: ReturnType<typeof useI18n>["t"]): { why: string; contact: string } | undefined {
  if (state !== "revoked" && state !== "suspended") return undefined;
  const office = card.stored.office?.card;
  const why = office?.reason ? t(`cards.reason.${office.reason}`) : t(`cards.reason.${state}`);
  return { why, contact: office?.programme.contact ? t("cards.contact", { contact: office.programme.contact }) : t("cards.contactOffice") };
}

export function CardDetail(props: {
  db: WalletDb;
  session: Session;
  id: string;
  version: number;
  /** The card to show at the counter: its id, its VC-JWT and the programme's name. */
  onPresent: (card: { id: string; jwt: string; label: string }) => void;
  onDeleted: () => void;
  onBack: () => void;
}): JSX.Element {
  const { t, locale } = useI18n();
  const f = useFormat();
  const words = useBenefitWords();
  const readAloud = useReadAloud(locale);
  const { cards, loaded } = useCards(props.db, props.session, props.version);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const card = cards.find((c) => c.id === props.id);
  if (!loaded) return <p role="status">{t("pin.working")}</p>;
  if (!card) return <p class="alert bad">{t("errors.damaged")}</p>;
  const s = card.payload.vc.credentialSubject;
  const state = cardState(card.payload, card.stored.status, new Date(), card.stored.office);
  // The counter's QR code carries a JWT presentation; an SD-JWT VC is kept and shown, not presented.
  const presentable = card.payload.format !== "dc+sd-jwt";
  const place = placeOf(card);
  const where = s.servicePoints ? t("cards.servicePoints", { list: s.servicePoints.join(", ") }) : place ? t("cards.anywhereIn", { area: place }) : t("cards.anywhere");
  const blocked = stateWords(card, state, t);
  const office = card.stored.office;
  const handOvers = office ? [...office.card.handOvers].reverse() : [];
  const spoken = [s.programme.name, t(`status.${state}`), words(card), blocked?.why, blocked?.contact, state === "not-yet-valid" ? t("cards.validFrom", { date: f.date(card.payload.nbf) }) : "", t("cards.validUntil", { date: f.date(card.payload.exp) }), where]
    .filter(Boolean)
    .join(". ");

  return (
    <InnerScreen icon={benefitIcon(card.payload)} title={s.programme.name} onBack={props.onBack}>
      <StateBadge state={state} />
      <p class="big-text" data-testid="card-left">
        {words(card)}
      </p>
      <button type="button" class="big primary present-btn" data-testid="present" disabled={state !== "active" || !presentable} onClick={() => props.onPresent({ id: card.id, jwt: card.stored.jwt, label: s.programme.name })}>
        <Icon name="qr" /> {t("cards.show")}
      </button>
      {blocked ? (
        <div class={state === "revoked" ? "alert bad" : "alert warn"} role="status" data-testid="card-reason">
          <Icon name="warn" />
          <span>
            {blocked.why} {blocked.contact}
          </span>
        </div>
      ) : (
        state !== "active" && <p class="help">{t("present.notActive", { status: t(`status.${state}`) })}</p>
      )}
      {state === "active" && !presentable && <p class="help">{t("present.notPresentable")}</p>}
      {readAloud && (
        <BigButton icon="speaker" testId="read-aloud" onClick={() => readAloud(spoken)}>
          {t("cards.readAloud")}
        </BigButton>
      )}
      <dl class="facts">
        <div>
          <dt>{t("cards.gives")}</dt>
          <dd>{describeBenefit(s.benefit, locale)}</dd>
        </div>
        <div>
          <dt>
            <Icon name="pin" /> {t("cards.where")}
          </dt>
          <dd data-testid="card-where">{where}</dd>
        </div>
        {state === "not-yet-valid" && (
          <div>
            <dt>
              <Icon name="clock" /> {t("cards.startsOn")}
            </dt>
            <dd data-testid="valid-from">{f.date(card.payload.nbf)}</dd>
          </div>
        )}
        <div>
          <dt>
            <Icon name="clock" /> {t("cards.until")}
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
      {office && (
        <>
          <h2>
            <Icon name="history" /> {t("cards.handOvers")}
          </h2>
          {handOvers.length === 0 ? (
            <p class="help">{t("cards.noHandOvers")}</p>
          ) : (
            <ul class="history" role="list" data-testid="hand-overs">
              {handOvers.map((h) => (
                <li>
                  <strong>{describeBenefit(s.benefit, locale, { amount: h.amount })}</strong>
                  <br />
                  <time dateTime={h.at}>{f.when(h.at)}</time> · {h.place ? `${h.servicePoint}, ${h.place}` : h.servicePoint}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
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
                // Deletes the card and tells its issuer (OpenID4VCI notification), when it can.
                const { deleteCard } = await import("../../wallet/receive");
                await deleteCard(props.db, props.session, card.id);
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
    </InnerScreen>
  );
}
