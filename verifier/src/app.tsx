import type { CheckContext, Decision, GreenDecision } from "@haki/redemption/check";
import type { Receipt } from "@haki/redemption/receipts";
import type { OperatorSettings } from "@haki/redemption/settings";
import type { OutboxItem } from "@haki/redemption/stores";
import type { SyncQueue } from "@haki/redemption/sync-queue";
import type { StoredTrustBundle } from "@haki/redemption/trust-bundle";
import type { StatusListCache } from "@haki/status-list";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { DB_NAME, type Enrolment, type VerifierDb } from "./db";
import { translatorFor } from "./i18n";
import { enrolDevice } from "./lib/enrol";
import { signalResult } from "./lib/feedback";
import { errorCode } from "./lib/format";
import { recordRedemption } from "./lib/redeem";
import { refreshAll, refreshDue } from "./lib/refresh";
import { checkScannedText } from "./lib/scan-check";
import { registerServiceWorker } from "./lib/sw-register";
import { createReceiptSync } from "./lib/sync";
import { EnrolScreen } from "./screens/enrol";
import { HomeScreen } from "./screens/home";
import { ReceiptsScreen } from "./screens/receipts";
import { RecordedScreen, RedeemScreen } from "./screens/redeem";
import { ResultScreen } from "./screens/result";
import { ScanScreen } from "./screens/scan";
import { SettingsScreen } from "./screens/settings";

type Screen =
  | { name: "home" }
  | { name: "enrol"; scanned?: string }
  | { name: "scan"; purpose: "proof" | "setup" }
  | { name: "checking" }
  | { name: "result"; decision: Decision }
  | { name: "redeem"; decision: GreenDecision }
  | { name: "recorded"; receipt: Receipt }
  | { name: "receipts" }
  | { name: "settings" };

interface Data {
  enrolment: Enrolment | undefined;
  settings: OperatorSettings;
  trust: StoredTrustBundle | undefined;
  lists: StatusListCache[];
  outbox: OutboxItem[];
}

const REFRESH_EVERY_MS = 15 * 60_000;
const SYNC_EVERY_MS = 20_000;

const fetchFn = (input: string, init?: RequestInit) => fetch(input, init);

