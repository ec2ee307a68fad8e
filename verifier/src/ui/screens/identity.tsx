import "./id-screens.css";
import type { IdentityCheck } from "../../verifier/identity";
import { useI18n } from "../i18n";
import { formatDay } from "../format";
import { ResultActions, ResultHead } from "./result";

/**
 * A national ID card's QR code, checked: the photo, name and date of birth to compare with the
 * person, and the authority that signed it; or why it is not accepted, in plain words.
 */
export function IdentityScreen(props: { identity: IdentityCheck; onNext: () => void; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { identity: id } = props;
  const actions = <ResultActions read={undefined} next="light" onNext={props.onNext} onDone={props.onDone} pinned />;
  if (!id.valid) {
    return (
      <main class="result red" data-testid="identity" data-outcome="refused" data-code={id.code}>
        <ResultHead mark="✕" title={t("identity.refusedTitle")} alert />
        <p class="reason" data-testid="reason">
          {t(`identity.reason.${id.reason}`, id.details.date ? { date: formatDay(id.details.date, locale) } : {})}
        </p>
        {id.fullName && <p class="name">{id.fullName}</p>}
        {actions}
      </main>
    );
  }
  const v = id.view;
  const birth = v.dateOfBirth && /^\d{4}-\d{2}-\d{2}$/.test(v.dateOfBirth) ? formatDay(v.dateOfBirth, locale) : v.dateOfBirth;
  return (
    <main class="result identity" data-testid="identity" data-outcome="valid">
      <ResultHead mark="✓" title={t("identity.title")} alert={false} />
      {!v.photo && <p class="small">{t("identity.noPhoto")}</p>}
      <div class="id-card">
        {v.photo && <img class="id-photo" data-testid="id-photo" src={v.photo} alt="" />}
        <dl class="id-facts">
          {v.fullName && (
            <>
              <dt>{t("identity.name")}</dt>
              <dd class="name" data-testid="id-name">
                {v.fullName}
              </dd>
            </>
          )}
          {birth && (
            <>
              <dt>{t("identity.birthDate")}</dt>
              <dd data-testid="id-birth">{birth}</dd>
            </>
          )}
          <dt>{t("identity.authority")}</dt>
          <dd data-testid="id-authority">{v.authority}</dd>
        </dl>
      </div>
      <p class="small">{t("identity.compare")}</p>
      {actions}
    </main>
  );
}
