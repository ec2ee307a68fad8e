/**
 * The wallet app: a small state machine of screens. The unlocked session (data key) lives only in
 * memory; locking, switching person or closing the app forgets it.
 */
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Locale } from "@haki/i18n/core";
import { openWalletDb, type WalletDb } from "../storage/db";
import { listProfiles, type ProfileSummary, type Session } from "../storage/profiles";
import { errorText } from "./errors";
import { I18nContext, LanguageSelect, applyLocale, initialLocale } from "./i18n";
import { Icon } from "./icons";
import { applyTextSize, initialTextSize, type TextSize } from "./text-size";
import { ChangePin, CreateProfile, ProfilePicker, Unlock } from "./screens/profiles";
import { lazyScreen, routeTo } from "@haki/pwa/preact";
import { useServiceWorker } from "./sw-register";

// The first screens (who is using the phone, PIN) are in the first load; the rest comes while the
// PIN is being checked (PBKDF2 takes about a second on a cheap phone) or on first use. The service
// worker has every chunk, so this costs nothing offline.
const CardList = lazyScreen(() => import("./screens/cards").then((m) => m.CardList));
const CardDetail = lazyScreen(() => import("./screens/card-detail").then((m) => m.CardDetail));
const Receive = lazyScreen(() => import("./screens/receive").then((m) => m.Receive));
const History = lazyScreen(() => import("./screens/history").then((m) => m.History));
const Settings = lazyScreen(() => import("./screens/settings").then((m) => m.Settings));
const Present = lazyScreen(() => import("./screens/present").then((m) => m.Present));
const Backup = lazyScreen(() => import("./screens/backup").then((m) => m.Backup));
const Share = lazyScreen(() => import("./screens/share").then((m) => m.Share));
const Restore = lazyScreen(() => import("./screens/backup").then((m) => m.Restore));

type View =
  | { name: "profiles" }
  | { name: "create" }
  | { name: "restore" }
  | { name: "unlock"; profile: ProfileSummary }
  /** `flash`: an i18n key, translated when shown (so it follows a language switch). */
  | { name: "cards"; flash?: string; flashText?: string }
  | { name: "card"; id: string }
  | { name: "present"; id: string; jwt: string; label: string }
  | { name: "receive"; offer?: string }
  /** Answering a service's OpenID4VP request (scanned, pasted, or opened as a link). */
  | { name: "share"; request?: string }
  | { name: "backup" }
  | { name: "history" }
  | { name: "settings" }
  | { name: "change-pin" };

/** An offer link opened from outside (`?credential_offer=...` or `?credential_offer_uri=...`). */
function offerFromLocation(): string | undefined {
  const href = location.href;
  return /[?&#]credential_offer(_uri)?=/.test(href) ? href : undefined;
}

/**
 * A service's request opened as a link to this wallet (same device): `?client_id=...&request=...`
 * or `&request_uri=...`, as OpenID4VP's request parameters on the wallet's own URL.
 */
function presentationRequestFromLocation(): string | undefined {
  const params = new URLSearchParams(location.search);
  return params.has("client_id") && (params.has("request") || params.has("request_uri")) ? location.href : undefined;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener("online", on);
    addEventListener("offline", off);
    return () => {
      removeEventListener("online", on);
      removeEventListener("offline", off);
    };
  }, []);
  return online;
}

