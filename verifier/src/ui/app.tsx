/**
 * The verifier app: a router over the screens. What the device holds is `useDeviceData`, the link
 * to the issuer `useSync`, the check of a scanned code `useCheck`; each screen gets what it shows
 * and the actions it may take.
 */
import type { Decision, GreenDecision } from "@haki/redemption/check";
import type { Receipt } from "@haki/redemption/receipts";
import { programmeName } from "@haki/redemption/trust-bundle-model";
import type { BoundCardAnswer } from "../verifier/bound-card";
import type { IdentityCheck } from "../verifier/identity";
import { lazyModule, lazyScreen, screenRouter, useUpdatePrompt } from "@haki/pwa/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { DB_NAME, type VerifierDb } from "../storage/db";
import { browserFetch } from "../verifier/http";
import { I18nContext, englishT, useTranslator } from "./i18n";
import { EnrolScreen } from "./screens/enrol";
import { HomeScreen } from "./screens/home";
import { RecordedScreen, RedeemScreen } from "./screens/redeem";
import { ResultScreen } from "./screens/result";
import { ScanScreen } from "./screens/scan";

import { useCheck } from "./state/use-check";
import { useDeviceData, useNow } from "./state/use-device-data";
import { useSync } from "./state/use-sync";

// The books, the settings, "Ask a phone" and the national ID screens load on first use (their routes
// come from a `lazyModule`; the service worker precaches them, so they open offline): the first screen comes
// up sooner on a slow phone. The supervisor PIN shows on the settings route, before the settings.
const SupervisorScreen = lazyScreen(() => import("./screens/supervisor").then((m) => m.SupervisorScreen));

type Screen =
  | { name: "home" }
  | { name: "enrol"; scanned?: string }
  | { name: "scan"; purpose: "proof" | "setup" }
  | { name: "scan-id"; decision: GreenDecision }
  | { name: "bound"; decision: GreenDecision }
  | { name: "bound-result"; decision: GreenDecision; answer: BoundCardAnswer }
  | { name: "checking" }
  | { name: "result"; decision: Decision }
  | { name: "identity"; identity: IdentityCheck }
  | { name: "redeem"; decision: GreenDecision }
  | { name: "recorded"; receipt: Receipt }
  | { name: "receipts" }
  | { name: "ask-phone" }
  | { name: "settings" };

const router = screenRouter<Screen>();

/** Screens that fill the whole display (no top bar, no tabs): the camera and the answer. */
const FULL: ReadonlySet<Screen["name"]> = new Set(["scan", "scan-id", "result", "identity", "bound-result"]);