export function App(props: { db: VerifierDb }) {
  const { db } = props;
  const [data, setData] = useState<Data>();
  const [screen, setScreen] = useState<Screen>({ name: "home" });
  const [online, setOnline] = useState(navigator.onLine);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshFailed, setRefreshFailed] = useState(false);
  const [sending, setSending] = useState(false);
  const [update, setUpdate] = useState<() => void>();
  const [now, setNow] = useState(Date.now());
  const [fatal, setFatal] = useState<string>();
  const queueRef = useRef<SyncQueue | undefined>(undefined);
  const lastRefresh = useRef(0);

  const locale = data?.settings.locale ?? "en";
  const t = useMemo(() => translatorFor(locale), [locale]);

  const load = useCallback(async () => {
    try {
      const [enrolment, settings, trust, lists, outbox] = await Promise.all([
        db.getEnrolment(),
        db.getSettings(),
        db.getTrust(),
        db.getStatusLists(),
        db.listOutbox(),
      ]);
      setData({ enrolment, settings, trust, lists, outbox });
      setNow(Date.now());
      return enrolment;
    } catch (e) {
      setFatal(errorCode(e));
      return undefined;
    }
  }, [db]);

  const retryTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flush = useCallback(async (): Promise<void> => {
    const queue = queueRef.current;
    if (!queue || !navigator.onLine) return;
    setSending(true);
    try {
      await queue.flush();
    } finally {
      setSending(false);
      await load();
    }
    // Retry on the backoff schedule rather than waiting for the next timer tick.
    const due = await queue.nextDue();
    clearTimeout(retryTimer.current);
    if (due !== undefined)
      retryTimer.current = setTimeout(() => void flush(), Math.max(1_000, due - Date.now()));
  }, [load]);

  const refresh = useCallback(async () => {
    if (!navigator.onLine) {
      setRefreshFailed(true);
      return;
    }
    setRefreshing(true);
    lastRefresh.current = Date.now();
    try {
      const r = await refreshAll({ db, fetch: fetchFn, now: Date.now });
      setRefreshFailed(r.trust === "failed" || r.lists.some((l) => !l.ok));
    } finally {
      setRefreshing(false);
      await load();
    }
  }, [db, load]);

  useEffect(() => {
    registerServiceWorker((apply) => setUpdate(() => apply));
    void load().then((enrolment) => {
      if (!enrolment) setScreen({ name: "enrol" });
    });
  }, [load]);

  // The outbox and refresh loop: on every return of the network, and on timers while online.
  const issuer = data?.enrolment?.issuer;
  useEffect(() => {
    if (!issuer) return;
    queueRef.current = createReceiptSync({ db, issuer, fetch: fetchFn, now: Date.now });
    const back = () => {
      setOnline(true);
      void refresh().then(flush);
    };
    const gone = () => setOnline(false);
    window.addEventListener("online", back);
    window.addEventListener("offline", gone);
    const syncTimer = setInterval(() => {
      setNow(Date.now());
      // The lists' ttl says when to fetch again; it never makes a card red.
      if (navigator.onLine)
        void refreshDue(db, lastRefresh.current, Date.now()).then((due) => {
          if (due) void refresh();
        });
      void queueRef.current?.nextDue().then((due) => {
        if (due !== undefined && due <= Date.now()) void flush();
      });
    }, SYNC_EVERY_MS);
    const refreshTimer = setInterval(() => void refresh(), REFRESH_EVERY_MS);
    if (navigator.onLine) void refresh().then(flush);
    return () => {
      window.removeEventListener("online", back);
      window.removeEventListener("offline", gone);
      clearInterval(syncTimer);
      clearInterval(refreshTimer);
    };
  }, [db, issuer, refresh, flush]);

  useEffect(() => {
    document.documentElement.classList.toggle("large", data?.settings.largeText ?? true);
  }, [data?.settings.largeText]);

  const checkText = useCallback(
    async (text: string) => {
      if (!data) return;
      setScreen({ name: "checking" });
      const context: CheckContext = {
        now: new Date(),
        trust: data.trust,
        servicePointId: data.enrolment?.servicePoint,
        statusLists: data.lists,
        settings: data.settings,
        seen: db,
        balances: db,
        locale: data.settings.locale,
      };
      let decision: Decision;
      try {
        decision = await checkScannedText(text, context);
      } catch {
        decision = {
          outcome: "red",
          code: "ERR_PROOF_MALFORMED",
          reasonKey: "reason.ERR_PROOF_MALFORMED",
          details: {},
        };
      }
      signalResult(decision.outcome, data.settings);
      setScreen({ name: "result", decision });
      void db.prune(Date.now());
    },
    [data, db],
  );

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
  if (!data) return <main class="screen">{t("app.loading")}</main>;

  const servicePointName =
    data.trust?.bundle.servicePoints.find((s) => s.id === data.enrolment?.servicePoint)?.name ??
    data.enrolment?.servicePoint ??
    "";
  const pending = data.outbox.filter((i) => i.state === "pending").length;
  const home = () => setScreen({ name: "home" });
  const scan = () => setScreen({ name: "scan", purpose: "proof" });
  const full = screen.name === "result" || screen.name === "scan";

  let body;
  // Until the device is set up, the only other screen is the camera for the set-up code.
  const shown: Screen =
    !data.enrolment &&
    screen.name !== "enrol" &&
    !(screen.name === "scan" && screen.purpose === "setup")
      ? { name: "enrol" }
      : screen;
  switch (shown.name) {
    case "enrol":
      body = (
        <EnrolScreen
          t={t}
          online={online}
          {...(shown.scanned ? { scanned: shown.scanned } : {})}
          onScan={() => setScreen({ name: "scan", purpose: "setup" })}
          onEnrol={async (code, label) => {
            await enrolDevice({
              db,
              setupText: code,
              ...(label.trim() ? { deviceLabel: label.trim() } : {}),
              fetch: fetchFn,
              now: Date.now,
            });
            await load();
            home();
          }}
        />
      );
      break;
    case "scan":
      body = (
        <ScanScreen
          t={t}
          title={shown.purpose === "setup" ? t("enrol.scanCode") : t("scan.title")}
          onText={(text) =>
            shown.purpose === "setup"
              ? setScreen({ name: "enrol", scanned: text })
              : void checkText(text)
          }
          onCancel={() =>
            setScreen(shown.purpose === "setup" ? { name: "enrol" } : { name: "home" })
          }
        />
      );
      break;
    case "checking":
      body = <main class="screen">{t("scan.checking")}</main>;
      break;
    case "result":
      body = (
        <ResultScreen
          t={t}
          locale={locale}
          decision={shown.decision}
          onHandOver={() =>
            shown.decision.outcome === "green" &&
            setScreen({ name: "redeem", decision: shown.decision })
          }
          onNext={scan}
          onDone={home}
        />
      );
      break;
    case "redeem":
      body = (
        <RedeemScreen
          t={t}
          locale={locale}
          decision={shown.decision}
          onCancel={home}
          onConfirm={async (amount) => {
            if (!data.enrolment) return;
            const receipt = await recordRedemption({
              db,
              decision: shown.decision,
              ...(amount !== undefined ? { amount } : {}),
              enrolment: data.enrolment,
              now: Date.now(),
            });
            setScreen({ name: "recorded", receipt });
            await load();
            void flush();
          }}
        />
      );
      break;
    case "recorded":
      body = (
        <RecordedScreen t={t} locale={locale} receipt={shown.receipt} onNext={scan} onDone={home} />
      );
      break;
    case "receipts":
      body = (
        <ReceiptsScreen
          t={t}
          locale={locale}
          items={data.outbox}
          sending={sending}
          onSend={() => void flush()}
        />
      );
      break;
    case "settings":
      body = (
        <SettingsScreen
          t={t}
          settings={data.settings}
          enrolment={data.enrolment}
          onSave={async (s) => {
            await db.putSettings(s);
            await load();
          }}
        />
      );
      break;
    default:
      body = (
        <HomeScreen
          t={t}
          now={now}
          servicePointName={servicePointName}
          trust={data.trust}
          lists={data.lists}
          settings={data.settings}
          pending={pending}
          refreshing={refreshing}
          refreshFailed={refreshFailed}
          onScan={scan}
          onRefresh={() => void refresh()}
        />
      );
  }

  return (
    <div class="app">
      {!full && (
        <header class="topbar">
          <span class="brand">{t("app.title")}</span>
          <span class={online ? "net on" : "net off"} data-testid="network">
            {online ? t("app.online") : t("app.offline")}
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
      {!full && data.enrolment && screen.name !== "enrol" && (
        <nav class="tabs">
          <button type="button" aria-current={screen.name === "home"} onClick={home}>
            {t("nav.home")}
          </button>
          <button
            type="button"
            aria-current={screen.name === "receipts"}
            data-testid="nav-receipts"
            onClick={() => setScreen({ name: "receipts" })}
          >
            {t("nav.receipts")}
            {pending > 0 && <span class="badge">{pending}</span>}
          </button>
          <button
            type="button"
            aria-current={screen.name === "settings"}
            onClick={() => setScreen({ name: "settings" })}
          >
            {t("nav.settings")}
          </button>
        </nav>
      )}
    </div>
  );
}
