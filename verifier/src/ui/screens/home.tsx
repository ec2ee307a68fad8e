import type { OperatorSettings } from "@haki/redemption/settings";
import type { StoredTrustBundle } from "@haki/redemption/trust-bundle-model";
import type { StatusListCache } from "@haki/status-list/cache";
import { useI18n } from "../i18n";
import { Actions } from "../actions";
import { formatAge } from "../format";

function Freshness(props: {
  label: string;
  fetchedAt: number | undefined;
  maxHours: number;
  now: number;
  id: string;
}) {
  const { t } = useI18n();
  const age = props.fetchedAt === undefined ? undefined : props.now - props.fetchedAt;
  const old = age === undefined || age > props.maxHours * 3_600_000;
  return (
    <li class={old ? "fresh old" : "fresh"} data-testid={props.id} data-old={String(old)}>
      <strong>{props.label}</strong>:{" "}
      {age === undefined ? t("home.never") : t("home.updated", { age: formatAge(age, t) })}
      {old && <div class="warn">{t("home.tooOld")}</div>}
    </li>
  );
}

export function HomeScreen(props: {
  now: number;
  servicePointName: string;
  trust: StoredTrustBundle | undefined;
  lists: StatusListCache[];
  settings: OperatorSettings;
  pending: number;
  refreshing: boolean;
  refreshFailed: boolean;
  onScan: () => void;
  /** The online "Ask a phone" mode; the compact QR scan stays the main action. */
  onAskPhone: () => void;
  onRefresh: () => void;
}) {
  const { t } = useI18n();
  const expected = props.trust?.bundle.statusLists ?? [];
  // The oldest of the lists the bundle names; a missing one counts as never fetched.
  const listTimes = expected.map(
    (url) => props.lists.filter((l) => l.url === url).map((l) => l.fetchedAt.getTime())[0],
  );
  const oldestList =
    listTimes.some((x) => x === undefined) || listTimes.length === 0
      ? undefined
      : Math.min(...(listTimes as number[]));
  return (
    <main class="screen">
      <p class="muted">{t("home.servicePoint")}</p>
      <h1 data-testid="service-point">{props.servicePointName}</h1>
      <ul class="status-list">
        <Freshness
          id="trust-age"
          label={t("home.trust")}
          fetchedAt={props.trust?.fetchedAt}
          maxHours={props.settings.maxTrustAgeHours}
          now={props.now}
        />
        <Freshness
          id="lists-age"
          label={t("home.lists")}
          fetchedAt={oldestList}
          maxHours={props.settings.maxStatusAgeHours}
          now={props.now}
        />
        <li data-testid="pending" data-count={props.pending}>
          {props.pending > 0 ? t("home.pending", { n: props.pending }) : t("home.allSent")}
        </li>
      </ul>
      {props.refreshFailed && <p class="warn">{t("home.refreshFailed")}</p>}
      <Actions
        actions={[
          { label: props.refreshing ? t("home.refreshing") : t("home.refresh"), disabled: props.refreshing, onClick: props.onRefresh },
          { label: t("home.scan"), main: true, testId: "scan", onClick: props.onScan },
          { label: t("phone.homeButton"), testId: "ask-phone", onClick: props.onAskPhone },
        ]}
      />
    </main>
  );
}