export function App(props: { db: VerifierDb }) {
  const { db } = props;
  const { data, fatal, reload } = useDeviceData(db);
  const sync = useSync(db, data?.enrolment?.issuer, reload);
  const check = useCheck(db);
  const update = useUpdatePrompt({ url: "./sw.js", scope: "./", enabled: import.meta.env.PROD });
  const now = useNow(20_000);
  const [screen, setScreen] = useState<Screen>({ name: "home" });
  // The settings open after the supervisor PIN, until the operator leaves them.
  const [supervisor, setSupervisor] = useState<"closed" | "choose" | "enter" | "open">("closed");
  const locale = data?.settings.locale ?? "en";
  // Until the operator's language has loaded (French, Arabic, Swahili load on first use), English.
  const loadedT = useTranslator(locale);
  const t = loadedT ?? englishT;
  const i18n = useMemo(() => ({ t, locale }), [t, locale]);

  useEffect(() => {
    document.documentElement.classList.toggle("large", data?.settings.largeText ?? true);
  }, [data?.settings.largeText]);

  if (fatal) {
    return (
      <main class="screen">
        <p class="error" role="alert">
          {t(`reason.${fatal}`)}
        </p>
        {fatal === "ERR_STORAGE_DAMAGED" && (
          <div class="actions">
            <button
              type="button"
              class="primary big"
              onClick={() => {
                db.close();
                const req = indexedDB.deleteDatabase(DB_NAME);
                req.onsuccess = req.onerror = () => location.reload();
              }}
            >
              {t("enrol.title")}
            </button>
          </div>
        )}
      </main>
    );
  }
  if (!data || !loadedT) return <main class="screen">{t("app.loading")}</main>;

  const go = (s: Screen) => {
    if (s.name !== "settings") setSupervisor("closed");
    setScreen(s);
  };
  const openSettings = () => {
    setScreen({ name: "settings" });
    void db.getSupervisor().then((record) => setSupervisor((now) => (now === "open" ? now : record ? "enter" : "choose")));
  };
  const home = () => go({ name: "home" });
  const scan = () => go({ name: "scan", purpose: "proof" });
  // A bound paper card: the person's ID card (or none) against the card's binding, offline.
  const decideBound = (decision: GreenDecision, text: string | undefined) => {
    go({ name: "checking" });
    void (async () => {
      const [{ checkIdentityText }, { decideBoundCardAtCounter }] = await Promise.all([import("../verifier/identity"), import("../verifier/bound-card")]);
      const [trust, enrolment] = await Promise.all([db.getTrust(), db.getEnrolment()]);
      const id = text === undefined ? undefined : await checkIdentityText(text, trust?.bundle, new Date());
      go({ name: "bound-result", decision, answer: await decideBoundCardAtCounter(decision, id, enrolment?.bindingKeys ?? []) });
    })().catch(() => void reload().then(home));
  };
  // The hand-over: a signed receipt in the outbox, shown, then sent when the network allows.
  const recordHandOver = async (decision: GreenDecision, amount: number | undefined) => {
    if (!data.enrolment) return;
    const { recordRedemption } = await import("../verifier/redeem");
    const receipt = await recordRedemption({
      db,
      decision,
      ...(amount !== undefined ? { amount } : {}),
      enrolment: data.enrolment,
      now: Date.now(),
    });
    go({ name: "recorded", receipt });
    await reload();
    void sync.flush();
  };
  const pending = data.outbox.filter((i) => i.state === "pending").length;
  // Until the device is set up, the only other screen is the camera for the set-up code.
  const shown: Screen =
    !data.enrolment && screen.name !== "enrol" && !(screen.name === "scan" && screen.purpose === "setup") ? { name: "enrol" } : screen;

  const body = router.routeTo(shown, {
    enrol: (s) => (
      <EnrolScreen
        online={sync.online}
        {...(s.scanned ? { scanned: s.scanned } : {})}
        onScan={() => go({ name: "scan", purpose: "setup" })}
        onLocale={async (l) => {
          await db.putSettings({ ...data.settings, locale: l });
          await reload();
        }}
        onEnrol={async (code, label) => {
          const { enrolDevice } = await import("../verifier/enrol");
          await enrolDevice({ db, setupText: code, ...(label.trim() ? { deviceLabel: label.trim() } : {}), fetch: browserFetch, now: Date.now });
          await reload();
          home();
        }}
      />
    ),
    scan: (s) => (
      <ScanScreen
        title={s.purpose === "setup" ? t("enrol.scanCode") : t("scan.title")}
        {...(s.purpose === "setup" ? {} : { counterSecret: () => db.getCounterSecret() })}
        onText={(text) => {
          if (s.purpose === "setup") return go({ name: "enrol", scanned: text });
          go({ name: "checking" });
          void check(text).then(
            (answer) =>
              go(
                answer.kind === "identity"
                  ? { name: "identity", identity: answer.identity }
                  : answer.decision.outcome === "green" && answer.decision.idBinding
                    ? { name: "bound", decision: answer.decision }
                    : { name: "result", decision: answer.decision },
              ),
            () => void reload().then(home),
          );
        }}
        onCancel={() => go(s.purpose === "setup" ? { name: "enrol" } : { name: "home" })}
      />
    ),
    bound: lazyModule(() => import("./screens/bound")).route(({ BoundAskScreen }, s) => (
      <BoundAskScreen
        decision={s.decision}
        onScanId={() => go({ name: "scan-id", decision: s.decision })}
        onNoId={() => decideBound(s.decision, undefined)}
        onCancel={home}
      />
    )),
    "scan-id": (s) => (
      <ScanScreen
        title={t("bound.scanId")}
        // The benefit card read again (still in view) is not an ID card: the camera keeps looking.
        accept={(text) => !/^HK\d:/.test(text.trim())}
        onText={(text) => decideBound(s.decision, text)}
        onCancel={() => go({ name: "bound", decision: s.decision })}
      />
    ),
    "bound-result": lazyModule(() => import("./screens/bound")).route(({ BoundResultScreen }, s) => (
      <BoundResultScreen
        decision={s.decision}
        answer={s.answer}
        onHandOver={() => s.answer.outcome !== "refuse" && go({ name: "redeem", decision: s.decision })}
        onNext={scan}
        onDone={home}
      />
    )),
    checking: () => <main class="screen">{t("scan.checking")}</main>,
    result: (s) => (
      <ResultScreen
        decision={s.decision}
        onHandOver={() => s.decision.outcome === "green" && go({ name: "redeem", decision: s.decision })}
        onNext={scan}
        onDone={home}
      />
    ),
    identity: lazyModule(() => import("./screens/identity")).route(({ IdentityScreen }, s) => <IdentityScreen identity={s.identity} onNext={scan} onDone={home} />),
    redeem: (s) => <RedeemScreen decision={s.decision} onCancel={home} onConfirm={(amount) => recordHandOver(s.decision, amount)} />,
    recorded: (s) => <RecordedScreen receipt={s.receipt} onNext={scan} onDone={home} />,
    "ask-phone": lazyModule(() => import("./screens/ask-phone")).route(({ AskPhoneScreen }) => {
      const bundle = data.trust?.bundle;
      const point = bundle?.servicePoints.find((s) => s.id === data.enrolment?.servicePoint);
      const programmes = (point?.programmes ?? []).map((id) => ({ id, name: (bundle && programmeName(bundle, id, locale)) ?? id }));
      return <AskPhoneScreen db={db} fetch={browserFetch} online={sync.online} programmes={programmes} onDone={home} />;
    }),
    receipts: lazyModule(() => import("./screens/receipts")).route(({ ReceiptsScreen }) => (
      <ReceiptsScreen
        items={data.outbox}
        notes={data.notes}
        programmeName={(id) => data.trust?.bundle.programmes.find((p) => p.id === id)?.name ?? id}
        sending={sync.sending}
        onSend={() => void sync.flush()}
      />
    )),
    // The settings open after the supervisor PIN: until then the route shows the PIN screen.
    settings:
      supervisor !== "open"
        ? () =>
            supervisor === "closed" ? (
              <main class="screen">{t("app.loading")}</main>
            ) : (
              <SupervisorScreen db={db} choosing={supervisor === "choose"} onOpen={() => setSupervisor("open")} />
            )
        : lazyModule(() => import("./screens/settings")).route(({ SettingsScreen }) => (
            <SettingsScreen
              settings={data.settings}
              enrolment={data.enrolment}
              onSave={async (s) => {
                await db.putSettings(s);
                await reload();
              }}
            />
          )),
    home: () => (
      <HomeScreen
        now={now}
        servicePointName={
          data.trust?.bundle.servicePoints.find((s) => s.id === data.enrolment?.servicePoint)?.name ?? data.enrolment?.servicePoint ?? ""
        }
        trust={data.trust}
        lists={data.lists}
        settings={data.settings}
        pending={pending}
        refreshing={sync.refreshing}
        refreshFailed={sync.refreshFailed}
        onScan={scan}
        onAskPhone={() => go({ name: "ask-phone" })}
        onRefresh={() => void sync.refresh()}
      />
    ),
  });

  const full = FULL.has(shown.name);
  return (
    <I18nContext.Provider value={i18n}>
      <div class="app">
        {!full && (
          <header class="topbar">
            <span class="brand">{t("app.title")}</span>
            <span class={sync.online ? "net on" : "net off"} data-testid="network">
              {sync.online ? t("app.online") : t("app.offline")}
            </span>
          </header>
        )}
        {update && !full && (
          <div class="update" role="status">
            {t("app.updateReady")}{" "}
            <button type="button" class="secondary" onClick={update}>
              {t("app.updateNow")}
            </button>
          </div>
        )}
        {body}
        {!full && data.enrolment && shown.name !== "enrol" && (
          <nav class="tabs">
            <button type="button" aria-current={shown.name === "home"} onClick={home}>
              {t("nav.home")}
            </button>
            <button type="button" aria-current={shown.name === "receipts"} data-testid="nav-receipts" onClick={() => go({ name: "receipts" })}>
              {t("nav.receipts")}
              {pending > 0 && <span class="badge">{pending}</span>}
            </button>
            <button type="button" aria-current={shown.name === "settings"} data-testid="nav-settings" onClick={openSettings}>
              {t("nav.settings")}
            </button>
          </nav>
        )}
      </div>
    </I18nContext.Provider>
  );
}