export function App(): JSX.Element {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [textSize, setTextSize] = useState<TextSize>(initialTextSize);
  useEffect(() => applyTextSize(textSize), [textSize]);
  const t = useMemo(() => applyLocale(locale), [locale]);
  const i18n = useMemo(() => ({ locale, t, setLocale }), [locale, t]);
  const [db, setDb] = useState<WalletDb>();
  const [fatal, setFatal] = useState<string>();
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const [view, setView] = useState<View>({ name: "profiles" });
  const [session, setSession] = useState<Session>();
  const [version, setVersion] = useState(0);
  const [pendingOffer, setPendingOffer] = useState(offerFromLocation);
  const [pendingRequest, setPendingRequest] = useState(presentationRequestFromLocation);
  const online = useOnline();
  const presenting = view.name === "present";
  const sw = useServiceWorker();

  useEffect(() => {
    openWalletDb()
      .then(async (d) => {
        setDb(d);
        const ps = await listProfiles(d);
        setProfiles(ps);
        if (ps.length === 1 && ps[0]) setView({ name: "unlock", profile: ps[0] });
      })
      .catch((e: unknown) => setFatal(errorText(e, t)));
  }, []);

  const signedIn = (s: Session) => {
    setSession(s);
    if (pendingOffer) {
      setView({ name: "receive", offer: pendingOffer });
      setPendingOffer(undefined);
      history.replaceState(null, "", location.pathname);
    } else if (pendingRequest) {
      setView({ name: "share", request: pendingRequest });
      setPendingRequest(undefined);
      history.replaceState(null, "", location.pathname);
    } else setView({ name: "cards" });
  };

  const lock = async () => {
    setSession(undefined);
    if (db) setProfiles(await listProfiles(db));
    setView({ name: "profiles" });
  };


  const toCards = (flash?: string) => (setVersion((v) => v + 1), setView(flash ? { name: "cards", flash } : { name: "cards" }));
  const body = fatal ? (
    <p class="alert bad">{fatal}</p>
  ) : !db ? (
    <p role="status">{t("pin.working")}</p>
  ) : !session ? (
    routeTo(
      view,
      {
        create: () => <CreateProfile db={db} onDone={signedIn} onCancel={() => setView({ name: "profiles" })} />,
        restore: () => <Restore db={db} onDone={(s) => (setSession(s), setView({ name: "cards", flash: "backup.restored" }))} onBack={() => setView({ name: "profiles" })} />,
        unlock: (v) => <Unlock db={db} profile={v.profile} onDone={signedIn} onBack={() => setView({ name: "profiles" })} />,
      },
      () => (
        <ProfilePicker
          profiles={profiles}
          onPick={(p) => setView({ name: "unlock", profile: p })}
          onAdd={() => setView({ name: "create" })}
          onRestore={() => setView({ name: "restore" })}
        />
      ),
    )
  ) : (
    routeTo(
      view,
      {
        card: (v) => (
          <CardDetail
            db={db}
            session={session}
            id={v.id}
            version={version}
            onPresent={(card) => setView({ name: "present", ...card })}
            onDeleted={() => toCards("cards.deleted")}
            onBack={() => toCards()}
          />
        ),
        present: (v) => <Present db={db} session={session} id={v.id} jwt={v.jwt} label={v.label} onDone={() => setView({ name: "card", id: v.id })} />,
        receive: (v) => <Receive db={db} session={session} initialOffer={v.offer} onDone={() => toCards("receive.done")} onBack={() => toCards()} />,
        backup: () => <Backup db={db} session={session} onBack={() => setView({ name: "settings" })} />,
        history: () => <History db={db} session={session} onBack={() => toCards()} />,
        settings: () => (
          <Settings
            textSize={textSize}
            onTextSize={setTextSize}
            onChangePin={() => setView({ name: "change-pin" })}
            onBackup={() => setView({ name: "backup" })}
            onBack={() => toCards()}
          />
        ),
        share: (v) => (
          <Share
            db={db}
            session={session}
            initialRequest={v.request}
            onDone={(message) => (setVersion((n) => n + 1), setView({ name: "cards", flashText: message }))}
            onBack={() => setView({ name: "cards" })}
          />
        ),
        "change-pin": () => <ChangePin db={db} session={session} onDone={(s) => (setSession(s), toCards("pin.changed"))} onBack={() => setView({ name: "settings" })} />,
      },
      (v) => (
        <CardList
          db={db}
          session={session}
          version={version}
          flash={v.name === "cards" ? (v.flashText ?? (v.flash ? t(v.flash) : undefined)) : undefined}
          onOpen={(id) => setView({ name: "card", id })}
          onReceive={() => setView({ name: "receive" })}
          onShare={() => setView({ name: "share" })}
          online={online}
        />
      ),
    )
  );

  return (
    <I18nContext.Provider value={i18n}>
      <div class={presenting ? "app presenting" : "app"}>
        {!presenting && (
          <header class="topbar">
            <span class="brand">
              <Icon name="card" /> {t("title")}
            </span>
            <label class="lang">
              <Icon name="globe" />
              <span class="sr-only">{t("language")}</span>
              <LanguageSelect name="language" />
            </label>
          </header>
        )}
        {!online && !presenting && (
          <p class="offline" role="status">
            <Icon name="offline" /> {t("offline")}
          </p>
        )}
        {sw.updateReady && !presenting && (
          <div class="update" role="status">
            <span>{t("update.ready")}</span>
            <button type="button" class="big primary" onClick={sw.applyUpdate}>
              {t("update.install")}
            </button>
          </div>
        )}
        {/* A new screen starts at its top (a fresh element: the scroll of the last one is not kept). */}
        <main key={`${view.name}:${"id" in view ? view.id : ""}`}>{body}</main>
        {session && !presenting && (
          <nav class="bottom" aria-label={t("menu.label")}>
            <button type="button" onClick={() => setView({ name: "cards" })} aria-current={view.name === "cards" ? "page" : undefined}>
              <Icon name="card" />
              <span>{t("menu.cards")}</span>
            </button>
            <button type="button" onClick={() => setView({ name: "history" })} aria-current={view.name === "history" ? "page" : undefined}>
              <Icon name="history" />
              <span>{t("menu.history")}</span>
            </button>
            <button type="button" onClick={() => setView({ name: "settings" })} aria-current={view.name === "settings" ? "page" : undefined} data-testid="nav-settings">
              <Icon name="gear" />
              <span>{t("menu.settings")}</span>
            </button>
            <button type="button" onClick={() => void lock()} data-testid="lock">
              <Icon name="lock" />
              <span>
                {session.profile.label}: {t("profiles.lock")}
              </span>
            </button>
          </nav>
        )}
      </div>
    </I18nContext.Provider>
  );
}
